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
 *   numberPhases 1, with no measurement able to show that it wants more),
 *   nor is a session whose charger refused numberPhases 1; both are kept
 *   while the session is not steered (refused, reconnecting, handed over);
 * - "30 s" is between the samples' own times: the tick that re-reads one
 *   sample does not make it last;
 * - a narrowed session that draws 1 A or more on another line (its charger
 *   ignores numberPhases) is widened at once;
 * - without a fresh figure for every line (none, stale, or a charger that
 *   reports L1 only; each line judged by its own time) nothing is narrowed,
 *   and a narrowed session is widened: it counts on every phase it is
 *   wired to; so does one the controller does not steer.
 * The state is per transaction: a new session on the connector starts wide.
 */
export interface PhaseState {
  /** Counted on the first phase of its wiring only. */
  narrowed: boolean;
  /** Since when (measured, ms) only L1 has drawn; null: not so. */
  firstOnlySince: number | null;
  /**
   * Never narrowed again in this transaction: a line other than L1 drew
   * (a multi-phase car), or its charger refused a profile of numberPhases 1.
   * Kept while the session is not steered, too.
   */
  keepWide: boolean;
}

export const WIDE: PhaseState = Object.freeze({ narrowed: false, firstOnlySince: null, keepWide: false });

export interface PhaseObservation {
  now: number;
  /** The site phases the charger loads, its L1 first (site-model.ts SiteCharger.phases). */
  wired: readonly SitePhase[];
  /** The last measured Current.Import per site phase; null: none. */
  measured: Partial<PerPhase> | null;
  /** When each phase's figure was taken, ms (measurements.ts Measurement.lineAt); absent: now. */
  lineAt?: Partial<PerPhase> | undefined;
  /** Whether the controller steers the session now; one it does not is never narrowed. */
  steered: boolean;
}

export const PHASE_DEFAULTS = {
  /** How long only L1 must draw before the session is narrowed, ms (between two samples that far apart). */
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
  // Each line's own figure must be fresh: a line no longer reported is not 0 A.
  const lines = obs.wired.map((p) => {
    const a = m?.[p];
    const at = obs.lineAt?.[p] ?? obs.now;
    return a !== undefined && Number.isFinite(a) && obs.now - at <= options.staleMs ? { a, at } : null;
  });
  const [first, ...others] = lines;
  const otherDraws = others.some((l) => l !== null && l.a >= drawsFrom);
  const keepWide = state.keepWide || otherDraws;
  const wide = (): PhaseState =>
    state.narrowed || state.firstOnlySince !== null || keepWide !== state.keepWide
      ? { narrowed: false, firstOnlySince: null, keepWide }
      : state;
  if (!obs.steered || keepWide || lines.some((l) => l === null)) return wide();
  if (state.narrowed) return state;
  // The car draws nothing at all (idle, waiting, not started): says nothing of its phases.
  if (first!.a < drawsFrom) return wide();
  const since = state.firstOnlySince ?? first!.at;
  return first!.at - since >= holdMs
    ? { narrowed: true, firstOnlySince: null, keepWide: false }
    : state.firstOnlySince === since
      ? state
      : { ...state, firstOnlySince: since };
}

/** The charger refused a profile of numberPhases 1: the session stays on its wiring for the rest of its transaction. */
export function refusedNarrowing(): PhaseState {
  return { narrowed: false, firstOnlySince: null, keepWide: true };
}

/** The phases the session counts on: its L1's alone when narrowed, else every phase it is wired to. */
export function countedPhases(state: PhaseState, wired: readonly SitePhase[]): SitePhase[] {
  return state.narrowed && wired.length > 1 ? [wired[0]!] : [...wired];
}
