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
 * rather than holding a socket, so a Redis-backed registry can later forward
 * a command to the process that holds the charger (SPEC §2 scale-out) without
 * the REST layer changing.
 */
export interface ConnectionRegistry<C extends ChargerConnection = ChargerConnection> {
  /** Adds a connection; returns the older one for the same charger that it replaces. */
  add(conn: C): C | undefined;
  /** Removes the connection if it is still the current one for its charger. */
  remove(conn: C): boolean;
  get(chargerId: string): C | undefined;
  isConnected(chargerId: string): boolean;
  /** Sends a CALL to the charger; CHARGER_NOT_CONNECTED when no process holds it. */
  call(chargerId: string, action: string, payload: unknown, timeoutMs: number): Promise<unknown>;
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
