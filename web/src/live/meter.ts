import type { ChargerEvent as LiveMessage } from '../../../contracts/events.ts';

export interface MeterPoint {
  at: number;
  current?: number | undefined;
  powerKw?: number | undefined;
  energyKwh?: number | undefined;
}

/**
 * Reads current, power and energy out of a live `meter` event
 * (contracts/events.ts: `values: [{measurand, phase, unit, value: number}]`,
 * the charger's SampledValues, OCPP 1.6 §7.43, already parsed to numbers).
 * Read as server/ocpp/samples.ts sums a session: current is the highest line
 * current (N excluded), power sums the phase-to-neutral readings, energy is the
 * session's energy so far when the sample belongs to one (else the unphased
 * register); W and Wh are scaled to kW and kWh, and of a measurand sent in two
 * units only the finer is read. The point is placed at the
 * charger's sample timestamp.
 */
const SCALE: Record<string, number> = { W: 1, kW: 1000, Wh: 1, kWh: 1000, A: 1 };

export function meterPoint(m: LiveMessage): MeterPoint | null {
  if (m.type !== 'meter') return null;
  const p: MeterPoint = { at: Date.parse(m.timestamp) || Date.parse(m.at) };
  // One measurand may come in two units at once (W and kW): read only the finest, so phases are not summed twice.
  const finest = new Map<string, number>();
  for (const s of m.values)
    finest.set(s.measurand, Math.min(finest.get(s.measurand) ?? Infinity, SCALE[s.unit ?? ''] ?? 1));
  let current: number | undefined;
  for (const s of m.values) {
    if ((SCALE[s.unit ?? ''] ?? 1) !== finest.get(s.measurand)) continue;
    const phase = s.phase ?? '';
    if (s.measurand === 'Current.Import' && !phase.startsWith('N')) current = Math.max(current ?? 0, s.value);
    else if (s.measurand === 'Power.Active.Import' && !phase.includes('-')) {
      const kw = s.unit === 'kW' ? s.value : s.value / 1000;
      p.powerKw = phase ? (p.powerKw ?? 0) + kw : kw;
    } else if (s.measurand === 'Energy.Active.Import.Register' && !phase)
      p.energyKwh = s.unit === 'kWh' ? s.value : s.value / 1000;
  }
  if (current !== undefined) p.current = current;
  // The register is the charger's lifetime total: during a session its growth is what moves.
  if (m.sessionEnergyWh !== undefined) p.energyKwh = m.sessionEnergyWh / 1000;
  return p.current === undefined && p.powerKw === undefined && p.energyKwh === undefined ? null : p;
}
