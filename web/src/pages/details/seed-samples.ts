import { transactionsApi, type MeterSample } from '../../api/transactions.ts';
import { meterPoint, type MeterPoint } from '../../live/meter.ts';

const SCALE_WH: Record<string, number> = { Wh: 1, kWh: 1000 };

/**
 * A running session's stored samples as the live chart's points, read by the
 * same rule as a live meter event (web/src/live/meter.ts): the samples of one
 * instant make one event, its session energy the register minus the meter start.
 */
export function pointsOf(samples: readonly MeterSample[], meterStartWh: number, chargerId: string): MeterPoint[] {
  const byInstant = new Map<string, MeterSample[]>();
  for (const s of samples) byInstant.set(s.timestamp, [...(byInstant.get(s.timestamp) ?? []), s]);
  const points: MeterPoint[] = [];
  for (const [timestamp, group] of byInstant) {
    const register = group.find(
      (s) => s.measurand === 'Energy.Active.Import.Register' && !s.phase && s.unit in SCALE_WH,
    );
    const p = meterPoint({
      type: 'meter',
      chargerId,
      at: timestamp,
      connectorId: 0,
      transactionId: null,
      timestamp,
      values: group.map((s) => ({ measurand: s.measurand, phase: s.phase ?? undefined, unit: s.unit, value: s.value })),
      ...(register ? { sessionEnergyWh: Math.max(0, register.value * SCALE_WH[register.unit]! - meterStartWh) } : {}),
    });
    if (p) points.push(p);
  }
  return points.sort((a, b) => a.at - b.at);
}

/** The stored points of the charger's newest running session (none when nothing runs), at most about `keep`. */
export async function runningSessionPoints(chargerId: string, keep: number): Promise<MeterPoint[]> {
  const page = await transactionsApi.list({ charger_id: chargerId, state: 'running', sort: 'start', order: 'desc' }, 1);
  const tx = page.items[0];
  if (!tx) return [];
  // Min and max per bucket: up to two points per bucket and series, so ask for `keep` to end near `keep` instants.
  const values = await transactionsApi.meterValues(tx.id, keep);
  return pointsOf(values.items, values.meterStart, chargerId).slice(-keep);
}
