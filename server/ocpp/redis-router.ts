import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { openRedisPair } from '../redis-pair.ts';
import { AppError } from '../errors.ts';
import type { ChargerConnection, LocalConnectionRegistry } from './connections.ts';
import { isRpcError } from './protocol.ts';
import { createRPCError, TimeoutError } from './rpc.ts';

const OWNERS = 'chargeops:ocpp:owners';
const alive = (pid: string) => `chargeops:ocpp:alive:${pid}`;
const inbox = (pid: string) => `chargeops:ocpp:inbox:${pid}`;
/** A process counts as gone once its heartbeat key has not been renewed for this long. */
const ALIVE_TTL_MS = 15_000;
const HEARTBEAT_MS = 5_000;
/** Extra wait for a forwarded answer beyond the charger's own timeout (the hop through Redis). */
const HOP_MARGIN_MS = 2_000;

// Deletes the owner entry only if it still names this process (a newer connection elsewhere wins).
const RELEASE = `if redis.call('hget', KEYS[1], ARGV[1]) == ARGV[2] then return redis.call('hdel', KEYS[1], ARGV[1]) end return 0`;

type Request =
  | { kind: 'call'; id: string; from: string; chargerId: string; action: string; payload: unknown; timeoutMs: number }
  | { kind: 'close'; chargerId: string; code: number; reason: string };
type Reply =
  | { kind: 'reply'; id: string; ok: true; response: unknown }
  | {
      kind: 'reply';
      id: string;
      ok: false;
      error: 'not_connected' | 'timeout' | 'rpc' | 'lost';
      code?: string;
      message: string;
    };

interface Pending {
  resolve: (v: unknown) => void;
  reject: (e: unknown) => void;
  timer: NodeJS.Timeout;
}

/**
 * Commands to chargers held by other processes (docs/PRODUCT.md §2 scale-out): every
 * process records in a Redis hash which charger it holds and keeps a
 * heartbeat key alive; a command for a charger held elsewhere is published to
 * the holder's inbox channel, run there on the real socket, and its answer
 * (or the charger's CALLERROR, timeout or absence) is published back to the
 * caller's inbox and rebuilt as the same error the local path throws. A
 * charger reconnecting to another process takes the entry over, and the
 * process that held it is told to close its old socket.
 */
export class RedisCommandRouter<C extends ChargerConnection = ChargerConnection> {
  readonly processId = randomUUID();
  private local: LocalConnectionRegistry<C> | undefined;
  private readonly pending = new Map<string, Pending>();
  private heartbeat: NodeJS.Timeout | undefined;

  private constructor(
    private readonly pub: Redis,
    private readonly sub: Redis,
    private readonly onError: (err: Error) => void,
  ) {}

  static async connect<C extends ChargerConnection>(
    url: string,
    onError: (err: Error) => void = () => {},
  ): Promise<RedisCommandRouter<C>> {
    const { pub, sub } = await openRedisPair(url, onError);
    const router = new RedisCommandRouter<C>(pub, sub, onError);
    sub.on('message', (_channel: string, message: string) => router.receive(message));
    await sub.subscribe(inbox(router.processId));
    await router.beat();
    router.heartbeat = setInterval(() => void router.beat().catch(onError), HEARTBEAT_MS);
    router.heartbeat.unref();
    return router;
  }

  /** Serves forwarded commands from this process's own connections. */
  attach(local: LocalConnectionRegistry<C>): void {
    this.local = local;
  }

  /** This process now holds the charger; a process that held it before closes its socket. */
  async claim(chargerId: string): Promise<void> {
    const before = await this.pub.hget(OWNERS, chargerId);
    await this.pub.hset(OWNERS, chargerId, this.processId);
    if (before && before !== this.processId) {
      await this.send(before, { kind: 'close', chargerId, code: 1000, reason: 'Replaced by a new connection' });
    }
  }

  /** This process no longer holds the charger (unless another connection has claimed it since). */
  async release(chargerId: string): Promise<void> {
    await this.pub.eval(RELEASE, 1, OWNERS, chargerId, this.processId);
  }

