import type { Clock } from '../clock.ts';
import { addressKey } from './client-address.ts';

/**
 * How guessing is slowed, for charger secrets (OCPP handshake) and dashboard
 * passwords (POST /api/auth/login) alike.
 *
 * Failures are counted per (identity, address): guessing a charger's secret
 * or the admin's password from one address backs off only that address for
 * that identity, so an attacker can never lock the real charger or admin out
 * from anywhere else. The first `freeFailures` cost nothing (a mistyped
 * password, a charger retrying once after its secret was changed); after
 * that each failure makes the pair wait `baseDelayMs · 2^k`, capped at
 * `maxDelayMs`. Attempts made while waiting are refused at once (429) and not
 * counted, which is what bounds a misconfigured charger's failure rate.
 *
 * Spraying many identities from one address (id enumeration, password
 * spraying) is caught by the address cap: when `addressIdentities` distinct
 * identities have failed from one address within `addressWindowMs`, the
 * address is refused for `addressBlockMs`, whatever it asks.
 *
 * The numbers, for a site whose chargers share one NAT address:
 * - one misconfigured charger is ONE identity, so it can never trip the
 *   address cap, however long it retries: its neighbours keep connecting.
 *   Its own retries are bounded by the back-off (5 free, then 1 s, 2 s, … up
 *   to one try per 15 minutes: about 15 failures in the first half hour,
 *   then 4 an hour), which also keeps its scrypt cost negligible.
 * - 20 distinct failing identities in 15 minutes is far above what a real
 *   site produces (a bad bulk secret rotation touching 20+ chargers at once
 *   would trip it, and those chargers are failing anyway; chargers already
 *   connected keep their sockets) and far below what enumeration needs.
 * - An attacker on one address thus gets about 15 guesses per identity in
 *   the first half hour, then 4 an hour, for at most 20 identities per
 *   15 minutes: against random charger keys and scrypt-hashed passwords of
 *   8+ characters, guessing stays hopeless.
 *
 * Memory is bounded: both maps keep at most `maxEntries` keys and evict the
 * least recently failed one (Map insertion order, refreshed on each failure;
 * written here rather than pulled in, since no LRU library is a direct
 * dependency and this needs 10 lines). An address entry holds at most
 * `addressIdentities` identities. A flood of more than `maxEntries` distinct
 * keys can evict an old pair and so reset its back-off; the address cap
 * still stops any single address doing that. Kept per process: with
 * several processes an attacker's budget is multiplied by their number.
 */
export interface ThrottlePolicy {
  freeFailures: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** A pair with no failure for this long starts again from zero. */
  forgetAfterMs: number;
  addressIdentities: number;
  addressWindowMs: number;
  addressBlockMs: number;
  maxEntries: number;
}

export const GUESSING_POLICY: ThrottlePolicy = {
  freeFailures: 5,
  baseDelayMs: 1_000,
  maxDelayMs: 15 * 60_000,
  forgetAfterMs: 24 * 3_600_000,
  addressIdentities: 20,
  addressWindowMs: 15 * 60_000,
  addressBlockMs: 15 * 60_000,
  maxEntries: 10_000,
};

export type ThrottleVerdict = { allowed: true } | { allowed: false; retryAfterMs: number };

interface PairEntry {
  failures: number;
  lastFailure: number;
  blockedUntil: number;
}
interface AddressEntry {
  /** identity → time of its latest failure from this address, oldest first. */
  identities: Map<string, number>;
  blockedUntil: number;
}

/** Re-inserts so Map order is least recently failed first; evicts the oldest past `max`. */
function refresh<V>(map: Map<string, V>, key: string, value: V, max: number): void {
  map.delete(key);
  map.set(key, value);
  if (map.size > max) map.delete(map.keys().next().value!);
}

export class FailureThrottle {
  private readonly pairs = new Map<string, PairEntry>();
  private readonly addresses = new Map<string, AddressEntry>();
  constructor(
    private readonly clock: Clock,
    private readonly policy: ThrottlePolicy = GUESSING_POLICY,
  ) {}

  /** Keys held, for the memory bound. */
  get size(): { pairs: number; addresses: number } {
    return { pairs: this.pairs.size, addresses: this.addresses.size };
  }

  private pairKey(identity: string, address: string | undefined): string {
    return `${addressKey(address)}\u0000${identity}`;
  }

  private pair(key: string, now: number): PairEntry | undefined {
    const e = this.pairs.get(key);
    if (e && now - e.lastFailure >= this.policy.forgetAfterMs) {
      this.pairs.delete(key);
      return undefined;
    }
    return e;
  }

  /** May this identity try from this address now? Does not count anything. */
  check(identity: string, address: string | undefined): ThrottleVerdict {
    const now = this.clock.now().getTime();
    const addr = this.addresses.get(addressKey(address));
    const pair = this.pair(this.pairKey(identity, address), now);
    const until = Math.max(addr?.blockedUntil ?? 0, pair?.blockedUntil ?? 0);
    return until > now ? { allowed: false, retryAfterMs: until - now } : { allowed: true };
  }

  fail(identity: string, address: string | undefined): void {
    const now = this.clock.now().getTime();
    const p = this.policy;
    const key = this.pairKey(identity, address);
    const pair = this.pair(key, now) ?? { failures: 0, lastFailure: now, blockedUntil: 0 };
    pair.failures += 1;
    pair.lastFailure = now;
    if (pair.failures >= p.freeFailures) {
      // Capped exponent too, so a long-lived pair never computes 2^1000.
      const k = Math.min(pair.failures - p.freeFailures, 40);
      pair.blockedUntil = now + Math.min(p.maxDelayMs, p.baseDelayMs * 2 ** k);
    }
    refresh(this.pairs, key, pair, p.maxEntries);

    const akey = addressKey(address);
    const addr = this.addresses.get(akey) ?? { identities: new Map<string, number>(), blockedUntil: 0 };
    for (const [id, at] of addr.identities) {
      if (now - at < p.addressWindowMs) break; // oldest first: the rest are newer
      addr.identities.delete(id);
    }
    refresh(addr.identities, identity, now, p.addressIdentities);
    if (addr.identities.size >= p.addressIdentities) {
      addr.blockedUntil = now + p.addressBlockMs;
      addr.identities.clear();
    }
    refresh(this.addresses, akey, addr, p.maxEntries);
  }

  /** A success clears the pair and takes the identity off the address's failing list. */
  succeed(identity: string, address: string | undefined): void {
    this.pairs.delete(this.pairKey(identity, address));
    this.addresses.get(addressKey(address))?.identities.delete(identity);
  }
}
