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

/** Which session samples belong to, and the id the charger named when that is not one of its own. */
export interface SampleLink {
  transactionId: number | null;
  claimedTransactionId: number | null;
}

/**
 * Links samples to `own` (a session of the sending charger, already checked)
 * and to nothing else: a transactionId the charger sent that is not its own
 * session (another charger's, or one that does not exist, yet or at all) is
 * kept beside the unlinked row, never trusted.
 */
export function sampleLink(own: { id: number } | undefined, sent: number | undefined): SampleLink {
  if (own) return { transactionId: own.id, claimedTransactionId: null };
  return { transactionId: null, claimedTransactionId: sent ?? null };
}

/** One row per SampledValue with the OCPP 1.6 §7.31 defaults filled in, so a resent sample dedups. */
export function toSampleRows(
  chargerId: string,
  connectorId: number,
  link: SampleLink,
  meterValue: MeterValue[],
): SampleInput[] {
  return meterValue.flatMap((mv) =>
    mv.sampledValue.map((sv) => ({
      chargerId,
      connectorId,
      ...link,
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
 * summed active power, and the energy register minus meterStart. Signed
 * values are blobs, not numbers, and are skipped. A charger may send one
 * measurand in two units at once (Wh and kWh, W and kW); only the finest unit
 * of each measurand is read, so phase powers are not added twice and the kWh
 * register's rounding does not replace the exact Wh one. Only figures the
 * live columns can hold (finite doubles, bigint energy within 2^53) are
 * given, so a sample of "1e300" Wh cannot fail the write (poison).
 */
export function liveFigures(
  rows: SampleInput[],
  meterStart: number,
): { currentA?: number; powerW?: number; energyWh?: number } {
  const latest = rows.reduce((t, r) => (r.timestamp > t ? r.timestamp : t), new Date(0)).getTime();
  const set = rows.filter(
    (r) =>
      r.timestamp.getTime() === latest && r.format === 'Raw' && r.unit in SCALE && Number.isFinite(Number(r.value)),
  );
  const finest = new Map<string, number>();
  for (const r of set) finest.set(r.measurand, Math.min(finest.get(r.measurand) ?? Infinity, SCALE[r.unit]!));
  const out: { currentA?: number; powerW?: number; energyWh?: number } = {};
  let power: number | undefined;
  for (const r of set) {
    const scale = SCALE[r.unit]!;
    if (scale !== finest.get(r.measurand)) continue;
    const v = Number(r.value) * scale;
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
