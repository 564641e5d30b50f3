import pg from 'pg';
import { DatabaseUnreachableError } from './outage.ts';

type Callback = (err: Error | null | undefined, result?: unknown) => void;

/**
 * pg's Client with the two rules a frozen network needs.
 *
 * 1. A query not answered within `queryTimeoutMs` fails with
 *    DatabaseUnreachableError and its connection is destroyed. pg's own
 *    `query_timeout` answers the caller but leaves the query on the wire and
 *    the client queryable; Drizzle's transaction then releases it to the pool
 *    without an error, so the next borrower's statements would run inside the
 *    stuck transaction (and its COMMIT commit the stuck write). A destroyed
 *    socket makes pg fail every query queued behind, mark the client
 *    unqueryable, and the pool drop it on release; the server rolls the open
 *    transaction back when it sees the close (or, if the close is lost too,
 *    after idle_in_transaction_session_timeout / TCP keepalive).
 * 2. A client that errors while checked out (server restart, reset) must not
 *    crash the process: pg emits 'error' on it and the pool listens only while
 *    the client is idle. The queries it was running fail, which is how their
 *    callers learn.
 *
 * Errors pg reports without a code because the connection is gone are wrapped
 * in DatabaseUnreachableError so db/outage.ts can classify them by code.
 */
export class GuardedClient extends pg.Client {
  private lost = false;
  private readonly queryTimeoutMs: number;

  constructor(config: pg.ClientConfig & { queryTimeoutMs?: number; onOpen?: (c: GuardedClient) => void }) {
    super(config);
    this.queryTimeoutMs = config.queryTimeoutMs ?? 0;
    // Registered before pg's own 'end' listener (added in connect), so queries it fails see `lost`.
    this.connection.once('end', () => (this.lost = true));
    this.on('error', () => (this.lost = true));
    config.onOpen?.(this);
  }

  /** Destroys the socket at once: queries in flight and queued fail; the pool drops the client. */
  destroy(): void {
    this.lost = true;
    this.connection.stream.destroy();
  }

  // pg's query() has a dozen overloads; this wrapper handles the two shapes
  // callers use (promise, and callback last) and passes anything else through.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  override query(...args: any[]): any {
    const first = args[0] as { submit?: unknown } | undefined;
    if (first && typeof first === 'object' && typeof first.submit === 'function')
      return super.query(...(args as [never]));
    const last = args[args.length - 1];
    if (typeof last === 'function') {
      this.guarded(args.slice(0, -1), last as Callback);
      return undefined;
    }
    return new Promise((resolve, reject) => this.guarded(args, (err, res) => (err ? reject(err) : resolve(res))));
  }

  private guarded(args: unknown[], callback: Callback): void {
    let settled = false;
    const timer =
      this.queryTimeoutMs > 0
        ? setTimeout(() => {
            if (settled) return;
            settled = true;
            callback(
              new DatabaseUnreachableError('query-timeout', new Error(`no answer within ${this.queryTimeoutMs} ms`)),
            );
            this.destroy();
          }, this.queryTimeoutMs)
        : undefined;
    const done: Callback = (err, res) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (err && this.lost && !(err instanceof pg.DatabaseError))
        err = new DatabaseUnreachableError('connection-lost', err);
      callback(err, res);
    };
    const [text, values] = args;
    try {
      if (values === undefined) super.query(text as string, done as never);
      else super.query(text as string, values as unknown[], done as never);
    } catch (err) {
      done(err as Error);
    }
  }
}

/**
 * pg's Pool over GuardedClient. A checkout that fails for want of a
 * connection (refused, timed out, terminated) is wrapped as
 * DatabaseUnreachableError; the server's own answers (a DatabaseError with a
 * SQLSTATE, such as 53300 too many connections) keep their code. It also
 * knows every client it opened, so shutdown can destroy the ones a frozen
 * query still holds (pool.end() waits for every checked-out client).
 */
export class GuardedPool extends pg.Pool {
  private readonly live: Set<GuardedClient>;

  constructor(config: pg.PoolConfig & { queryTimeoutMs: number }) {
    const live = new Set<GuardedClient>();
    super({
      ...config,
      Client: GuardedClient as never,
      onOpen: (c: GuardedClient) => {
        live.add(c);
        c.once('end', () => live.delete(c));
      },
    } as pg.PoolConfig);
    this.live = live;
  }

  /** Destroys every open connection; their callers get errors and the pool drops them. */
  destroyAll(): void {
    for (const c of this.live) c.destroy();
  }

  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  override connect(callback?: any): any {
    const tag = (err: Error | undefined) =>
      err && !(err instanceof pg.DatabaseError) && !(err instanceof DatabaseUnreachableError)
        ? new DatabaseUnreachableError('connect', err)
        : err;
    if (typeof callback === 'function') {
      return super.connect((err, client, done) =>
        (callback as (e: unknown, c: unknown, d: unknown) => void)(tag(err), client, done),
      );
    }
    return super.connect().catch((err: Error) => {
      throw tag(err);
    });
  }
}
