import type { FastifyInstance } from 'fastify';
import type { Static } from '@sinclair/typebox';
import type { TransactionRow } from '../../../db/schema/index.ts';
import { AppError } from '../../errors.ts';
import type { Answer } from './cached-answer.ts';
import { createLocalFormatter } from '../../time/local-format.ts';
import { localDayRange, parseDay, requireCharger } from './params.ts';
import { kWh } from './periods.ts';
import { RecordDetailSchema, RecordIdParams, RecordListQuery, RecordListSchema, type RecordSchema } from './schemas.ts';

/**
 * Seed 2.2 fields (docs/PRODUCT.md §3): dttstartqueue when the connector went Preparing,
 * else the start; dttfinishtime the planned finish, else the real one;
 * dttrealfinish the StopTransaction time. A running session has neither
 * finish unless one was planned: null says so honestly.
 */
export function presentRecord(t: TransactionRow, localIsoSeconds: (at: Date) => string): Static<typeof RecordSchema> {
  const finish = t.plannedFinishAt ?? t.stoppedAt;
  return {
    intrecordid: t.id,
    intchargingcode: t.sessionNumber,
    vchchargerid: t.chargerId,
    dttstartqueue: localIsoSeconds(t.queuedAt ?? t.startedAt),
    dttstarttime: localIsoSeconds(t.startedAt),
    dttfinishtime: finish ? localIsoSeconds(finish) : null,
    dttrealfinish: t.stoppedAt ? localIsoSeconds(t.stoppedAt) : null,
  };
}

export default async function recordRoutes(app: FastifyInstance, { answer }: { answer: Answer }) {
  const tz = app.config.siteTz;
  const local = createLocalFormatter(tz, 'T');

  app.get<{ Querystring: Static<typeof RecordListQuery> }>(
    '/api/charging/record/list/',
    {
      config: { role: 'viewer' },
      schema: {
        tags: ['seed'],
        summary: 'Charging records that started on a site-local day (seed 2.2)',
        querystring: RecordListQuery,
        response: { 200: RecordListSchema },
      },
    },
    // A day's list changes only when a session starts or stops (or the charger goes).
    (req, reply) =>
      answer(req, reply, ['sessions', 'registry'], async () => {
        const day = parseDay(req.query.date, 'date');
        const chargerId = await requireCharger(app, req.query.charger_id);
        const { from, to } = localDayRange(day, tz);
        const rows = await app.repos.seedQueries.startedBetween(from, to, chargerId);
        return { result: rows.map((t) => presentRecord(t, local)) };
      }),
  );

  app.get<{ Params: Static<typeof RecordIdParams> }>(
    '/api/charging/record/:intrecordid/',
    {
      config: { role: 'viewer' },
      schema: {
        tags: ['seed'],
        summary: 'One charging record in full, for the "Start" modal (seed 2.2)',
        params: RecordIdParams,
        response: { 200: RecordDetailSchema },
      },
    },
    async (req) => {
      const t = await app.repos.transactions.get(req.params.intrecordid);
      if (!t)
        throw new AppError('NOT_FOUND', `No charging record ${req.params.intrecordid}`, {
          intrecordid: 'no such record',
        });
      const end = t.stoppedAt ?? app.clock.now();
      return {
        result: {
          ...presentRecord(t, local),
          intconnectorid: t.connectorId,
          vchidtag: t.idTag,
          intmeterstart: t.meterStart,
          intmeterstop: t.meterStop,
          dblenergy: kWh(t.energyWh ?? t.liveEnergyWh ?? 0),
          dblminutes: Math.max(0, (end.getTime() - t.startedAt.getTime()) / 60_000),
          vchstopreason: t.stopReason,
          blnmeteranomaly: t.meterAnomaly ? 1 : 0,
        },
      };
    },
  );
}
