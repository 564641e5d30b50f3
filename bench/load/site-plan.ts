import type { PerPhase, PhaseRotation, SitePhase } from '../../contracts/load.ts';
import type { SiteSetup, WiredCharger } from '../../sim/site-setup.ts';

/** What the site benchmark simulates; every figure can be given on the command line (bench/load/site.ts). */
export interface SitePlan {
  chargers: number;
  /** Share of three-phase chargers; the rest are single-phase, spread over A, B, C. */
  threePhaseShare: number;
  /** intmaxcurrenta/b/c, A. */
  limitA: number;
  /** Poisson arrivals, cars per simulated hour, after the opening fill. */
  arrivalsPerHour: number;
  /** Cars plugged in at the start, at uniform instants within the first two minutes. */
  openingCars: number;
  /** Mean of the exponential plug-in time, minutes (at least 5). */
  meanPlugMin: number;
  /** Simulated seconds measured per run. */
  durationS: number;
  /** MeterValueSampleInterval of every charger, s. */
  meterIntervalS: number;
  seed: number;
}

/**
 * 100 chargers, 32 A maximum, 6 A minimum: 70 three-phase over all six
 * rotations, 30 single-phase on A, B, C in turn. 60 cars an hour staying
 * 40 min on average keep ~40 plugged in: at full offer they ask ~650 A on
 * each phase against 400 A, so the limits bind for most of the run, while 40
 * sessions at their 6 A minimum (~27 per phase, 160 A) always fit.
 */
export const DEFAULT_PLAN: SitePlan = {
  chargers: 100,
  threePhaseShare: 0.7,
  limitA: 400,
  arrivalsPerHour: 60,
  openingCars: 35,
  meanPlugMin: 40,
  durationS: 3600,
  meterIntervalS: 30,
  seed: 12,
};

const ROTATIONS: PhaseRotation[] = ['ABC', 'BCA', 'CAB', 'ACB', 'BAC', 'CBA'];

export function benchChargerId(i: number): string {
  return `SITE${String(i + 1).padStart(3, '0')}`;
}

/** The site as chargeops is told it (docs/PRODUCT.md §7): distribution on or off, the limits, every charger's wiring. */
export function siteSetup(plan: SitePlan, distribution: 0 | 1): SiteSetup {
  const three = Math.round(plan.chargers * plan.threePhaseShare);
  const chargers: WiredCharger[] = Array.from({ length: plan.chargers }, (_, i) => ({
    id: benchChargerId(i),
    phases: i < three ? 3 : 1,
    maxAmps: 32,
    minAmps: 6,
    // Single-phase ones take A, B, C in turn: their first phase is what they load.
    rotation: i < three ? ROTATIONS[i % 6]! : ROTATIONS[(i - three) % 3]!,
  }));
  return { distribution, limits: { A: plan.limitA, B: plan.limitA, C: plan.limitA }, circuits: [], chargers };
}

/** The site phases a charger's L1, L2, L3 load (null: not wired). */
export function phaseMap(c: WiredCharger): (SitePhase | null)[] {
  return [0, 1, 2].map((i) => (i < c.phases ? (c.rotation[i] as SitePhase) : null));
}

/** Adds a charger's per-phase currents (L1..L3) onto site phases. */
export function addOnto(sum: PerPhase, map: (SitePhase | null)[], amps: readonly number[]): void {
  for (let i = 0; i < 3; i++) {
    const p = map[i];
    if (p) sum[p] += amps[i] ?? 0;
  }
}
