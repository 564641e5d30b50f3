import type { MeterSample } from '../../api/transactions.ts';

export type Point = [at: number, value: number];

/** A session's curve, ready to draw: one series per quantity, each in time order. */
export interface Curve {
  powerKw: Point[];
  /** Current.Import per phase (L1, L2, L3), A; N left out. */
  current: Record<string, Point[]>;
  /** Energy of the session so far, kWh (register − meter start). */
  energyKwh: Point[];
  socPercent: Point[];
}

export function emptyCurve(): Curve {
  return { powerKw: [], current: {}, energyKwh: [], socPercent: [] };
}

const KILO: Record<string, number> = { W: 0.001, kW: 1, Wh: 0.001, kWh: 1 };

/**
 * Reads a session's stored (or live) samples into its curve, as the live
 * chart reads a sample (web/src/live/meter.ts): power from the unphased
 * Power.Active.Import, else the sum of its phase-to-neutral readings at one
 * instant; energy from the unphased register minus the meter start (Wh);
 * of a measurand sent in two units only the finer one is read, so nothing
 * is counted twice. Adds to `into` (a running session's curve grows).
 */
export function addSamples(into: Curve, samples: readonly MeterSample[], meterStartWh: number): Curve {
  const finest = new Map<string, number>();
  for (const s of samples) {
    const k = KILO[s.unit];
    if (k !== undefined) finest.set(s.measurand, Math.min(finest.get(s.measurand) ?? Infinity, k));
  }
  const phasedPower = new Map<number, number>();
  const unphasedPower = samples.some((s) => s.measurand === 'Power.Active.Import' && !s.phase);
  for (const s of samples) {
    const at = Date.parse(s.timestamp);
    const phase = s.phase ?? '';
    const k = KILO[s.unit];
    if (k !== undefined && k !== finest.get(s.measurand)) continue;
    if (s.measurand === 'Power.Active.Import' && k !== undefined) {
      if (!phase) into.powerKw.push([at, s.value * k]);
      // Phase-to-neutral (or bare L1..L3) readings add up; a line-to-line one would count twice.
      else if (!unphasedPower && /^L\d(-N)?$/.test(phase))
        phasedPower.set(at, (phasedPower.get(at) ?? 0) + s.value * k);
    } else if (s.measurand === 'Current.Import' && s.unit === 'A' && phase && !phase.startsWith('N')) {
      const name = phase.replace('-N', '');
      (into.current[name] ??= []).push([at, s.value]);
    } else if (s.measurand === 'Energy.Active.Import.Register' && !phase && k !== undefined) {
      into.energyKwh.push([at, Math.max(0, s.value * k - meterStartWh / 1000)]);
    } else if (s.measurand === 'SoC') {
      into.socPercent.push([at, s.value]);
    }
  }
  for (const [at, kw] of [...phasedPower].sort((a, b) => a[0] - b[0])) into.powerKw.push([at, kw]);
  return into;
}

/** The allowance as a step line that holds its last value until `end` (the stop, or now while running). */
export function allowanceSteps(allowances: readonly { at: string; limitA: number }[], end: number): Point[] {
  const steps: Point[] = allowances.map((a) => [Date.parse(a.at), a.limitA]);
  const last = steps[steps.length - 1];
  if (last && end > last[0]) steps.push([end, last[1]]);
  return steps;
}
