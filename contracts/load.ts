/**
 * Site load management (docs/PRODUCT.md §7): the wiring vocabulary and the
 * `GET /api/load` answer, shared by the server and the dashboard.
 */

/** The site's supply phases. */
export const SITE_PHASES = ['A', 'B', 'C'] as const;
export type SitePhase = (typeof SITE_PHASES)[number];

/**
 * Which site phases a charger's L1, L2, L3 are wired to, e.g. 'BCA': L1 on B,
 * L2 on C, L3 on A. The seed's `vchpowersequence` takes the same values.
 */
export const PHASE_ROTATIONS = ['ABC', 'ACB', 'BAC', 'BCA', 'CAB', 'CBA'] as const;
export type PhaseRotation = (typeof PHASE_ROTATIONS)[number];

/** The site phases a charger with `maxPhase` wired phases loads: the first ones of its rotation. */
export function loadedPhases(rotation: PhaseRotation, maxPhase: number): SitePhase[] {
  return rotation.slice(0, Math.max(1, Math.min(3, maxPhase))).split('') as SitePhase[];
}

/** A per-phase figure set, amperes. */
export type PerPhase = Record<SitePhase, number>;

/**
 * One session's place in the allocation:
 * - charging: allowed at least its charger's minimum;
 * - waiting: not every session fits at its minimum; this one holds 0 A until it does;
 * - capped-by-demand: draws clearly less than it could have, so it is allowed its draw plus a margin;
 * - unmanaged: counted at its charger's maxCurrent and not steered (the charger rejected
 *   or did not answer a profile, is offline with the session open, or distribution is off).
 */
export const SESSION_LOAD_STATES = ['charging', 'waiting', 'capped-by-demand', 'unmanaged'] as const;
export type SessionLoadState = (typeof SESSION_LOAD_STATES)[number];

export interface PhaseLoad {
  /** The phase's limit, A. */
  limit: number;
  /** The sum of the allowances (unmanaged sessions at their maxCurrent) on the phase, A. */
  allowed: number;
  /** The sum of the last measured Current.Import on the phase, A (a session without a measurement adds nothing). */
  measured: number;
}

export interface SessionLoad {
  chargerId: string;
  connectorId: number;
  transactionId: number;
  /** Site phases the session is counted on: its charger's wiring, or its L1's alone for a single-phase car (docs/LOAD.md "Per-phase demand"). */
  phases: SitePhase[];
  /** The allowance per phase, A (0 while waiting; maxCurrent when unmanaged). */
  allowed: number;
  /** The last measured current per loaded phase, A; null without a measurement. */
  measured: Partial<PerPhase> | null;
  state: SessionLoadState;
  circuitId: number | null;
}

export interface CircuitLoad {
  id: number;
  name: string;
  parentId: number | null;
  phases: Record<SitePhase, PhaseLoad>;
}

/** `GET /api/load` and the `load.changed` live event. */
export interface LoadSnapshot {
  /** blncurrentdistribution = 1. */
  enabled: boolean;
  /** When this allocation was computed (ISO). */
  at: string;
  site: Record<SitePhase, PhaseLoad>;
  circuits: CircuitLoad[];
  sessions: SessionLoad[];
}
