import type { PerPhase, SitePhase } from '../../contracts/load.ts';

/**
 * Per-phase demand of one session (docs/LOAD.md "Per-phase demand"): a
 * single-phase car on a three-phase charger draws on the charger's L1 only
 * (IEC 61851 / Type 2: a one-phase on-board charger is wired to L1), yet by
 * its wiring the session counts on all three site phases, which strands its
 * share of the other two. The measured Current.Import per line (OCPP 1.6
 * §4.7 MeterValues, read as site phases by measurements.ts) says which car
 * it is: a session whose L1 draws and whose other lines stayed under 1 A
 * for 30 s on end is narrowed to its L1's site phase; the controller then
 * counts it there only and sends its TxProfile with numberPhases 1 (§7.13
 * ChargingSchedulePeriod), so a charger that honours it cannot let the car
 * draw on the lines given to others.
 *
 * Safe side, always:
 * - a car seen drawing 1 A or more on another line in this transaction is
 *   a multi-phase car and is never narrowed again in it (a three-phase car
 *   that drops phases near full would otherwise be held on one phase by
 *   numberPhases 1, with no measurement able to show that it wants more);
 * - a narrowed session that draws 1 A or more on another line (its charger
 *   ignores numberPhases) is widened at once;
 * - without a fresh measurement of every line (none, stale, or a charger
 *   that reports L1 only) nothing is narrowed, and a narrowed session is
 *   widened: it counts on every phase it is wired to.
 * The state is per transaction: a new session on the connector starts wide.
 */
export interface PhaseState {
  /** Counted on the first phase of its wiring only. */
  narrowed: boolean;
  /** Since when only L1 has drawn, ms; null: not so. */
  firstOnlySince: number | null;
  /** A line other than L1 drew in this transaction: never narrowed. */
  multiPhase: boolean;
}

export const WIDE: PhaseState = Object.freeze({ narrowed: false, firstOnlySince: null, multiPhase: false });

export interface PhaseObservation {
  now: number;
  /** The site phases the charger loads, its L1 first (site-model.ts SiteCharger.phases). */
  wired: readonly SitePhase[];
  /** The last measured Current.Import per site phase; null: none. */
  measured: Partial<PerPhase> | null;
  /** When it was taken, ms; absent: now. */
  measuredAt?: number;
}

export const PHASE_DEFAULTS = {
  /** How long only L1 must draw before the session is narrowed, ms. */
  holdMs: 30_000,
  /** A line drawing this many A or more is in use. */
  drawsFrom: 1,
} as const;

export function stepPhases(
  state: PhaseState,
  obs: PhaseObservation,
  options: { staleMs: number; holdMs?: number; drawsFrom?: number },
): PhaseState {
  const holdMs = options.holdMs ?? PHASE_DEFAULTS.holdMs;
  const drawsFrom = options.drawsFrom ?? PHASE_DEFAULTS.drawsFrom;
  if (obs.wired.length < 2) return WIDE;
  const m = obs.measured;
  const fresh = m !== null && obs.now - (obs.measuredAt ?? obs.now) <= options.staleMs;
  const lines = fresh ? obs.wired.map((p) => m[p]) : [];
  if (lines.length === 0 || lines.some((a) => a === undefined || !Number.isFinite(a)))
    return state.narrowed || state.firstOnlySince !== null
      ? { ...state, narrowed: false, firstOnlySince: null }
      : state;
  const [first, ...others] = lines as number[];
  if (others.some((a) => a >= drawsFrom)) return { narrowed: false, firstOnlySince: null, multiPhase: true };
  if (state.multiPhase || state.narrowed) return state;
  // The car draws nothing at all (idle, waiting, not started): says nothing of its phases.
  if (first! < drawsFrom) return state.firstOnlySince === null ? state : { ...state, firstOnlySince: null };
  const since = state.firstOnlySince ?? obs.now;
  return obs.now - since >= holdMs
    ? { narrowed: true, firstOnlySince: null, multiPhase: false }
    : { ...state, firstOnlySince: since };
}

/** The phases the session counts on: its L1's alone when narrowed, else every phase it is wired to. */
export function countedPhases(state: PhaseState, wired: readonly SitePhase[]): SitePhase[] {
  return state.narrowed && wired.length > 1 ? [wired[0]!] : [...wired];
}
