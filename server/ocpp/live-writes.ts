import type { FastifyInstance } from 'fastify';
import { Batcher } from '../../db/batcher.ts';
import type { AdmissionRow } from '../../db/repositories/chargers.ts';
import type { BootInfo, ConnectorStatus, LiveResult, LiveWrite } from '../../db/repositories/charger-live.ts';
import type { OcppMetrics } from './metrics.ts';

/**
 * Batches in flight at once on PostgreSQL, writes and look-ups: six of the
 * pool's ten connections at most, the rest stay free for everything else.
 * PGlite runs one statement at a time whatever we send, so there it is one.
 */
const PG_CONCURRENT = { writes: 4, lookups: 2 };
/**
 * How long a write waits for others to share its batch. A few milliseconds
 * on an answer that travels a mobile network costs a charger nothing, and
 * under a storm it turns hundreds of statements a second into tens.
 */
const WINDOW_MS = 5;

/**
 * The charger writes every charger makes at once after a restart (its
 * socket opened, BootNotification, StatusNotification, Heartbeat) or when a
 * site's network drops (its socket closed), and the handshake's look-up of
 * its row, through group commit (db/batcher.ts): what arrives within the
 * same few milliseconds is one statement (charger-live.ts). Each caller's
 * promise settles after the commit, so
 * a handler that awaits it still acknowledges only what is stored
 * (docs/PRODUCT.md §5); one charger's writes keep their order; a failed
 * batch is retried write by write, so a bad message fails alone.
 */
export function createLiveWrites(app: FastifyInstance, metrics: OcppMetrics) {
  const pg = app.database.engine === 'postgres';
  const observe = (which: string) => (size: number, split: boolean) => {
    metrics.batchSize.observe({ batch: which }, size);
    if (split) metrics.batchSplits.inc({ batch: which });
  };
  const writes = new Batcher<LiveWrite, LiveResult>({
    key: (w) => w.chargerId,
    runBatch: (ws) => app.repos.chargerLive.apply(ws),
    runOne: async (w) => (await app.repos.chargerLive.apply([w]))[0]!,
    maxConcurrent: pg ? PG_CONCURRENT.writes : 1,
    windowMs: WINDOW_MS,
    onBatch: observe('live'),
  });
  const lookups = new Batcher<string, AdmissionRow | undefined>({
    key: (id) => id,
    runBatch: async (ids) => {
      const rows = new Map((await app.repos.chargers.admissionRows(ids)).map((r) => [r.id, r]));
      return ids.map((id) => rows.get(id));
    },
    runOne: async (id) => (await app.repos.chargers.admissionRows([id]))[0],
    maxConcurrent: pg ? PG_CONCURRENT.lookups : 1,
    windowMs: WINDOW_MS,
    onBatch: observe('admission'),
  });
  return {
    /** Resolves once every write submitted so far has landed (or failed). */
    settled: () => Promise.all([writes.settled(), lookups.settled()]).then(() => undefined),
    /** The handshake's look-up: secret hash, fast check and registration of one charger. */
    admissionRow: (id: string) => lookups.submit(id),
    connected: (chargerId: string, at: Date) => writes.submit({ kind: 'connected', chargerId, at }),
    disconnected: (chargerId: string, at: Date) => writes.submit({ kind: 'disconnected', chargerId, at }),
    boot: (chargerId: string, info: BootInfo, interval: { accepted: number; pending: number }, at: Date) =>
      writes.submit({ kind: 'boot', chargerId, info, interval, at }),
    status: (chargerId: string, status: ConnectorStatus, at: Date) =>
      writes.submit({ kind: 'status', chargerId, status, at }),
    seen: (chargerId: string, action: string, at: Date) => writes.submit({ kind: 'seen', chargerId, action, at }),
  };
}
export type LiveWrites = ReturnType<typeof createLiveWrites>;
