import type { FastifyInstance } from 'fastify';
import type { Static } from '@sinclair/typebox';
import type { PeriodEnergy } from '../../../db/repositories/energy-queries.ts';
import { AppError } from '../../errors.ts';
import type { Answer, SeriesAnswer } from './cached-answer.ts';
import type { SeriesShape } from './charger-series.ts';
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

/**
 * Seed 2.11 written one charger at a time (charger-series.ts), in the
 * schema's key order (MonthlyEnergyListSchema: y before x), as its
 * serialiser would write it.
 */
const MONTHLY_LIST: SeriesShape = {
  open: '{"data":[',
  close: ']}',
  entry: (id, labels, wh) => JSON.stringify({ charger_id: id, y: wh.map(kWh), x: labels }),
};

/** Seed 3.2 over every charger, likewise (ChartPerChargerSchema). */
const PER_CHARGER: SeriesShape = {
  open: '[',
  close: ']',
  entry: (id, labels, wh) =>
    JSON.stringify({ charger_id: id, x: labels, y: wh.map(kWh), total: kWh(wh.reduce((a, b) => a + b, 0)) }),
};

/** Energy charts (seed 2.10, 2.11, 3.1, 3.2): site-local periods, a session counts where it finished. */
export default async function energyRoutes(
  app: FastifyInstance,
  { answer, series: seriesAnswer }: { answer: Answer; series: SeriesAnswer },
) {
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
      seriesAnswer(req, reply, '2.11', { unit: 'month', ...monthsOfYear(app.clock.now(), tz) }, MONTHLY_LIST),
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
    async (req, reply) => {
      const w = window(req.query);
      // Every charger: kept in place as sessions end; one charger: a small answer, cached as the others.
      if (req.query.charger_id === undefined) return seriesAnswer(req, reply, '3.2', w, PER_CHARGER);
      return answer(req, reply, ['sessions', 'registry'], async () => {
        const chargerId = await requireCharger(app, req.query.charger_id);
        const rows = await app.repos.energy.byPeriod({
          unit: w.unit,
          fromDay: w.fromDay,
          toDay: w.toDay,
          chargerId,
          perCharger: true,
        });
        const { y, totalWh } = series(w.labels, rows);
        return [{ charger_id: chargerId!, x: w.labels, y, total: kWh(totalWh) }];
      });
    },
  );
}
