import type { FastifyInstance } from 'fastify';
import { Batcher } from '../../db/batcher.ts';
import type { MeterResult, MeterWrite } from '../../db/repositories/meter-ingest.ts';
import type { OcppMetrics } from './metrics.ts';

/**
 * Batches of MeterValues in flight at once on PostgreSQL: with live-writes.ts's
 * six, nine of the pool's ten connections at most. PGlite runs one statement
 * at a time whatever we send, so there it is one; there the batch size adapts
 * to the load by itself: what arrives while a batch runs forms the next one.
 */
const PG_CONCURRENT = 3;
/** How long a MeterValues waits for others to share its statement (live-writes.ts says why a few ms cost nothing). */
const WINDOW_MS = 5;
/** Messages per batch: every row travels in one JSON parameter, so this bounds the statement's size, not its parameters. */
const MAX_ITEMS = 500;

/**
 * MeterValues of many chargers through group commit (db/batcher.ts): what
 * arrives within the same few milliseconds is one statement
 * (db/repositories/meter-ingest.ts), each caller's promise settles after
 * it committed, so the handler acknowledges only what is stored
 * (docs/PRODUCT.md §5); one charger's messages keep their order; a failed
 * batch is retried message by message, so a bad one fails alone with its own
 * SQLSTATE (db-failure.ts) and its neighbours are stored.
 */
export function createMeterWrites(
  app: FastifyInstance,
  metrics: OcppMetrics,
  /** Tests widen the window to put chosen messages in one batch. */
  tuning: { windowMs?: number } = {},
) {
  const pg = app.database.engine === 'postgres';
  const batcher = new Batcher<MeterWrite, MeterResult>({
    key: (w) => w.chargerId,
    runBatch: (ws) => app.repos.meterIngest.apply(ws),
    runOne: async (w) => (await app.repos.meterIngest.apply([w]))[0]!,
    maxConcurrent: pg ? PG_CONCURRENT : 1,
    maxItems: MAX_ITEMS,
    windowMs: tuning.windowMs ?? WINDOW_MS,
    onBatch: (size, split) => {
      metrics.batchSize.observe({ batch: 'meter' }, size);
      if (split) metrics.batchSplits.inc({ batch: 'meter' });
    },
  });
  return {
    write: (w: MeterWrite) => batcher.submit(w),
    /** Resolves once every write submitted so far has landed (or failed). */
    settled: () => batcher.settled(),
  };
}
export type MeterWrites = ReturnType<typeof createMeterWrites>;
