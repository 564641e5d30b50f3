import { sql } from 'drizzle-orm';
import Fastify from 'fastify';
import { openDatabase } from '../../db/client.ts';
import { buildApp } from '../../server/app.ts';
import { testConfig } from '../../server/config.ts';
import { localDay } from '../../server/time/site-time.ts';

/**
 * The bench's server process: the real app (real auth, real routes) over the
 * bench database, and a bare Fastify route as the same-machine baseline.
 * Prints one JSON line with both ports; stops on SIGTERM.
 */
const database = await openDatabase({ databaseUrl: process.env.BENCH_DATABASE, poolSize: 10 });
const tz = process.env.BENCH_TZ ?? 'Asia/Shanghai';
const app = await buildApp(testConfig({ siteTz: tz }), {
  database,
  logger: false,
});
await app.listen({ port: 0, host: '127.0.0.1' });
const bare = Fastify({ logger: false });
bare.get('/bare', async () => ({ hello: 'world' }));
await bare.listen({ port: 0, host: '127.0.0.1' });
const port = (s: typeof app.server) => (s.address() as { port: number }).port;
process.stdout.write(`${JSON.stringify({ port: port(app.server), barePort: port(bare.server) })}\n`);

let peakRss = 0;
setInterval(() => {
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
}, 20).unref();
/**
 * A session's stop as the rollups see it: 1 Wh more in the charger's
 * energy_daily row of today (its triggers move the monthly and site rows),
 * then the event, as the StopTransaction handler publishes it after its
 * commit. So the per-charger charts really change with every stop.
 */
let stops = 0;
async function stop(chargerId: string): Promise<void> {
  stops += 1;
  const day = localDay(new Date(), tz);
  await database.db.execute(sql`
    insert into energy_daily (charger_id, day, energy_wh, minutes, sessions) values (${chargerId}, ${day}::date, 1, 1, 1)
    on conflict (charger_id, day) do update set energy_wh = energy_daily.energy_wh + 1,
      minutes = energy_daily.minutes + 1, sessions = energy_daily.sessions + 1`);
  app.events.publish({
    type: 'transaction.stopped',
    chargerId,
    at: new Date().toISOString(),
    transactionId: stops,
    energyWh: 1,
    reason: null,
    cause: 'charger',
  });
}

// Churn: events as a busy site's chargers would publish them (a status change,
// then a stop), so the read cache is emptied while the endpoints are loaded.
let churn: NodeJS.Timeout | undefined;
function setChurn(perSecond: number): void {
  clearInterval(churn);
  churn = undefined;
  if (perSecond <= 0) return;
  let n = 0;
  churn = setInterval(() => {
    const at = new Date().toISOString();
    n += 1;
    if (n % 2)
      app.events.publish({
        type: 'status',
        chargerId: 'BENCH00001',
        at,
        connectorId: 1,
        status: 'Available',
        errorCode: 'NoError',
        state: 'Available',
      });
    else void stop('BENCH00001');
  }, 1000 / perSecond);
}
process.on('message', (m) => {
  if (typeof m === 'object' && m !== null && 'churn' in m) {
    setChurn(Number((m as { churn: number }).churn));
    process.send?.({ ok: true });
  }
  if (typeof m === 'object' && m !== null && 'stop' in m) {
    void stop(String((m as { stop: string }).stop)).then(() => process.send?.({ ok: true }));
  }
  if (m === 'cpu') {
    const u = process.cpuUsage();
    process.send?.({ cpuMs: (u.user + u.system) / 1000 });
  }
  if (m === 'rss') process.send?.({ rss: process.memoryUsage().rss, peakRss });
  if (m === 'reset-rss') {
    peakRss = 0;
    process.send?.({ ok: true });
  }
});
process.on('SIGTERM', () => {
  void (async () => {
    await bare.close();
    await app.close();
    await database.close();
    process.exit(0);
  })();
});
