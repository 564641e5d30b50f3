import type { SampleInput } from '../../db/repositories/transactions.ts';
import type { SampledValueEvent } from '../../contracts/events.ts';

export interface SampledValue {
  value: string;
  context?: string;
  format?: string;
  measurand?: string;
  phase?: string;
  location?: string;
  unit?: string;
}
export interface MeterValue {
  timestamp: string;
  sampledValue: SampledValue[];
}

/** One row per SampledValue with the OCPP 1.6 §7.31 defaults filled in, so a resent sample dedups. */
export function toSampleRows(chargerId: string, connectorId: number, transactionId: number | null, meterValue: MeterValue[]): SampleInput[] {
  return meterValue.flatMap((mv) =>
    mv.sampledValue.map((sv) => ({
      chargerId,
      connectorId,
      transactionId,
      timestamp: new Date(mv.timestamp),
      measurand: sv.measurand ?? 'Energy.Active.Import.Register',
      phase: sv.phase ?? '',
      location: sv.location ?? 'Outlet',
      context: sv.context ?? 'Sample.Periodic',
      unit: sv.unit ?? (sv.measurand?.startsWith('Current') ? 'A' : 'Wh'),
      format: sv.format ?? 'Raw',
      value: sv.value,
    })),
  );
}

/** Plain numbers for the live push; SignedData and unparsable values are left out. */
export function toEventValues(rows: SampleInput[]): SampledValueEvent[] {
  return rows
    .filter((r) => r.format === 'Raw' && Number.isFinite(Number(r.value)))
    .map((r) => ({ measurand: r.measurand, phase: r.phase || undefined, unit: r.unit, value: Number(r.value) }));
}

const SCALE: Record<string, number> = { Wh: 1, kWh: 1000, W: 1, kW: 1000, A: 1 };

/**
 * The running session's live figures from the newest sample set (seed 2.1
 * intchargingcurrent, intconsumedenergy): the highest phase current, the
 * summed active power, and the energy register minus meterStart. Only
 * figures the live columns can hold (finite doubles, bigint energy within
 * 2^53) are given, so a sample of "1e300" Wh cannot fail the write (poison).
 */
export function liveFigures(rows: SampleInput[], meterStart: number): { currentA?: number; powerW?: number; energyWh?: number } {
  const latest = rows.reduce((t, r) => (r.timestamp > t ? r.timestamp : t), new Date(0)).getTime();
  const out: { currentA?: number; powerW?: number; energyWh?: number } = {};
  let power: number | undefined;
  for (const r of rows) {
    if (r.timestamp.getTime() !== latest || r.format !== 'Raw') continue;
    const v = Number(r.value) * (SCALE[r.unit] ?? 1);
    if (!Number.isFinite(v)) continue;
    if (r.measurand === 'Current.Import' && !r.phase.startsWith('N')) out.currentA = Math.max(out.currentA ?? 0, v);
    else if (r.measurand === 'Power.Active.Import' && !r.phase.includes('-')) power = r.phase ? (power ?? 0) + v : v;
    else if (r.measurand === 'Energy.Active.Import.Register' && !r.phase) {
      // The sample is kept as text whatever it says; a live figure the bigint column cannot hold is left out.
      const energy = Math.round(v - meterStart);
      if (Number.isSafeInteger(energy)) out.energyWh = v - meterStart;
    }
  }
  // Many huge phase powers can sum past the largest double.
  if (power !== undefined && Number.isFinite(power)) out.powerW = power;
  return out;
}
