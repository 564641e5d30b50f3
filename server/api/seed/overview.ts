import type { FastifyInstance } from 'fastify';
import type { Static } from '@sinclair/typebox';
import { createLocalFormatter } from '../../time/local-format.ts';
import type { Answer } from './cached-answer.ts';
import { StateShareSchema } from './energy-schemas.ts';
import { kWh } from './periods.ts';
import { RecentQuery, RecentSchema, StateListSchema, StatisticSchema } from './schemas.ts';
import { stateShare } from './state-share.ts';

/** The overview page's tables and counters (seed 2.6 – 2.9). */
export default async function overviewRoutes(app: FastifyInstance, { answer }: { answer: Answer }) {
  const localDateTime = createLocalFormatter(app.config.siteTz);
  const viewer = { role: 'viewer' as const };

  app.get(
    '/api/charger/info/statistic/',
    { config: viewer, schema: { tags: ['seed'], summary: 'Counters (seed 2.6)', response: { 200: StatisticSchema } } },
    // 'states' too: a deauthorized session counts as charging by its connector's status (seed-queries.ts counters).
    (req, reply) =>
      answer(req, reply, ['registry', 'sessions', 'states'], async () => {
        const c = await app.repos.seedQueries.counters();
        // accumulate_minutes: the seed's comment says "总充电次数" but the key and its value are minutes.
        return {
          total_charger: c.chargers,
          accumulate_power: kWh(c.energyWh),
          accumulate_minutes: c.minutes,
          total_charging: c.charging,
        };
      }),
  );

  app.get<{ Querystring: Static<typeof RecentQuery> }>(
    '/api/recent/charging/record/list/',
    {
      config: viewer,
      schema: {
        tags: ['seed'],
        summary: 'Latest finished charging records, newest first (seed 2.7)',
        querystring: RecentQuery,
        response: { 200: RecentSchema },
      },
    },
    (req, reply) =>
      answer(req, reply, ['sessions'], async () => {
        const num = req.query.num;
        const rows = await app.repos.seedQueries.recentFinished(num);
        return {
          num,
          result: rows.map((r) => ({
            intrecordid: r.id,
            dttfinishtime: localDateTime(r.stoppedAt),
            dblenergy: kWh(r.energyWh),
          })),
        };
      }),
  );

  app.get(
    '/api/recent/charger/state/list/',
    {
      config: viewer,
      schema: {
        tags: ['seed'],
        summary: 'Charger states, most recently heard first (seed 2.8)',
        response: { 200: StateListSchema },
      },
    },
    (req, reply) =>
      answer(req, reply, ['registry', 'states'], async () => {
        const rows = await app.repos.seedQueries.statesByActivity();
        return {
          result: rows.map((r) => ({ vchchargerid: r.id, vchstate: r.state ?? '', vchcommand: r.lastCommand ?? '' })),
        };
      }),
  );

  app.get(
    '/api/charger/state/statistic/',
    {
      config: viewer,
      schema: {
        tags: ['seed'],
        summary: 'Share of chargers per state, percent (seed 2.9)',
        response: { 200: StateShareSchema },
      },
    },
    (req, reply) =>
      answer(req, reply, ['registry', 'states'], async () => ({
        result: stateShare(await app.repos.seedQueries.statesById()),
      })),
  );
}
