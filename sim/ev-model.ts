import type { Rng } from './random.ts';
import { NOMINAL_VOLTAGE } from './charging-profiles.ts';

/**
 * An electric vehicle plugged into an AC wallbox: how much current it draws
 * per phase from moment to moment. Drawn from the charger's seeded Rng, so a
 * seed replays the same cars. Figures follow common AC charging: IEC 61851
 * lets a car charge from 6 A up to the pilot limit; on-board chargers are
 * single or three phase, 16 or 32 A; the battery tapers above ~80 % SoC.
 */
export interface Ev {
  capacityWh: number;
  socPercent: number;
  targetSoc: number;
  /** The car's on-board charger limit, A per phase. */
  maxAmps: number;
  phases: 1 | 3;
  reportsSoc: boolean;
  /** Phase imbalance factors, ~1. */
  imbalance: [number, number, number];
}

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
  };
}

/**
 * Current per phase the car draws now. `pilotAmps` is what the charger offers
 * (its maximum, lowered by charging profiles); `sinceStartS` gives the
 * ramp-up of the first two minutes; SoC gives the taper.
 */
export function drawAmps(ev: Ev, pilotAmps: number, sinceStartS: number, rng: Rng): [number, number, number] {
  if (pilotAmps < IEC_MIN_AMPS || ev.socPercent >= ev.targetSoc) return [0, 0, 0];
  const base = Math.min(ev.maxAmps, pilotAmps);
  const ramp = Math.min(1, 0.2 + sinceStartS / 150);
  const taper = ev.socPercent <= 80 ? 1 : Math.max(0.15, 1 - ((ev.socPercent - 80) / 20) * 0.85);
  const amps = Math.max(0, Math.min(pilotAmps, base * ramp * taper + rng.between(-0.3, 0.1)));
  const per = (i: 0 | 1 | 2) => (i < ev.phases ? round1(Math.min(pilotAmps, amps * ev.imbalance[i])) : 0);
  return [per(0), per(1), per(2)];
}

export function powerW(amps: readonly number[]): number {
  // cos φ ≈ 0.99 for an on-board charger at load
  return Math.round(amps.reduce((sum, a) => sum + a * NOMINAL_VOLTAGE * 0.99, 0));
}

/** Charges the battery by `wh`; returns the new SoC. */
export function addEnergy(ev: Ev, wh: number): number {
  ev.socPercent = Math.min(100, ev.socPercent + (wh * 0.92 * 100) / ev.capacityWh);
  return ev.socPercent;
}

function round1(n: number): number {
  return Math.round(n * 10) / 10;
}
