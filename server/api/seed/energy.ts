import type { FastifyInstance } from 'fastify';
import type { Static } from '@sinclair/typebox';
import type { PeriodEnergy } from '../../../db/repositories/energy-queries.ts';
import { AppError } from '../../errors.ts';
import type { Answer } from './cached-answer.ts';
import {
  ChartPerChargerSchema,
  ChartQuery,
  ChartSchema,
  MonthlyEnergyListSchema,
  MonthlyEnergySchema,
} from './energy-schemas.ts';
import { requireCharger } from './params.ts';
import { MAX_OFFSET, MODE_UNIT, kWh, lastPeriods, monthsOfYear } from './periods.ts';
import { ChargerIdQuery } from './schemas.ts';

/** Wh per label, in label order, zero where nothing finished; and the total in Wh. */
function series(labels: string[], rows: PeriodEnergy[]): { y: number[]; totalWh: number } {
  const byLabel = new Map(rows.map((r) => [r.period, r.energyWh]));
  const wh = labels.map((l) => byLabel.get(l) ?? 0);
  return { y: wh.map(kWh), totalWh: wh.reduce((a, b) => a + b, 0) };
}

function groupByCharger(rows: PeriodEnergy[]): Map<string, PeriodEnergy[]> {
  const out = new Map<string, PeriodEnergy[]>();
  for (const r of rows) {
    const list = out.get(r.chargerId!) ?? [];
    list.push(r);
    out.set(r.chargerId!, list);
  }
  return out;
}

/** Energy charts (seed 2.10, 2.11, 3.1, 3.2): site-local periods, a session counts where it finished. */
export default async function energyRoutes(app: FastifyInstance, { answer }: { answer: Answer }) {
  const tz = app.config.siteTz;
  const viewer = { role: 'viewer' as const };

  app.get<{ Querystring: Static<typeof ChargerIdQuery> }>(
    '/api/monthly/energy/',
    {
      config: viewer,
      schema: {
        tags: ['seed'],
        summary: 'Energy of the last 6 months, newest first (seed 2.10)',
        querystring: ChargerIdQuery,
        response: { 200: MonthlyEnergySchema },
      },
    },
    (req, reply) =>
      answer(req, reply, ['sessions', 'registry'], async () => {
        const chargerId = await requireCharger(app, req.query.charger_id);
        const w = lastPeriods(app.clock.now(), tz, 'month', 6);
        const { y } = series(
          w.labels,
          await app.repos.energy.byPeriod({ unit: 'month', fromDay: w.fromDay, toDay: w.toDay, chargerId }),
        );
        return { x: [...w.labels].reverse(), y: y.reverse() };
      }),
  );

  app.get(
    '/api/monthly/energy/list/',
    {
      config: viewer,
      schema: {
        tags: ['seed'],
        summary: 'Energy per charger, the 12 months of this year (seed 2.11)',
        response: { 200: MonthlyEnergyListSchema },
      },
    },
    (req, reply) =>
      answer(req, reply, ['sessions', 'registry'], async () => {
        const w = monthsOfYear(app.clock.now(), tz);
        const [ids, rows] = await Promise.all([
          app.repos.seedQueries.chargerIds(),
          app.repos.energy.byPeriod({ unit: 'month', fromDay: w.fromDay, toDay: w.toDay, perCharger: true }),
        ]);
        const per = groupByCharger(rows);
        return { data: ids.map((id) => ({ charger_id: id, y: series(w.labels, per.get(id) ?? []).y, x: w.labels })) };
      }),
  );

  function window(q: Static<typeof ChartQuery>) {
    const unit = MODE_UNIT[q.mode]!;
    if (q.offset > MAX_OFFSET[unit]) {
      throw new AppError('VALIDATION_FAILED', `offset must be at most ${MAX_OFFSET[unit]} for mode ${q.mode}`, {
        offset: `must be from 1 to ${MAX_OFFSET[unit]} for mode ${q.mode}`,
      });
    }
    return { unit, ...lastPeriods(app.clock.now(), tz, unit, q.offset) };
  }

  app.get<{ Querystring: Static<typeof ChartQuery> }>(
    '/bmw/chart/getAllRecentChargerRecords/',
    {
      config: viewer,
      schema: {
        tags: ['seed'],
        summary: 'Energy trend, last N years/months/days oldest first (seed 3.1)',
        querystring: ChartQuery,
        response: { 200: ChartSchema },
      },
    },
    (req, reply) =>
      answer(req, reply, ['sessions', 'registry'], async () => {
        const w = window(req.query);
        const chargerId = await requireCharger(app, req.query.charger_id);
        const { y, totalWh } = series(
          w.labels,
          await app.repos.energy.byPeriod({ unit: w.unit, fromDay: w.fromDay, toDay: w.toDay, chargerId }),
        );
        return { x: w.labels, y, total: kWh(totalWh) };
      }),
  );

  app.get<{ Querystring: Static<typeof ChartQuery> }>(
    '/bmw/chart/getRecentChargerRecords/',
    {
      config: viewer,
      schema: {
        tags: ['seed'],
        summary: 'Energy per charger, last N years/months/days (seed 3.2)',
        querystring: ChartQuery,
        response: { 200: ChartPerChargerSchema },
      },
    },
    (req, reply) =>
      answer(req, reply, ['sessions', 'registry'], async () => {
        const w = window(req.query);
        const chargerId = await requireCharger(app, req.query.charger_id);
        const [ids, rows] = await Promise.all([
          chargerId ? Promise.resolve([chargerId]) : app.repos.seedQueries.chargerIds(),
          app.repos.energy.byPeriod({ unit: w.unit, fromDay: w.fromDay, toDay: w.toDay, chargerId, perCharger: true }),
        ]);
        const per = groupByCharger(rows);
        return ids.map((id) => {
          const { y, totalWh } = series(w.labels, per.get(id) ?? []);
          return { charger_id: id, x: w.labels, y, total: kWh(totalWh) };
        });
      }),
  );
}
