import { AppError } from '../errors.ts';

/** One charger's live OCPP connection, as the rest of the system sees it. */
export interface ChargerConnection {
  readonly chargerId: string;
  readonly connectedAt: Date;
  /** Sends a CALL and resolves with the charger's CALLRESULT payload. */
  call(action: string, payload: unknown, timeoutMs: number): Promise<unknown>;
  close(code: number, reason: string): Promise<void>;
}

/**
 * Where each charger is connected. Commands go through `call(chargerId, …)`
 * rather than holding a socket, so the Redis-routed registry below can
 * forward a command to the process that holds the charger (docs/PRODUCT.md §2
 * scale-out) without the REST layer changing.
 */
export interface ConnectionRegistry<C extends ChargerConnection = ChargerConnection> {
  /** Adds a connection; returns the older one for the same charger that it replaces. */
  add(conn: C): C | undefined;
  /** Removes the connection if it is still the current one for its charger. */
  remove(conn: C): boolean;
  get(chargerId: string): C | undefined;
  /** Whether this process holds the charger's socket. */
  isConnected(chargerId: string): boolean;
  /** Whether this or another process holds it, so a command can reach it. */
  isReachable(chargerId: string): Promise<boolean>;
  /** Sends a CALL to the charger; CHARGER_NOT_CONNECTED when no process holds it. */
  call(chargerId: string, action: string, payload: unknown, timeoutMs: number): Promise<unknown>;
  /** Closes the charger's socket wherever it is held. */
  disconnect(chargerId: string, code: number, reason: string): Promise<void>;
  ids(): string[];
  readonly size: number;
}

/** The single-process registry: a map from charger id to its connection. */
export class LocalConnectionRegistry<C extends ChargerConnection> implements ConnectionRegistry<C> {
  private readonly byId = new Map<string, C>();

  add(conn: C): C | undefined {
    const old = this.byId.get(conn.chargerId);
    this.byId.set(conn.chargerId, conn);
    return old === conn ? undefined : old;
  }

  remove(conn: C): boolean {
    if (this.byId.get(conn.chargerId) !== conn) return false;
    this.byId.delete(conn.chargerId);
    return true;
  }

  get(chargerId: string): C | undefined {
    return this.byId.get(chargerId);
  }

  isConnected(chargerId: string): boolean {
    return this.byId.has(chargerId);
  }

  async isReachable(chargerId: string): Promise<boolean> {
    return this.byId.has(chargerId);
  }

  async disconnect(chargerId: string, code: number, reason: string): Promise<void> {
    await this.byId.get(chargerId)?.close(code, reason);
  }

  async call(chargerId: string, action: string, payload: unknown, timeoutMs: number): Promise<unknown> {
    const conn = this.byId.get(chargerId);
    if (!conn) throw new AppError('CHARGER_NOT_CONNECTED', `Charger ${chargerId} is not connected`);
    return conn.call(action, payload, timeoutMs);
  }

  ids(): string[] {
    return [...this.byId.keys()];
  }

  get size(): number {
    return this.byId.size;
  }
}

/**
 * The scale-out registry: this process's connections, plus a Redis router
 * that records which process holds each charger and forwards commands for
 * chargers held elsewhere (docs/PRODUCT.md §2).
 */
export class RoutedConnectionRegistry<C extends ChargerConnection> extends LocalConnectionRegistry<C> {
  constructor(
    private readonly router: RemoteCommands,
    private readonly onError: (err: unknown) => void,
  ) {
    super();
  }

  override add(conn: C): C | undefined {
    const old = super.add(conn);
    this.router.claim(conn.chargerId).catch(this.onError);
    return old;
  }

  override remove(conn: C): boolean {
    const removed = super.remove(conn);
    if (removed) this.router.release(conn.chargerId).catch(this.onError);
    return removed;
  }

  override async isReachable(chargerId: string): Promise<boolean> {
    return this.isConnected(chargerId) || (await this.router.holder(chargerId)) !== undefined;
  }

  override async call(chargerId: string, action: string, payload: unknown, timeoutMs: number): Promise<unknown> {
    if (this.isConnected(chargerId)) return super.call(chargerId, action, payload, timeoutMs);
    return this.router.call(chargerId, action, payload, timeoutMs);
  }

  override async disconnect(chargerId: string, code: number, reason: string): Promise<void> {
    if (this.isConnected(chargerId)) return super.disconnect(chargerId, code, reason);
    return this.router.closeRemote(chargerId, code, reason);
  }
}

/** What the routed registry needs of a cross-process router (redis-router.ts). */
export interface RemoteCommands {
  claim(chargerId: string): Promise<void>;
  release(chargerId: string): Promise<void>;
  holder(chargerId: string): Promise<string | undefined>;
  call(chargerId: string, action: string, payload: unknown, timeoutMs: number): Promise<unknown>;
  closeRemote(chargerId: string, code: number, reason: string): Promise<void>;
}
