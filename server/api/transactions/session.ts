import type { FastifyInstance } from 'fastify';
import type { Static } from '@sinclair/typebox';
import { AppError } from '../../errors.ts';
import { createLocalFormatter } from '../../time/local-format.ts';
import { presentTransactionItem } from './present.ts';
import { TransactionIdParams } from './schemas.ts';
import { MeterValuesAnswer, MeterValuesQuery, SessionAnswer } from './session-schemas.ts';

const COMMANDS = 500;

/**
 * The session page's data (docs/PRODUCT.md §8): GET /api/transactions/<id>
 * (the session, the allowances sent for it, the commands sent during it) and
 * GET /api/transactions/<id>/meter-values (its curve, downsampled with ?points=N).
 */
export default async function sessionRoutes(app: FastifyInstance) {
  const local = createLocalFormatter(app.config.siteTz);

  const found = async (id: number) => {
    const tx = await app.repos.transactions.get(id);
    if (!tx) throw new AppError('NOT_FOUND', `No transaction ${id}`);
    return tx;
  };

  app.get<{ Params: Static<typeof TransactionIdParams> }>(
    '/api/transactions/:id',
    {
      config: { role: 'viewer' },
      schema: {
        tags: ['transactions'],
        summary: 'One session: its fields, the allowances the load controller sent, the commands sent during it',
        params: TransactionIdParams,
        response: { 200: SessionAnswer },
      },
    },
    async (req) => {
      const tx = await found(req.params.id);
      const now = app.clock.now();
      const end = tx.stoppedAt ?? now;
      const [signed, commands, allowances] = await Promise.all([
        app.repos.transactions.signedCounts([tx.id]),
        app.repos.sessionCurve.commandsDuring(tx.chargerId, tx.startedAt, end, COMMANDS),
        app.repos.sessionCurve.allowances(tx.chargerId, tx.id, tx.startedAt, end),
      ]);
      return {
        ...presentTransactionItem(tx, local, signed.get(tx.id) ?? 0),
        running: tx.stoppedAt === null,
        startedAtIso: tx.startedAt.toISOString(),
        stoppedAtIso: tx.stoppedAt?.toISOString() ?? null,
        durationSeconds: Math.max(0, (end.getTime() - tx.startedAt.getTime()) / 1000),
        liveEnergyKWh: tx.stoppedAt === null && tx.liveEnergyWh !== null ? tx.liveEnergyWh / 1000 : null,
        livePowerKW: tx.stoppedAt === null && tx.livePowerW !== null ? tx.livePowerW / 1000 : null,
        allowances: allowances.map((a) => ({ at: a.at.toISOString(), limitA: a.limitA })),
        commands: commands.map((c) => ({
          id: c.id,
          action: c.action,
          requestedBy: c.requestedBy,
          requestedAt: c.requestedAt.toISOString(),
          outcome: c.outcome,
          status: (c.response as { status?: unknown } | null)?.status?.toString() ?? null,
          durationMs: c.durationMs,
        })),
      };
    },
  );

  app.get<{ Params: Static<typeof TransactionIdParams>; Querystring: Static<typeof MeterValuesQuery> }>(
    '/api/transactions/:id/meter-values',
    {
      config: { role: 'viewer' },
      schema: {
        tags: ['transactions'],
        summary:
          "The session's numeric meter samples, oldest first; ?points=N keeps each series' min and max per time bucket",
        params: TransactionIdParams,
        querystring: MeterValuesQuery,
        response: { 200: MeterValuesAnswer },
      },
    },
    async (req) => {
      const tx = await found(req.params.id);
      const points = req.query.points;
      // With points the database thins the curve (min/max per time bucket) and only the kept rows come here.
      const { stored, samples } =
        points === undefined
          ? await app.repos.sessionCurve.samples(tx.id).then((all) => ({ stored: all.length, samples: all }))
          : await app.repos.sessionCurve.downsampled(tx.id, points);
      return {
        transactionId: tx.id,
        chargerId: tx.chargerId,
        meterStart: tx.meterStart,
        stored,
        downsampled: points !== undefined,
        items: samples.map((s) => ({
          timestamp: new Date(s.at).toISOString(),
          measurand: s.measurand,
          phase: s.phase || null,
          unit: s.unit,
          value: s.value,
          context: s.context,
        })),
      };
    },
  );
}
