import type { OcppHandler } from '../context.ts';
import { meterAlerts } from '../anomaly-alerts.ts';
import { measureSkew } from '../clock-skew.ts';
import { checkTime } from '../plausibility.ts';
import { liveFigures, sampleLink, toEventValues, toSampleRows, type MeterValue } from '../samples.ts';

type Params = { connectorId: number; transactionId?: number; meterValue: MeterValue[] };

/**
 * MeterValues (OCPP 1.6 §4.7): every sampled value stored once (measurand,
 * phase, unit, context, location, format; SignedData verbatim), and the
 * running session's live current, power and energy updated for the dashboard.
 * A sample is linked only to a session of this charger: the transactionId a
 * charger sends is a claim, kept beside the sample when it names another
 * charger's session or one that does not exist. Samples keep the charger's
 * timestamp as sent, whatever it says: it is part of a sample's identity (a
 * resend is stored once) and a SignedData reading signs its own time. An
 * energy register that goes backwards flags the session; the timestamps
 * measure the charger's clock skew (clock-skew.ts).
 */
export const meterValues: OcppHandler<Params> = async (ctx, p) => {
  const { app, chargerId, now } = ctx;
  const tx =
    p.transactionId !== undefined
      ? await app.repos.transactions.get(p.transactionId)
      : p.connectorId > 0
        ? await app.repos.transactions.open(chargerId, p.connectorId)
        : undefined;
  const own = tx && tx.chargerId === chargerId ? tx : undefined;
  const rows = toSampleRows(chargerId, p.connectorId, sampleLink(own, p.transactionId), p.meterValue);
  await app.repos.transactions.addSamples(rows);
  if (own && !own.stoppedAt) {
    const backwards = await app.repos.transactions.updateLive(own.id, liveFigures(rows, own.meterStart));
    // Raised right after the flag is written, by key: once per session however often it repeats.
    if (backwards)
      await app.repos.transactions.raiseAlerts(
        backwards,
        meterAlerts(['register_backwards'], now, { meterStart: own.meterStart }),
      );
  }
  await app.repos.chargers.recordSeen(chargerId, 'MeterValues', now);
  await measureSkew(
    ctx,
    p.meterValue.map((mv) => new Date(mv.timestamp)),
  );
  const maxSkewMs = app.config.ocppMaxClockSkewSeconds * 1000;
  for (const mv of p.meterValue) {
    const set = rows.filter((r) => r.timestamp.getTime() === new Date(mv.timestamp).getTime());
    const sessionWh = own ? liveFigures(set, own.meterStart).energyWh : undefined;
    app.events.publish({
      // The live chart places the sample at the receive time when the charger's lies beyond the skew.
      type: 'meter',
      chargerId,
      at: now.toISOString(),
      connectorId: p.connectorId,
      transactionId: own?.id ?? null,
      timestamp: checkTime(new Date(mv.timestamp), now, maxSkewMs).chargerAt ? now.toISOString() : mv.timestamp,
      values: toEventValues(set),
      ...(sessionWh !== undefined ? { sessionEnergyWh: Math.max(0, Math.round(sessionWh)) } : {}),
    });
  }
  return {};
};
