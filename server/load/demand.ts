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
 *   plus 1 A (rounded up to 0.1 A, never below the charger's min): the
 *   window's peak, not the last figure, so meter noise is inside the margin;
 * - it is released at once when the draw comes within 0.5 A of it (the car
 *   wants more again: 0.5 A above the window's peak), and the allocator
 *   raises the session back to its share;
 * - it is lowered again (a battery tapering on) only after another 30 s
 *   below the (capped) allowance − 2 A. Between cap − 2 A and cap − 0.5 A
 *   nothing changes, and a release is followed by a new cap no sooner than
 *   30 s later: at most one cap and one release per 30 s.
 *
 * Idle: a car whose peak over those 30 s stayed under 1 A (full, or paused:
 * SuspendedEV) does not keep its charger's minimum: the cap is 0, the
 * session is idle (SessionDemand.idle) and allowed 0 A. At 0 A the charger
 * offers nothing (it shows SuspendedEVSE), so neither its measurement nor
 * its status can say that the car wants more; hence
 * - a StatusNotification Charging for the session ends it at once
 *   (`resume`: the car draws again, which it can only do while offered
 *   something, e.g. while probed), and
 * - after `probeMs` (3 min) idle the session is probed: capped at its min
 *   and judged afresh on measurements taken from then on. A car that takes
 *   its min comes within the release margin and gets its share back; one
 *   that still takes ~0 for 30 s is idle again. So an idle car costs its
 *   min for about half a minute every three instead of all the time.
 * While idle, measurements are not read (the charger enforces 0 A).
 *
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
  /** A window peak under this many A is a car that takes nothing: idle. */
  idleBelow?: number;
  /** How long an idle session waits before it is probed at its min, ms. */
  probeMs?: number;
}

export interface DemandState {
  /** The cap in force, A (SessionDemand.cap); null: none. */
  cap: number | null;
  /** Since when the draw has stayed clearly below the allowance, ms; null: it is not. */
  belowSince: number | null;
  /** The highest draw since belowSince, A. */
  peak: number;
  /** Idle (cap 0) since this instant, ms; null: not idle. */
  idleSince: number | null;
  /** Probing since this instant (cap at min, judged on measurements from then on), ms; null: not probing. */
  probeSince: number | null;
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

export const NO_DEMAND: DemandState = Object.freeze({
  cap: null,
  belowSince: null,
  peak: 0,
  idleSince: null,
  probeSince: null,
});

/** The demand margins (docs/LOAD.md "Demand caps"). */
export const DEMAND_DEFAULTS = {
  holdMs: 30_000,
  below: 2,
  margin: 1,
  release: 0.5,
  idleBelow: 1,
  probeMs: 180_000,
} as const;

export function stepDemand(state: DemandState, obs: DemandObservation, options: DemandOptions): DemandState {
  const { holdMs, below, margin, release, idleBelow, probeMs } = { ...DEMAND_DEFAULTS, ...definedOf(options) };
  if (state.idleSince !== null) {
    if (obs.now - state.idleSince < probeMs) return state;
    return { cap: options.min, belowSince: null, peak: 0, idleSince: null, probeSince: obs.now };
  }
  const draw = highest(obs.measured);
  const measuredAt = obs.measuredAt ?? obs.now;
  if (state.probeSince !== null && (draw === null || measuredAt < state.probeSince))
    // Probing: what was measured before it says nothing of what the car takes at its min.
    return obs.now - state.probeSince <= options.staleMs ? state : NO_DEMAND;
  if (draw === null || obs.now - measuredAt > options.staleMs) return NO_DEMAND;
  if (state.cap !== null && draw >= state.cap - release) return NO_DEMAND;
  if (draw >= obs.allowance - below) return state.belowSince === null ? state : { ...state, belowSince: null, peak: 0 };

  const belowSince = state.belowSince ?? obs.now;
  const peak = state.belowSince === null ? draw : Math.max(state.peak, draw);
  if (obs.now - belowSince < holdMs) return { ...state, belowSince, peak };
  if (peak < idleBelow) return { cap: 0, belowSince: null, peak: 0, idleSince: obs.now, probeSince: null };
  const cap = Math.max(options.min, ceilTenth(peak + margin));
  // A cap at or above max changes nothing; a cap only ever moves down until released.
  const next = cap >= options.max ? state.cap : state.cap === null ? cap : Math.min(state.cap, cap);
  return { cap: next, belowSince: null, peak: 0, idleSince: null, probeSince: null };
}

/** A StatusNotification Charging: the car draws again, whatever an idle or probing state said. */
export function resumeDemand(state: DemandState): DemandState {
  return state.idleSince !== null || state.probeSince !== null ? NO_DEMAND : state;
}

function definedOf(o: DemandOptions): Partial<DemandOptions> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
}

function highest(measured: DemandObservation['measured']): number | null {
  if (measured === null) return null;
  let top: number | null = null;
  for (const v of Array.isArray(measured) ? measured : Object.values(measured)) {
    if (typeof v === 'number' && Number.isFinite(v)) top = top === null ? v : Math.max(top, v);
  }
  return top;
}
