import type { Clock } from '../../clock.ts';
import type { ChargerEvent } from '../../../contracts/events.ts';

/**
 * What a dashboard answer is computed from: `registry` (which chargers exist,
 * their firmware and model), `states` (their status, connection, transitional
 * state and last command) or `sessions` (sessions, and the energy rollups and
 * totals their starts and stops move).
 */
export type Topic = 'registry' | 'states' | 'sessions';

/**
 * Which answers an event makes stale. None of the cached answers shows a
 * measurement, an allowance or what was sent to a charger, so these drop
 * nothing:
 * - `meter`: no cached answer shows a measured value;
 * - `load.changed` (several a second on a busy site with distribution on):
 *   allowances are shown by `GET /api/load` and seed 2.1, neither cached;
 * - `command`, the load controller's SetChargingProfile included: seed 2.8's
 *   `vchcommand` is the last OCPP action *received from* the charger
 *   (docs/PRODUCT.md §3), never one sent to it, so no command sent counts,
 *   a load profile no more than an operator's; a command that puts the
 *   charger in a transitional state (Reset, RemoteStart, ...) announces that
 *   with its own `state` event (server/ocpp/commands/transitional.ts).
 */
export function topicsOf(e: ChargerEvent): Topic[] {
  switch (e.type) {
    case 'transaction.started':
    case 'transaction.stopped':
    case 'transaction.energy':
      return ['sessions'];
    case 'meter':
    case 'load.changed':
    case 'command':
      return [];
    case 'boot':
    case 'connected':
      return ['states', 'registry']; // a boot reports firmware and model; a first connection may have auto-registered it
    case 'charger.changed':
      return e.change === 'deleted' ? ['registry', 'states', 'sessions'] : ['registry', 'states']; // removal takes its sessions
    default:
      return ['states'];
  }
}

interface Entry {
  body: string;
  at: number;
  /** The body compressed per coding, made on first request (cached-answer.ts). */
  variants?: Map<string, Promise<Buffer>>;
}

/**
 * Serialised answers of the seed's aggregate endpoints (docs/PRODUCT.md §3), shared by
 * every dashboard polling them, so their cost no longer grows with the number
 * of viewers (issue 4's targets are under 10 concurrent clients).
 *
 * Freshness: every charger event (published after its database write commits,
 * and through Redis from other processes) drops the answers of its topic at
 * once, and an answer whose load began before such an event is not stored.
 * `ttlMs` bounds what no event announces (heartbeats reordering 2.8, a
 * database written by a process without the shared bus).
 * Concurrent misses of one key share one load.
 */
export class ReadCache {
  private readonly entries = new Map<string, Entry & { topics: readonly Topic[] }>();
  private readonly loads = new Map<string, { gen: number; promise: Promise<string> }>();
  private readonly gen: Record<Topic, number> = { registry: 0, states: 0, sessions: 0 };

  constructor(
    private readonly clock: Clock,
    private readonly ttlMs = 2000,
    /**
     * Bytes of answers kept, oldest dropped first. A bound on bytes, not
     * entries: one 3.2 answer over 366 days and 1,000 chargers is ~7 MB, and
     * a viewer can ask for every offset.
     */
    private readonly maxBytes = 64 * 1024 * 1024,
  ) {}

  private bytes = 0;

  /** Characters of answers held (UTF-16 length, close enough to bytes for JSON). */
  get size(): number {
    return this.bytes;
  }

  private drop(key: string): void {
    const e = this.entries.get(key);
    if (!e) return;
    this.entries.delete(key);
    this.bytes -= e.body.length;
  }

  /**
   * `make(body)` once per kept answer and name (its compressed forms), while
   * `body` is still the answer held under `key`; otherwise made and not kept.
   */
  variant(key: string, body: string, name: string, make: (body: string) => Promise<Buffer>): Promise<Buffer> {
    const e = this.entries.get(key);
    if (!e || e.body !== body) return make(body);
    e.variants ??= new Map();
    let v = e.variants.get(name);
    if (!v) {
      v = make(body);
      e.variants.set(name, v);
    }
    return v;
  }

  invalidate(topics: readonly Topic[]): void {
    if (!topics.length) return;
    for (const t of topics) this.gen[t] += 1;
    for (const [key, e] of this.entries) if (e.topics.some((t) => topics.includes(t))) this.drop(key);
  }

  async get(key: string, topics: readonly Topic[], load: () => Promise<string>): Promise<string> {
    const now = this.clock.now().getTime();
    const hit = this.entries.get(key);
    if (hit && now - hit.at < this.ttlMs) return hit.body;
    const gen = this.generation(topics);
    const running = this.loads.get(key);
    if (running && running.gen === gen) return running.promise;
    const promise = load().then((body) => {
      if (this.generation(topics) === gen) {
        this.drop(key);
        if (body.length <= this.maxBytes / 4) {
          while (this.bytes + body.length > this.maxBytes) this.drop(this.entries.keys().next().value!);
          this.entries.set(key, { body, at: now, topics });
          this.bytes += body.length;
        }
      }
      return body;
    });
    this.loads.set(key, { gen, promise });
    try {
      return await promise;
    } finally {
      if (this.loads.get(key)?.promise === promise) this.loads.delete(key);
    }
  }

  private generation(topics: readonly Topic[]): number {
    let g = 0;
    for (const t of topics) g += this.gen[t];
    return g;
  }
}
