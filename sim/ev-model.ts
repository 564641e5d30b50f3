import type { Rng } from './random.ts';
import { NOMINAL_VOLTAGE } from './charging-profiles.ts';

/**
 * An electric vehicle plugged into an AC wallbox: how much current it draws
 * per phase. Drawn from the charger's seeded Rng, so a seed replays the same
 * cars. Figures follow common AC charging: IEC 61851 lets a charger offer
 * from 6 A up, and the car takes at most what the pilot offers; on-board
 * chargers are single or three phase, 16 or 32 A; the battery tapers above
 * ~80 % SoC.
 */
export interface Ev {
  capacityWh: number;
  socPercent: number;
  targetSoc: number;
  /** The car's on-board charger limit, A per phase. */
  maxAmps: number;
  phases: 1 | 3;
  reportsSoc: boolean;
  /** Phase imbalance factors, ~1 (never above the pilot or the car's maximum). */
  imbalance: [number, number, number];
  /** How far below its target current the car may draw from moment to moment, A (0: exactly its target). */
  jitterA: number;
}

export type PhaseAmps = [number, number, number];

/** The lowest current IEC 61851 lets a charger offer: below it the charger suspends (SuspendedEVSE). */
export const IEC_MIN_AMPS = 6;

export function randomEv(rng: Rng, chargerPhases: 1 | 3): Ev {
  const phases: 1 | 3 = chargerPhases === 3 && rng.chance(0.7) ? 3 : 1;
  return {
    capacityWh: Math.round(rng.between(40, 100)) * 1000,
    socPercent: rng.between(10, 60),
    targetSoc: rng.chance(0.6) ? 100 : rng.between(80, 95),
    maxAmps: rng.chance(0.35) ? 16 : 32,
    phases,
    reportsSoc: rng.chance(0.5),
    imbalance: [1, rng.between(0.97, 1.01), rng.between(0.96, 1.02)],
    jitterA: 0.3,
  };
}

/**
 * The current per phase the car asks for now, whatever the charger offers:
 * its own maximum (and the charger's), lowered by the taper above 80 % SoC,
 * less a jitter (`jitter` in [0, 1)); 0 when it reached its target.
 */
export function wantedAmps(ev: Ev, chargerMaxAmps: number, jitter: number): number {
  if (ev.socPercent >= ev.targetSoc) return 0;
  const taper = ev.socPercent <= 80 ? 1 : Math.max(0.15, 1 - ((ev.socPercent - 80) / 20) * 0.85);
  return Math.max(0, Math.min(ev.maxAmps, chargerMaxAmps) * taper - ev.jitterA * jitter);
}

/**
 * The draw on L1, L2, L3: min(offered, the car's maximum, what it wants) on
 * the first phases the car and the charger both have (at most `usablePhases`,
 * a profile's numberPhases); a single-phase car on a three-phase charger
 * loads L1 only. Floored to 0.1 A so no rounding lifts a draw above the offer.
 */
export function phaseDraw(ev: Ev, wanted: number, offered: number, usablePhases: number): PhaseAmps {
  const n = Math.min(ev.phases, usablePhases);
  const per = (i: 0 | 1 | 2) => (i < n ? floor1(Math.min(offered, ev.maxAmps, wanted * ev.imbalance[i])) : 0);
  return [per(0), per(1), per(2)];
}

/** Active power of the draw, W. */
export function powerW(amps: readonly number[]): number {
  return Math.round(exactPowerW(amps));
}

/** cos φ ≈ 0.99 for an on-board charger at load. */
export function exactPowerW(amps: readonly number[]): number {
  return amps.reduce((sum, a) => sum + a * NOMINAL_VOLTAGE * 0.99, 0);
}

/** Charges the battery by `wh`; returns the new SoC. */
export function addEnergy(ev: Ev, wh: number): number {
  ev.socPercent = Math.min(100, ev.socPercent + (wh * 0.92 * 100) / ev.capacityWh);
  return ev.socPercent;
}

function floor1(n: number): number {
  return Math.max(0, Math.floor(n * 10 + 1e-9) / 10);
}