  /** The live process that holds the charger, if another one does. */
  async holder(chargerId: string): Promise<string | undefined> {
    const pid = await this.pub.hget(OWNERS, chargerId);
    if (!pid || pid === this.processId) return undefined;
    return (await this.pub.exists(alive(pid))) ? pid : undefined;
  }

  async call(chargerId: string, action: string, payload: unknown, timeoutMs: number): Promise<unknown> {
    const pid = await this.holder(chargerId);
    if (!pid) throw new AppError('CHARGER_NOT_CONNECTED', `Charger ${chargerId} is not connected`);
    const id = randomUUID();
    const answer = new Promise<unknown>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new TimeoutError(`No answer from the process holding ${chargerId}`));
      }, timeoutMs + HOP_MARGIN_MS);
      this.pending.set(id, { resolve, reject, timer });
    });
    await this.send(pid, { kind: 'call', id, from: this.processId, chargerId, action, payload, timeoutMs });
    return answer;
  }

  async closeRemote(chargerId: string, code: number, reason: string): Promise<void> {
    const pid = await this.holder(chargerId);
    if (pid) await this.send(pid, { kind: 'close', chargerId, code, reason });
  }

  async close(): Promise<void> {
    clearInterval(this.heartbeat);
    for (const [id, p] of this.pending) {
      clearTimeout(p.timer);
      p.reject(new AppError('CHARGER_NOT_CONNECTED', 'The command router is shutting down'));
      this.pending.delete(id);
    }
    await this.pub.del(alive(this.processId)).catch(() => undefined);
    this.sub.disconnect();
    this.pub.disconnect();
  }

  private async beat(): Promise<void> {
    await this.pub.set(alive(this.processId), '1', 'PX', ALIVE_TTL_MS);
  }

  private async send(pid: string, msg: Request | Reply): Promise<void> {
    await this.pub.publish(inbox(pid), JSON.stringify(msg));
  }

  private receive(raw: string): void {
    let msg: Request | Reply;
    try {
      msg = JSON.parse(raw);
    } catch {
      return;
    }
    if (msg.kind === 'reply') this.settle(msg);
    else if (msg.kind === 'call') void this.serve(msg).catch(this.onError);
    else if (msg.kind === 'close')
      void this.local
        ?.get(msg.chargerId)
        ?.close(msg.code, msg.reason)
        .catch(() => undefined);
  }

  private settle(r: Reply): void {
    const p = this.pending.get(r.id);
    if (!p) return; // timed out here already
    this.pending.delete(r.id);
    clearTimeout(p.timer);
    if (r.ok) p.resolve(r.response);
    else if (r.error === 'not_connected') p.reject(new AppError('CHARGER_NOT_CONNECTED', r.message));
    else if (r.error === 'timeout') p.reject(new TimeoutError(r.message));
    else if (r.error === 'rpc') p.reject(createRPCError(r.code ?? 'GenericError', r.message));
    else p.reject(new Error(r.message)); // the socket went mid-call, as locally
  }

  /** Runs a forwarded command on this process's socket and publishes the outcome to the caller. */
  private async serve(req: Extract<Request, { kind: 'call' }>): Promise<void> {
    const conn = this.local?.get(req.chargerId);
    let reply: Reply;
    if (!conn) {
      reply = {
        kind: 'reply',
        id: req.id,
        ok: false,
        error: 'not_connected',
        message: `Charger ${req.chargerId} is not connected`,
      };
    } else {
      try {
        reply = {
          kind: 'reply',
          id: req.id,
          ok: true,
          response: await conn.call(req.action, req.payload, req.timeoutMs),
        };
      } catch (err) {
        const message = (err as Error).message;
        if (err instanceof TimeoutError) reply = { kind: 'reply', id: req.id, ok: false, error: 'timeout', message };
        else if (err instanceof AppError)
          reply = { kind: 'reply', id: req.id, ok: false, error: 'not_connected', message };
        else if (isRpcError(err))
          reply = { kind: 'reply', id: req.id, ok: false, error: 'rpc', code: err.rpcErrorCode, message };
        else reply = { kind: 'reply', id: req.id, ok: false, error: 'lost', message };
      }
    }
    await this.send(req.from, reply);
  }
}
