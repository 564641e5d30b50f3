import type { OcppHandler } from '../context.ts';
import { publishState } from '../context.ts';
import { idTagInfo, type IdTagInfo } from '../id-tag-info.ts';
import { clockAlerts, meterAlerts } from '../anomaly-alerts.ts';
import { checkTime, startReasons } from '../plausibility.ts';
import { markSeen } from '../mark-seen.ts';

type Params = { connectorId: number; idTag: string; meterStart: number; timestamp: string; reservationId?: number };

/**
 * StartTransaction (OCPP 1.6 §4.8). The charger has already started, so the
 * session is recorded even when the tag is not Accepted; the answer carries
 * the tag's status and the charger decides whether to stop. The status is
 * stored: a session not Accepted is deauthorized and never makes its tag
 * ConcurrentTx. A resend after a reconnect gets the same transactionId and
 * the status first answered (the repository dedups). Ends a remote start's
 * "RemoteCharging" (docs/PRODUCT.md §3).
 */
export const startTransaction: OcppHandler<Params, { transactionId: number; idTagInfo: IdTagInfo }> = async (
  ctx,
  p,
) => {
  const { app, conn, chargerId, now } = ctx;
  // Implausible values: a start beyond the clock skew (or before 2010) is stored at the receive
  // time beside the charger's own; a negative meterStart flags the session and raises an alert.
  const sent = new Date(p.timestamp);
  const time = checkTime(sent, now, app.config.ocppMaxClockSkewSeconds * 1000);
  const reasons = startReasons(p.meterStart);
  const sameSession = (tx: {
    chargerId: string;
    connectorId: number;
    meterStart: number;
    startedAt: Date;
    chargerStartedAt?: Date | null;
  }) =>
    tx.chargerId === chargerId &&
    tx.connectorId === p.connectorId &&
    tx.meterStart === p.meterStart &&
    (tx.chargerStartedAt ?? tx.startedAt).getTime() === sent.getTime();
  const info = await idTagInfo(app, p.idTag, { checkConcurrent: true, sameSession });
  const started = await app.repos.transactions.start({
    chargerId,
    connectorId: p.connectorId,
    idTag: p.idTag,
    meterStart: p.meterStart,
    startedAt: time.at,
    reservationId: p.reservationId,
    chargerStartedAt: time.chargerAt,
    anomalyReasons: reasons,
    alerts: [...meterAlerts(reasons, now, { meterStart: p.meterStart }), ...clockAlerts('start', time, now)],
    startStatus: info.status,
    endsTransitional: ['RemoteCharging'],
  });
  if (!started) throw new Error(`charger ${chargerId} vanished`);
  const tx = started.transaction;
  conn.sessions.started(tx);
  await markSeen(ctx, 'StartTransaction');
  if (!started.duplicate) {
    app.events.publish({
      type: 'transaction.started',
      chargerId,
      at: now.toISOString(),
      transactionId: tx.id,
      connectorId: tx.connectorId,
      idTag: tx.idTag,
      sessionNumber: tx.sessionNumber,
    });
  }
  // A new session ended a remote start's "RemoteCharging" in its own statement; a resend asks again.
  const cleared =
    started.transitionalCleared ||
    (started.duplicate && (await app.repos.chargers.clearTransitional(chargerId, ['RemoteCharging'])));
  if (cleared) await publishState(app, chargerId);
  return { transactionId: tx.id, idTagInfo: { ...info, status: tx.startStatus } };
};
