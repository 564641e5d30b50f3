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
  const { app, conn, chargerId, now } = ctx;
  // The session from the connection's cache (session-cache.ts): no look-up once it is known.
  const own =
    p.transactionId !== undefined
      ? await conn.sessions.own(p.transactionId, (id) => app.repos.transactions.get(id))
      : p.connectorId > 0
        ? await conn.sessions.open(p.connectorId, (c) => app.repos.transactions.open(chargerId, c))
        : undefined;
  const rows = toSampleRows(chargerId, p.connectorId, sampleLink(own, p.transactionId), p.meterValue);
  // Samples, live figures (a stopped session's are left alone) and last-seen in one
  // group-committed statement with other chargers' (meter-writes.ts); answered after it committed.
  const { flagged } = await app.ocpp.meters.write({
    chargerId,
    at: now,
    samples: rows,
    live: own ? { transactionId: own.id, figures: liveFigures(rows, own.meterStart) } : undefined,
  });
  // Raised after the flag is written, by key: once per session however often it repeats.
  if (flagged)
    await app.repos.transactions.raiseAlerts(
      flagged,
      meterAlerts(['register_backwards'], now, { meterStart: own!.meterStart }),
    );
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
