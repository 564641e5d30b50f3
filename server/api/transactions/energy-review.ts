import type { FastifyInstance } from 'fastify';
import type { Static } from '@sinclair/typebox';
import { AppError } from '../../errors.ts';
import { actorName } from '../../plugins/auth.ts';
import { localDay } from '../../time/site-time.ts';
import { EnergyReviewAnswer } from './schemas.ts';
import { SignedReadingsParams } from './signed-schemas.ts';

const DECISIONS = { confirm: 'confirmed', reject: 'rejected' } as const;

/**
 * POST /api/transactions/:id/energy/confirm and /reject: an operator's
 * decision on a stopped session whose meter readings were flagged as
 * implausible. Confirm counts its energy in the charger's totals and the
 * rollups of its stop day (seed 2.6, 2.10, 2.11, 3.1, 3.2), reject keeps it
 * out; both in one database transaction with the audit entry, and asking
 * again for the same decision answers the same session and changes nothing.
 */
export default async function energyReviewRoutes(app: FastifyInstance) {
  for (const [verb, decision] of Object.entries(DECISIONS)) {
    app.post<{ Params: Static<typeof SignedReadingsParams> }>(
      `/api/transactions/:id/energy/${verb}`,
      {
        config: { role: 'operator' },
        schema: {
          tags: ['transactions'],
          summary:
            verb === 'confirm'
              ? "Count a flagged session's energy in the totals and rollups (idempotent)"
              : "Keep a flagged session's energy out of the totals for good (idempotent)",
          params: SignedReadingsParams,
          response: { 200: EnergyReviewAnswer },
        },
      },
      async (req) => {
        const id = req.params.id;
        const at = app.clock.now();
        const result = await app.repos.transactions.reviewEnergy({
          transactionId: id,
          decision,
          by: actorName(req.principal),
          at,
          localDay: (stoppedAt) => localDay(stoppedAt, app.config.siteTz),
        });
        switch (result.outcome) {
          case 'not_found':
            throw new AppError('NOT_FOUND', `No transaction ${id}`);
          case 'running':
            throw new AppError('CONFLICT', `Transaction ${id} is still running; its energy is known once it stops`);
          case 'not_flagged':
            throw new AppError('CONFLICT', `Transaction ${id} has no flagged energy to ${verb}`);
          case 'decided':
            throw new AppError('CONFLICT', `Transaction ${id}'s energy was already ${result.transaction.energyReview}`);
          default: {
            const t = result.transaction;
            if (result.outcome === 'reviewed') {
              app.events.publish({
                type: 'transaction.energy',
                chargerId: t.chargerId,
                at: at.toISOString(),
                transactionId: t.id,
                review: decision,
              });
            }
            return {
              id: t.id,
              energyReview: t.energyReview!,
              energyKWh: (t.energyWh ?? 0) / 1000,
              anomalyReasons: t.anomalyReasons,
              counted: t.energyReview === 'confirmed',
              reviewedAt: t.energyReviewedAt!.toISOString(),
              reviewedBy: t.energyReviewedBy!,
              changed: result.outcome === 'reviewed',
            };
          }
        }
      },
    );
  }
}
