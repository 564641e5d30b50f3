import { ChargePoint, type ChargePointOptions } from './charge-point.ts';
import type { SimClock } from './clock.ts';
import { backfillHistory } from './history.ts';
import { Rng } from './random.ts';
import type { SimEvent } from './types.ts';

export interface FleetOptions {
  /** OCPP endpoint without the identity, e.g. ws://127.0.0.1:8000/ocpp. */
  url: string;
  /** Charger ids; or generated as prefix + 0001… when a count is given. */
  ids?: string[];
  count?: number;
  prefix?: string;
  /** One secret for all, or per id. */
  secret?: string | ((id: string) => string | undefined);
  seed: number | string;
  /** The live clock shared by the fleet (ScaledClock for `--speed`). */
  clock: SimClock;
  /** 1, 3, or a seeded mix. */
  phases?: 1 | 3 | 'mixed';
  historyDays?: number;
  historySampleS?: number;
  /** Where the back-fill ends; default the live clock's now (fixed in tests, for replay). */
  historyTo?: Date;
  /** How many chargers back-fill at once: bounds the load on the server. */
  historyConcurrency?: number;
  /** Live sessions on their own after the back-fill. */
  liveSessions?: boolean;
  timeZone?: string;
  idTags?: readonly string[];
  rebootDelayMs?: number;
  reconnectDelayMs?: number;
  onEvent?: (e: SimEvent) => void;
  /** Every change of a connector's draw (ChargePointOptions.onDraw). */
  onDraw?: ChargePointOptions['onDraw'];
  /** Per charger: its wiring as the site has it (phases, maxAmps, minAmps), over the fleet-wide choices. */
  chargerOptions?: (id: string) => Partial<Pick<ChargePointOptions, 'phases' | 'maxAmps' | 'minAmps' | 'idTags'>>;
}

/** Many chargers: boot them, back-fill history with bounded concurrency, then run live. */
export class Fleet {
  readonly chargePoints: ChargePoint[];
  historySessions = 0;

  constructor(readonly opts: FleetOptions) {
    const root = new Rng(opts.seed);
    const ids =
      opts.ids ??
      Array.from({ length: opts.count ?? 1 }, (_, i) => `${opts.prefix ?? 'SIM'}${String(i + 1).padStart(4, '0')}`);
    this.chargePoints = ids.map((id) => {
      const rng = root.fork(id);
      const own = opts.chargerOptions?.(id) ?? {};
      const phases =
        own.phases ?? (opts.phases === 'mixed' || opts.phases === undefined ? (rng.chance(0.5) ? 3 : 1) : opts.phases);
      return new ChargePoint({
        ...own,
        id,
        url: opts.url,
        secret: typeof opts.secret === 'function' ? opts.secret(id) : opts.secret,
        clock: opts.clock,
        rng,
        phases,
        serialNumber: id,
        meterStartWh: rng.int(0, 5_000_000),
        timeZone: opts.timeZone,
        idTags: own.idTags ?? opts.idTags,
        rebootDelayMs: opts.rebootDelayMs,
        reconnectDelayMs: opts.reconnectDelayMs,
        onEvent: opts.onEvent,
        onDraw: opts.onDraw,
      });
    });
  }

  /** Boots every charger, back-fills history if asked, then lets drivers arrive. */
  async start(): Promise<void> {
    await forEachLimited(this.chargePoints, 50, (cp) => cp.start());
    const days = this.opts.historyDays ?? 0;
    if (days > 0) await this.backfill(days);
    if (this.opts.liveSessions ?? true) for (const cp of this.chargePoints) cp.startArrivals();
  }

  async backfill(days: number): Promise<void> {
    const to = this.opts.historyTo ?? this.opts.clock.now();
    const from = new Date(to.getTime() - days * 86400_000);
    await forEachLimited(this.chargePoints, this.opts.historyConcurrency ?? 8, async (cp) => {
      await backfillHistory(cp, { from, to, sampleS: this.opts.historySampleS ?? 3600 }, () => this.historySessions++);
    });
  }

  async stop(): Promise<void> {
    await Promise.all(this.chargePoints.map((cp) => cp.stop()));
  }

  summary() {
    const cps = this.chargePoints;
    return {
      chargers: cps.length,
      online: cps.filter((cp) => cp.isOnline).length,
      charging: cps.reduce((n, cp) => n + cp.connectors.filter((c) => c.session).length, 0),
      calls: cps.reduce((n, cp) => n + cp.callsSent, 0),
      queued: cps.reduce((n, cp) => n + cp.outbox.length, 0),
    };
  }
}

/** Runs `fn` over the items with at most `limit` at a time. */
export async function forEachLimited<T>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<unknown>,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await fn(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
