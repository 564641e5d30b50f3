import type { Clock } from '../../clock.ts';
import type { OcppMessageRepository } from '../../../db/repositories/ocpp-messages.ts';
import type { MessageLogMetrics } from './metrics.ts';

/** Rows per DELETE: short statements, so pruning never holds PGlite's one queue (or a lock) for long. */
const PRUNE_BATCH = 5_000;

export interface RetentionOptions {
  repo(): OcppMessageRepository;
  clock: Clock;
  retentionDays: number;
  maxRowsPerCharger: number;
  metrics: MessageLogMetrics;
}

/**
 * The message log's retention (docs/OPERATIONS.md "OCPP message log"): rows
 * older than `retentionDays`, and a charger's rows beyond its newest
 * `maxRowsPerCharger`, deleted in batches. A charger's count is checked only
 * after a tenth of its cap has been written since its last check (every
 * charger that wrote anything, after a start), so a sweep costs nothing for
 * quiet chargers.
 */
export class MessageRetention {
  /** Rows written per charger since its last cap check. */
  private readonly written = new Map<string, number>();
  private readonly checked = new Set<string>();

  constructor(private readonly opts: RetentionOptions) {}

  noteWritten(counts: Map<string, number>): void {
    for (const [id, n] of counts) this.written.set(id, (this.written.get(id) ?? 0) + n);
  }

  /** One sweep; returns the rows deleted by age and by the per-charger cap. */
  async prune(): Promise<{ age: number; perCharger: number }> {
    const repo = this.opts.repo();
    const cutoff = new Date(this.opts.clock.now().getTime() - this.opts.retentionDays * 86_400_000);
    let age = 0;
    for (let n = PRUNE_BATCH; n === PRUNE_BATCH; age += n) n = await repo.pruneOlderThan(cutoff, PRUNE_BATCH);
    this.opts.metrics.pruned.inc({ rule: 'age' }, age);

    const every = Math.max(1, Math.floor(this.opts.maxRowsPerCharger / 10));
    let perCharger = 0;
    for (const [id, n] of [...this.written]) {
      if (n < every && this.checked.has(id)) continue;
      this.written.delete(id);
      this.checked.add(id);
      for (let d = PRUNE_BATCH; d === PRUNE_BATCH; perCharger += d)
        d = await repo.pruneBeyond(id, this.opts.maxRowsPerCharger, PRUNE_BATCH);
    }
    this.opts.metrics.pruned.inc({ rule: 'per_charger' }, perCharger);
    return { age, perCharger };
  }
}
