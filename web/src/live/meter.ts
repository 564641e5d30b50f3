import type { LiveMessage } from './socket.ts';

export interface MeterPoint {
  at: number;
  current?: number | undefined;
  powerKw?: number | undefined;
  energyKwh?: number | undefined;
}

interface Sampled {
  value: string | number;
  measurand?: string;
  unit?: string;
  phase?: string;
}

const num = (v: unknown) => (typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN);

/**
 * Reads current, power and energy out of a live `meter` message. The message
 * may carry the charger's OCPP sampled values (OCPP 1.6 §7.43 SampledValue:
 * measurand + unit, per phase) or already-flattened numbers; both are accepted
 * so the chart does not depend on one publisher's shape. Phase currents are
 * summed; W and Wh are scaled to kW and kWh.
 */
export function meterPoint(m: LiveMessage): MeterPoint | null {
  if (m.type !== 'meter') return null;
  const p: MeterPoint = { at: Date.parse(m.at) || Date.now() };
  const flat = m as Record<string, unknown>;
  if (flat.current !== undefined) p.current = num(flat.current);
  if (flat.powerKw !== undefined) p.powerKw = num(flat.powerKw);
  else if (flat.powerW !== undefined) p.powerKw = num(flat.powerW) / 1000;
  else if (flat.power !== undefined) p.powerKw = num(flat.power);
  if (flat.energyKwh !== undefined) p.energyKwh = num(flat.energyKwh);
  else if (flat.energyWh !== undefined) p.energyKwh = num(flat.energyWh) / 1000;
  else if (flat.energy !== undefined) p.energyKwh = num(flat.energy);

  const groups = (Array.isArray(flat.meterValue) ? flat.meterValue : Array.isArray(flat.values) ? [{ sampledValue: flat.values }] : []) as { sampledValue?: Sampled[] }[];
  let currentSum: number | undefined;
  for (const g of groups) {
    for (const s of g.sampledValue ?? []) {
      const v = num(s.value);
      if (Number.isNaN(v)) continue;
      const measurand = s.measurand ?? 'Energy.Active.Import.Register'; // the OCPP default measurand
      if (measurand === 'Current.Import') currentSum = (currentSum ?? 0) + v;
      else if (measurand === 'Power.Active.Import') p.powerKw = s.unit === 'kW' ? v : v / 1000;
      else if (measurand === 'Energy.Active.Import.Register') p.energyKwh = s.unit === 'kWh' ? v : v / 1000;
    }
  }
  if (currentSum !== undefined) p.current = currentSum;
  return p.current === undefined && p.powerKw === undefined && p.energyKwh === undefined ? null : p;
}
