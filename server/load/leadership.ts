import type { FastifyInstance } from 'fastify';
import { RedisLease } from './redis-lease.ts';

/**
 * Which process allocates the site's current (docs/PRODUCT.md §7): exactly one
 * at a time, so two allocators never send chargers contradicting profiles.
 *
 * A consumer checks `isLeader()` (or `holds(term)`) right before every act,
 * not only when `onChange` says so: a process paused past its lease (a long
 * GC, SIGSTOP, a VM migration) resumes believing nothing happened, and only
 * the check, against monotonic time since its last confirmed renewal, tells it
 * that another process may lead by now.
 */
export interface LoadLeadership {
  /** Leads now: the lease was confirmed less than its ttl ago (minus clock drift). */
  isLeader(): boolean;
  /**
   * The fencing term of the present leadership, undefined when not leading.
   * Increases with every acquisition anywhere (Redis INCR), so what a leader
   * sends can be tagged with it and a later leader's term is always higher.
   */
  term(): number | undefined;
  /** Still leads in `term`: a round of work begun under it may still act. */
  holds(term: number): boolean;
  /**
   * Called on every change, after it happened (in a microtask: never inside
   * the caller's own isLeader()). Not called with the state at subscription:
   * read isLeader() then.
   */
  onChange(cb: (leader: boolean) => void): () => void;
  /** Steps down and hands the lease back at once (another process takes over without waiting for the ttl). */
  close(): Promise<void>;
}

/**
 * Without REDIS_URL this is the only process of the site (PGlite's DATA_DIR
 * lock holds one process; PostgreSQL without Redis cannot route commands, so
 * several processes need REDIS_URL anyway): it leads, term 1, until closed.
 * With REDIS_URL: a lease in Redis (redis-lease.ts), LOAD_LEADER_TTL_MS long,
 * connected now and competed for once the app is ready (`app.ready()`
 * resolves knowing whether it leads): an app still being built cannot act,
 * and a long build (schemas compiled on a busy machine) would let a lease it
 * took lapse. Call it while the app is being built (a plugin).
 */
export async function createLoadLeadership(app: FastifyInstance): Promise<LoadLeadership> {
  const url = app.config.redisUrl;
  if (!url) return soleLeader();
  const lease = await RedisLease.connect(url, app.config.loadLeaderTtlMs, app.log);
  app.addHook('onReady', () => lease.begin());
  return lease;
}

function soleLeader(): LoadLeadership {
  let leading = true;
  const listeners = new Set<(leader: boolean) => void>();
  return {
    isLeader: () => leading,
    term: () => (leading ? 1 : undefined),
    holds: (term) => leading && term === 1,
    onChange(cb) {
      listeners.add(cb);
      return () => listeners.delete(cb);
    },
    async close() {
      if (!leading) return;
      leading = false;
      for (const l of [...listeners]) l(false);
      listeners.clear();
    },
  };
}
