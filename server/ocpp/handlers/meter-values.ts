import type { OcppHandler } from '../context.ts';
import { liveFigures, sampleLink, toEventValues, toSampleRows, type MeterValue } from '../samples.ts';

type Params = { connectorId: number; transactionId?: number; meterValue: MeterValue[] };

/**
 * MeterValues (OCPP 1.6 §4.7): every sampled value stored once (measurand,
 * phase, unit, context, location, format; SignedData verbatim), and the
 * running session's live current, power and energy updated for the dashboard.
 * A sample is linked only to a session of this charger: the transactionId a
 * charger sends is a claim, kept beside the sample when it names another
 * charger's session or one that does not exist.
 */
export const meterValues: OcppHandler<Params> = async ({ app, chargerId, now }, p) => {
  const tx = p.transactionId !== undefined
    ? await app.repos.transactions.get(p.transactionId)
    : p.connectorId > 0 ? await app.repos.transactions.open(chargerId, p.connectorId) : undefined;
  const own = tx && tx.chargerId === chargerId ? tx : undefined;
  const rows = toSampleRows(chargerId, p.connectorId, sampleLink(own, p.transactionId), p.meterValue);
  await app.repos.transactions.addSamples(rows);
  if (own && !own.stoppedAt) await app.repos.transactions.updateLive(own.id, liveFigures(rows, own.meterStart));
  await app.repos.chargers.recordSeen(chargerId, 'MeterValues', now);
  for (const mv of p.meterValue) {
    const set = rows.filter((r) => r.timestamp.getTime() === new Date(mv.timestamp).getTime());
    const sessionWh = own ? liveFigures(set, own.meterStart).energyWh : undefined;
    app.events.publish({
      type: 'meter', chargerId, at: now.toISOString(), connectorId: p.connectorId, transactionId: own?.id ?? null, timestamp: mv.timestamp,
      values: toEventValues(set),
      ...(sessionWh !== undefined ? { sessionEnergyWh: Math.max(0, Math.round(sessionWh)) } : {}),
    });
  }
  return {};
};
