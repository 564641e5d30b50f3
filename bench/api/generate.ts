import { sql } from 'drizzle-orm';
import type { Database } from '../../db/client.ts';
import { createBulkHistoryRepository, type BulkHistoryOptions } from '../../db/repositories/bulk-history.ts';

export type Timings = Record<string, number>;

async function timed(t: Timings, label: string, fn: () => Promise<void>): Promise<void> {
  const start = performance.now();
  await fn();
  t[label] = (t[label] ?? 0) + (performance.now() - start) / 1000;
}

/**
 * Fills a fresh bench database: chargers, finished sessions in batches,
 * energy register samples in batches, the rollups, then ANALYZE so the planner
 * sees the real sizes. Returns seconds per step.
 */
export async function generate(
  database: Database,
  o: BulkHistoryOptions,
  log: (line: string) => void,
  sampleBudgetS = Infinity,
): Promise<Timings & { sampleRows: number }> {
  const bulk = createBulkHistoryRepository(database.db);
  const t: Timings = {};
  await timed(t, 'chargers', () => bulk.chargers(o));
  const batch = 200_000;
  for (let from = 1; from <= o.sessions; from += batch) {
    const to = Math.min(o.sessions, from + batch - 1);
    await timed(t, 'sessions', () => bulk.sessions(o, from, to));
    log(`  sessions ${to.toLocaleString()} / ${o.sessions.toLocaleString()} (${t.sessions!.toFixed(1)} s)`);
  }
  let sampleRows = 0;
  if (o.samplesPerSession > 0) {
    const per = 100_000; // sessions per batch: 1M sample rows at 10 per session
    for (let from = 1; from <= o.sessions; from += per) {
      const to = Math.min(o.sessions, from + per - 1);
      await timed(t, 'samples', () => bulk.samples(o, from, to));
      sampleRows += (to - from + 1) * o.samplesPerSession;
      log(`  samples ${sampleRows.toLocaleString()} (${t.samples!.toFixed(1)} s)`);
      // A shared machine: stop at the time budget and report what was reached.
      if (t.samples! > sampleBudgetS) break;
    }
  }
  await timed(t, 'rollups', () => bulk.rollups(o));
  await timed(t, 'analyze', async () => {
    await database.db.execute(sql`analyze`);
  });
  return { ...t, sampleRows };
}
