import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { performance } from 'node:perf_hooks';
import type { FastifyBaseLogger } from 'fastify';
import type { Redis } from 'ioredis';
import { openRedisPair } from '../redis-pair.ts';
import type { LoadLeadership } from './leadership.ts';

/** The lease: its value names the holder (host/pid/random), so `GET chargeops:load:leader` tells an operator who allocates. */
export const LEASE_KEY = 'chargeops:load:leader';
/** The fencing term, INCR on every acquisition. */
export const TERM_KEY = 'chargeops:load:term';
/** Published when a leader hands the lease back, so the others try at once instead of at their next renewal tick. */
export const RELEASED_CHANNEL = 'chargeops:load:released';

// SET NX PX with the INCR of the term, atomically; a lease still holding our
// own token (a renewal that failed while Redis kept the key) is taken back.
const ACQUIRE = `local v = redis.call('get', KEYS[1])
if v and v ~= ARGV[1] then return 0 end
redis.call('set', KEYS[1], ARGV[1], 'PX', ARGV[2])
return redis.call('incr', KEYS[2])`;
// Compare-and-extend: only the holder's token extends it.
const RENEW = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) end return 0`;
// Delete only if still ours (after a pause another process may hold it), then tell the others.
const RELEASE = `if redis.call('get', KEYS[1]) == ARGV[1] then redis.call('del', KEYS[1]) redis.call('publish', ARGV[2], ARGV[1]) return 1 end return 0`;

/**
 * Monotonic time, not the injected wall clock: the lease runs on Redis's own
 * timer, so what matters is real elapsed time, and a wall clock stepped by NTP
 * (or a test's manual clock) would stretch or shrink a lease nobody else sees
 * stretched.
 */
const now = () => performance.now();

/**
 * One process's side of the lease. A follower tries ACQUIRE every ttl/3 (and
 * at once when a leader releases); a leader RENEWs every ttl/3. The lease
 * counts as ours until ttl after the renewal was *sent* (Redis starts its ttl
 * later, on receipt), less a drift allowance, so this process stops before
 * Redis can give the key to another. A renewal that fails (an error, no
 * answer within the ttl) or finds another token steps down at once; one that
 * hangs steps down when the lease runs out by this clock.
 */
export class RedisLease implements LoadLeadership {
  private leading = false;
  private currentTerm: number | undefined;
  private validUntil = 0;
  private started = false;
  private closed = false;
  private timer: NodeJS.Timeout | undefined;
  private expiry: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private failing = false;
  private readonly listeners = new Set<(leader: boolean) => void>();
  private readonly interval: number;
  private readonly drift: number;

  private constructor(
    readonly holderId: string,
    private readonly pub: Redis,
    private readonly sub: Redis,
    private readonly ttl: number,
    private readonly log: FastifyBaseLogger,
  ) {
    this.interval = Math.floor(ttl / 3);
    // Redlock's allowance for Redis's and our clocks running at slightly different rates.
    this.drift = Math.ceil(ttl * 0.01) + 2;
  }

  /** Connects; competes for the lease from `begin()` on. */
  static async connect(url: string, ttlMs: number, log: FastifyBaseLogger): Promise<RedisLease> {
    const holderId = `${hostname()}/${process.pid}/${randomBytes(4).toString('hex')}`;
    const onError = (err: Error) => log.warn({ err: err.message }, 'load leadership: redis');
    // A command stuck on a dead connection fails once no answer could still count. Not
    // sooner: an answer that waits in the socket while the event loop is busy would be
    // failed by its timer first (timers run before socket reads), stepping a leader down
    // for nothing. Safety does not depend on it: isLeader() judges by the time since the
    // last confirmed renewal.
    const options = { connectionName: `chargeops-load:${holderId}`, commandTimeout: ttlMs };
    const { pub, sub } = await openRedisPair(url, onError, options);
    const lease = new RedisLease(holderId, pub, sub, ttlMs, log);
    sub.on('message', () => lease.soon());
    await sub.subscribe(RELEASED_CHANNEL);
    return lease;
  }

  /** Makes the first attempt (resolving once it is known whether this process leads), then keeps trying. */
  async begin(): Promise<void> {
    if (this.started || this.closed) return;
    this.started = true;
    this.run();
    await this.running;
  }

  isLeader(): boolean {
    if (this.leading && now() >= this.validUntil) this.lose('its lease ran out before a renewal was confirmed');
    return this.leading;
  }

  term(): number | undefined {
    return this.isLeader() ? this.currentTerm : undefined;
  }

  holds(term: number): boolean {
    return this.isLeader() && this.currentTerm === term;
  }

  onChange(cb: (leader: boolean) => void): () => void {
    this.listeners.add(cb);
    return () => this.listeners.delete(cb);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.timer);
    clearTimeout(this.expiry);
    await this.running;
    if (this.leading) this.lose('the process is stopping');
    // Even when not leading here: a failed renewal may have left our token in Redis.
    await this.pub.eval(RELEASE, 1, LEASE_KEY, this.holderId, RELEASED_CHANNEL).catch(() => undefined);
    this.sub.disconnect();
    this.pub.disconnect();
    this.listeners.clear();
  }

  /** A leader released: try now (or right after the attempt in flight). */
  private soon(): void {
    if (!this.started || this.closed || this.leading) return;
    if (this.running) this.again = true;
    else {
      clearTimeout(this.timer);
      this.run();
    }
  }

  private run(): void {
    const sent = now();
    this.running = this.attempt(sent).finally(() => {
      this.running = undefined;
      if (this.closed) return;
      const wait = this.again ? 0 : Math.max(0, this.interval - (now() - sent));
      this.again = false;
      this.timer = setTimeout(() => this.run(), wait);
      this.timer.unref();
    });
  }

  private async attempt(sent: number): Promise<void> {
    try {
      if (this.leading) {
        const renewed = await this.pub.eval(RENEW, 1, LEASE_KEY, this.holderId, this.ttl);
        if (!this.leading) return; // ran out while the answer travelled
        if (renewed === 1) this.confirm(sent);
        else this.lose('another process holds the lease');
      } else {
        const term = Number(await this.pub.eval(ACQUIRE, 2, LEASE_KEY, TERM_KEY, this.holderId, this.ttl));
        if (term > 0 && !this.closed) this.win(term, sent);
      }
      this.failing = false;
    } catch (err) {
      if (!this.failing) this.log.warn({ err: (err as Error).message }, 'load leadership: redis command failed');
      this.failing = true;
      if (this.leading) this.lose('a renewal failed');
    }
  }

  private win(term: number, sent: number): void {
    if (sent + this.ttl - this.drift <= now()) return; // the answer came too late to count; the next attempt takes it back
    this.leading = true;
    this.currentTerm = term;
    this.confirm(sent);
    this.log.info({ term, holder: this.holderId }, 'load leadership: this process allocates');
    this.emit(true);
  }

  private confirm(sent: number): void {
    this.validUntil = sent + this.ttl - this.drift;
    this.armExpiry();
  }

  /** Steps down on time even when nothing asks isLeader() (a renewal stuck beyond the lease). */
  private armExpiry(): void {
    clearTimeout(this.expiry);
    this.expiry = setTimeout(
      () => {
        // A timer measures from the event loop's cached time and may fire a little early.
        if (this.leading && now() < this.validUntil) this.armExpiry();
        else this.isLeader();
      },
      Math.max(0, this.validUntil - now()) + 1,
    );
    this.expiry.unref();
  }

  private lose(reason: string): void {
    this.leading = false;
    this.currentTerm = undefined;
    clearTimeout(this.expiry);
    this.log.warn({ reason, holder: this.holderId }, 'load leadership: this process stopped allocating');
    this.emit(false);
  }

  private emit(leader: boolean): void {
    queueMicrotask(() => {
      for (const l of [...this.listeners]) {
        try {
          l(leader);
        } catch (err) {
          this.log.error({ err }, 'load leadership: a listener failed');
        }
      }
    });
  }
}
