import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { cachedAnswers, seriesAnswers } from './cached-answer.ts';
import type { ChargerSeriesCache } from './charger-series.ts';
import chargerDetailsRoutes from './charger-details.ts';
import deviceRoutes from './devices.ts';
import energyRoutes from './energy.ts';
import overviewRoutes from './overview.ts';
import recordRoutes from './records.ts';

declare module 'fastify' {
  interface FastifyInstance {
    /** The per-charger chart answers kept in place (charger-series.ts); tests read its `fullReads`. */
    seedSeries: ChargerSeriesCache;
  }
}

/** The seed-compatible dashboard API (docs/PRODUCT.md §3; settings 2.4/2.5 live in api/settings). */
async function seedRoutes(app: FastifyInstance) {
  const answer = cachedAnswers(app);
  const series = seriesAnswers(app);
  app.decorate('seedSeries', series.cache);
  await app.register(chargerDetailsRoutes);
  await app.register(recordRoutes, { answer });
  await app.register(overviewRoutes, { answer });
  await app.register(deviceRoutes, { answer });
  await app.register(energyRoutes, { answer, series: series.answer });
}

/** Not encapsulated, so `app.seedSeries` is on the app; the route groups keep their own contexts. */
export default fp(seedRoutes, { name: 'seed-routes' });
