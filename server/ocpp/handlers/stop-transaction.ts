import { localDay } from '../../time/site-time.ts';
import { publishStopped } from '../close-sessions.ts';
import type { OcppHandler } from '../context.ts';
import { publishState } from '../context.ts';
import { idTagInfo, type IdTagInfo } from '../id-tag-info.ts';
import { toSampleRows, type MeterValue } from '../samples.ts';

type Params = { transactionId: number; meterStop: number; timestamp: string; idTag?: string; reason?: string; transactionData?: MeterValue[] };

/**
 * StopTransaction (OCPP 1.6 §4.10) with its transactionData. The energy,
 * totals and the daily rollup of the site-local stop day move in one database
 * transaction (repository); a resend changes nothing. A stop for a session
 * closed without one (connector Available, reboot, operator) is accepted
 * and replaces that close, rollups moved in the same database transaction:
 * a charger delivers its queued StopTransaction after rebooting (§3.16). An unknown
 * transactionId is still answered (the charger would otherwise resend it
 * forever) and kept as a charger event for the operator. Ends a remote stop's
 * "RemoteStopCharging" (SPEC §3).
 */
export const stopTransaction: OcppHandler<Params, { idTagInfo?: IdTagInfo }> = async ({ app, chargerId, now }, p) => {
  const current = await app.repos.transactions.get(p.transactionId);
  const stoppedAt = new Date(p.timestamp);
  if (!current || current.chargerId !== chargerId) {
    await app.repos.chargerEvents.add(chargerId, 'UnknownStopTransaction', p, now);
  } else {
    if (p.transactionData?.length) {
      await app.repos.transactions.addSamples(toSampleRows(chargerId, current.connectorId, current.id, p.transactionData));
    }
    const stopped = await app.repos.transactions.stop({
      transactionId: current.id,
      meterStop: p.meterStop,
      stoppedAt,
      reason: p.reason,
      idTag: p.idTag,
      localDay: localDay(stoppedAt, app.config.siteTz),
    });
    if (stopped && !stopped.duplicate) publishStopped(app, stopped.transaction, now);
  }
  await app.repos.chargers.recordSeen(chargerId, 'StopTransaction', now);
  if (await app.repos.chargers.clearTransitional(chargerId, ['RemoteStopCharging'])) await publishState(app, chargerId);
  if (!p.idTag) return {};
  return { idTagInfo: await idTagInfo(app, p.idTag, { checkConcurrent: false }) };
};
