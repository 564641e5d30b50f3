import type { PerPhase } from '../../contracts/load.ts';
import { ceilTenth } from './deciamps.ts';

/**
 * Demand awareness for one session (docs/LOAD.md "Demand caps"): the
 * measured Current.Import per phase (OCPP 1.6 §4.7 MeterValues) tells when a
 * car draws clearly less than it is allowed (a car limited to 16 A, a battery
 * tapering near full), and its demand cap (SessionDemand.cap) frees the rest
 * for the others on its phases. A pure state machine: the controller keeps a
 * DemandState per session and feeds it every tick with the time.
 *
 * Hysteresis, so the cap does not flap:
 * - a cap is set only after the draw (the highest phase) stayed below the
 *   allowance − 2 A for 30 s on end, at the highest draw seen in those 30 s
 *   plus 1.5 A (rounded up to 0.1 A, never below the charger's min): the
 *   window's peak, not the last figure, so meter noise is inside the margin;
 * - it is released at once when the draw comes within 1 A of the cap (the
 *   car wants more again: 0.5 A above the window's peak), and the allocator
 *   raises the session back to its share;
 * - it is lowered again (a battery tapering on) only after another 30 s
 *   below the (capped) allowance − 2 A. Between cap − 2 A and cap − 1 A
 *   nothing changes, and a release is followed by a new cap no sooner than
 *   30 s later: at most one cap and one release per 30 s.
 * Without a fresh measurement (none, or older than `staleMs`, meant to be
 * twice the meter interval) the state resets: the session counts at its
 * allowance, as one never measured.
 */
export interface DemandOptions {
  /** The charger's minCurrent and maxCurrent, A. */
  min: number;
  max: number;
  /** A measurement older than this counts as none, ms (2 × MeterValueSampleInterval). */
  staleMs: number;
  /** How long the draw must stay clearly below before a cap, ms. */
  holdMs?: number;
  /** "Clearly below": this many A under the allowance. */
  below?: number;
  /** The cap's margin over the draw, A. */
  margin?: number;
  /** Released when the draw comes within this many A of the cap. */
  release?: number;
}

export interface DemandState {
  /** The cap in force, A (SessionDemand.cap); null: none. */
  cap: number | null;
  /** Since when the draw has stayed clearly below the allowance, ms; null: it is not. */
  belowSince: number | null;
  /** The highest draw since belowSince, A. */
  peak: number;
}

export interface DemandObservation {
  now: number;
  /** The allowance the charger holds now, A. */
  allowance: number;
  /** The last measured Current.Import on each phase the session loads, A; null: none. */
  measured: readonly number[] | Partial<PerPhase> | null;
  /** When that measurement was taken, ms; absent: now. */
  measuredAt?: number;
}

export const NO_DEMAND: DemandState = Object.freeze({ cap: null, belowSince: null, peak: 0 });

export function stepDemand(state: DemandState, obs: DemandObservation, options: DemandOptions): DemandState {
  const { holdMs = 30_000, below = 2, margin = 1.5, release = 1 } = options;
  const draw = highest(obs.measured);
  const fresh = obs.measuredAt === undefined || obs.now - obs.measuredAt <= options.staleMs;
  if (draw === null || !fresh) return NO_DEMAND;
  if (state.cap !== null && draw >= state.cap - release) return NO_DEMAND;
  if (draw >= obs.allowance - below)
    return state.belowSince === null ? state : { cap: state.cap, belowSince: null, peak: 0 };

  const belowSince = state.belowSince ?? obs.now;
  const peak = state.belowSince === null ? draw : Math.max(state.peak, draw);
  if (obs.now - belowSince < holdMs) return { cap: state.cap, belowSince, peak };
  const cap = Math.max(options.min, ceilTenth(peak + margin));
  // A cap at or above max changes nothing; a cap only ever moves down until released.
  const next = cap >= options.max ? state.cap : state.cap === null ? cap : Math.min(state.cap, cap);
  return { cap: next, belowSince: null, peak: 0 };
}

function highest(measured: DemandObservation['measured']): number | null {
  if (measured === null) return null;
  let top: number | null = null;
  for (const v of Array.isArray(measured) ? measured : Object.values(measured)) {
    if (typeof v === 'number' && Number.isFinite(v)) top = top === null ? v : Math.max(top, v);
  }
  return top;
}
