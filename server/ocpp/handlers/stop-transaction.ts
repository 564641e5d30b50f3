import { localDay } from '../../time/site-time.ts';
import { publishStopped } from '../close-sessions.ts';
import type { OcppHandler } from '../context.ts';
import { publishState } from '../context.ts';
import { idTagInfo, type IdTagInfo } from '../id-tag-info.ts';
import { sampleLink, toSampleRows, type MeterValue } from '../samples.ts';
import { clockAlerts, meterAlerts, stopBeforeStartAlert } from '../anomaly-alerts.ts';
import { checkTime, stopReasons } from '../plausibility.ts';
import { markSeen } from '../mark-seen.ts';

type Params = {
  transactionId: number;
  meterStop: number;
  timestamp: string;
  idTag?: string;
  reason?: string;
  transactionData?: MeterValue[];
};

/**
 * StopTransaction (OCPP 1.6 §4.10) with its transactionData. The energy,
 * totals and the daily rollup of the site-local stop day move in one database
 * transaction (repository); a resend changes nothing. A stop for a session
 * closed without one (connector Available, reboot, operator) is accepted
 * and replaces that close, rollups moved in the same database transaction:
 * a charger delivers its queued StopTransaction after rebooting (§3.16). An unknown
 * transactionId is still answered (the charger would otherwise resend it
 * forever) and kept as a charger event for the operator; its transactionData
 * is stored unlinked with the claimed id (connector 0: the message names
 * none), as MeterValues does. Ends a remote stop's
 * "RemoteStopCharging" (docs/PRODUCT.md §3). A stop time beyond the clock skew is
 * replaced by the receive time (the charger's kept beside it); a stop before
 * its start counts zero minutes.
 */
export const stopTransaction: OcppHandler<Params, { idTagInfo?: IdTagInfo }> = async (ctx, p) => {
  const { app, conn, chargerId, now } = ctx;
  const current = await app.repos.transactions.get(p.transactionId);
  const maxSkewMs = app.config.ocppMaxClockSkewSeconds * 1000;
  const time = checkTime(new Date(p.timestamp), now, maxSkewMs);
  const stoppedAt = time.at;
  if (!current || current.chargerId !== chargerId) {
    await app.repos.chargerEvents.add(chargerId, 'UnknownStopTransaction', p, now);
    if (p.transactionData?.length) {
      await app.repos.transactions.addSamples(
        toSampleRows(chargerId, 0, sampleLink(undefined, p.transactionId), p.transactionData),
      );
    }
  } else {
    if (p.transactionData?.length) {
      await app.repos.transactions.addSamples(
        toSampleRows(chargerId, current.connectorId, sampleLink(current, p.transactionId), p.transactionData),
      );
    }
    // Implausible readings flag the session (energy held for review); the alerts of its
    // start-time reasons are raised again by key, so one missed then is raised now.
    const reasons = stopReasons({
      meterStart: current.meterStart,
      meterStop: p.meterStop,
      startedAt: current.startedAt,
      stoppedAt,
      maxSkewMs,
    });
    const all = [...new Set([...current.anomalyReasons, ...reasons])];
    const stopped = await app.repos.transactions.stop({
      transactionId: current.id,
      meterStop: p.meterStop,
      stoppedAt,
      reason: p.reason,
      idTag: p.idTag,
      localDay: localDay(stoppedAt, app.config.siteTz),
      chargerStoppedAt: time.chargerAt,
      anomalyReasons: reasons,
      alerts: [
        ...meterAlerts(all, now, {
          meterStart: current.meterStart,
          meterStop: p.meterStop,
          startedAt: current.startedAt.toISOString(),
          stoppedAt: stoppedAt.toISOString(),
        }),
        ...clockAlerts('stop', time, now),
        ...stopBeforeStartAlert(current.startedAt, stoppedAt, now),
      ],
    });
    conn.sessions.stopped();
    if (stopped && !stopped.duplicate) publishStopped(app, stopped.transaction, now);
  }
  await markSeen(ctx, 'StopTransaction');
  if (await app.repos.chargers.clearTransitional(chargerId, ['RemoteStopCharging'])) await publishState(app, chargerId);
  if (!p.idTag) return {};
  return { idTagInfo: await idTagInfo(app, p.idTag, { checkConcurrent: false }) };
};
