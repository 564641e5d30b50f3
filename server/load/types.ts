import type { PerPhase, SitePhase } from '../../contracts/load.ts';

/**
 * The allocator's input and output (server/load/allocate.ts), a pure
 * function of this data: the controller (server/load/controller.ts) builds
 * the input from the database and the live measurements, and acts on the
 * output over OCPP 1.6 §3.13. docs/PRODUCT.md §7.
 */

export interface CircuitLimits {
  id: number;
  /** null: directly under the site. */
  parentId: number | null;
  /** A per site phase. */
  limits: PerPhase;
}

export interface SessionDemand {
  /** Stable identity, `${chargerId}/${connectorId}`; ties in arrival are broken by it. */
  key: string;
  /** The circuit the charger hangs from; null: directly under the site. Every circuit up to the site bounds it. */
  circuitId: number | null;
  /** Site phases it loads (1 to 3, distinct); it draws the same current on each. */
  phases: SitePhase[];
  /** The charger's minCurrent and maxCurrent, A: an allowance is 0 or within [min, max]. */
  min: number;
  max: number;
  /** When the session started (ms since the epoch): earlier arrivals are admitted first. */
  arrival: number;
  /**
   * A demand cap, A, below max (the session draws clearly less than it may:
   * server/load/demand.ts); null or absent: none. Never lowers an allowance below min.
   */
  cap?: number | null;
  /**
   * The car takes nothing (full or paused: it drew ~0 for the demand window,
   * server/load/demand.ts): allowed 0 A, shown `capped-by-demand`, and its
   * minimum is not held for it. Ignored for a fixed session.
   */
  idle?: boolean | undefined;
  /**
   * Counted at this current on its phases and not steered (a charger that
   * rejected a profile, timed out, or is offline with the session open: its
   * maxCurrent). The others are fitted around it.
   */
  fixed?: number | null;
}

export interface AllocationInput {
  site: PerPhase;
  circuits: CircuitLimits[];
  sessions: SessionDemand[];
}

export interface Allocation {
  /** Per session key: the allowance per phase, A (0: waits), floored to 0.1 A. Fixed sessions answer their fixed current. */
  allowed: Map<string, number>;
  /** Per session key: why it has what it has. */
  state: Map<string, 'charging' | 'waiting' | 'capped-by-demand' | 'unmanaged'>;
  /** Constraints whose fixed load alone exceeds the limit (an alarm): `site:A`, `circuit:3:B`. */
  overcommitted: string[];
}
