import type { FastifyInstance } from 'fastify';
import type { Static } from '@sinclair/typebox';
import { createAuditRepository } from '../../../db/repositories/audit.ts';
import { AppError } from '../../errors.ts';
import { publishStopped } from '../../ocpp/close-sessions.ts';
import { actorName } from '../../plugins/auth.ts';
import { localDay } from '../../time/site-time.ts';
import { strictBody } from '../strict-body.ts';
import { createLocalFormatter } from '../../time/local-format.ts';
import { presentTransaction, presentTransactionItem } from './present.ts';
import { CloseTransactionBody, TransactionIdParams, TransactionItem } from './schemas.ts';

/**
 * POST /api/transactions/<id>/close: an operator closes a session its
 * charger never stopped (docs/OPERATIONS.md "Open sessions"), at now with the
 * best known meter reading, reason Other (OCPP 1.6 §7.34), audited with
 * before and after in the same database transaction. Repeating it answers
 * the closed session; a session the charger stopped itself is a 409. A
 * StopTransaction the charger delivers later still replaces this close.
 */
export default async function closeTransactionRoute(app: FastifyInstance) {
  const local = createLocalFormatter(app.config.siteTz);
  app.post<{ Params: Static<typeof TransactionIdParams>; Body: Static<typeof CloseTransactionBody> }>(
    '/api/transactions/:id/close',
    {
      config: { role: 'operator' },
      preValidation: strictBody(CloseTransactionBody),
      schema: {
        tags: ['transactions'],
        summary: 'Close a session the charger never stopped (idempotent)',
        params: TransactionIdParams,
        body: CloseTransactionBody,
        response: { 200: TransactionItem },
      },
    },
    async (req) => {
      const at = app.clock.now();
      const actor = actorName(req.principal);
      const note = req.body.reason?.trim() || null;
      const result = await app.repos.transactions.closeByOperator(req.params.id, {
        at,
        dayOf: (d) => localDay(d, app.config.siteTz),
        note,
        audit: (tx, before, after) =>
          createAuditRepository(tx).record({
            at,
            actor,
            action: 'transaction.close',
            target: `transaction:${before.id}`,
            before: presentTransaction(before, local),
            after: presentTransaction(after, local),
          }),
      });
      if (!result) throw new AppError('NOT_FOUND', `No session ${req.params.id}`);
      if (result.outcome === 'charger')
        throw new AppError('TRANSACTION_STOPPED_BY_CHARGER', `The charger stopped session ${req.params.id} itself`);
      if (result.outcome === 'closed') publishStopped(app, result.transaction, at);
      const signed = await app.repos.transactions.signedCounts([result.transaction.id]);
      return presentTransactionItem(result.transaction, local, signed.get(result.transaction.id) ?? 0);
    },
  );
}
