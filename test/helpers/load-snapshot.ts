import type { CircuitLoad, LoadSnapshot, PerPhase, PhaseLoad, SessionLoad, SitePhase } from '../../contracts/load.ts';
import { SITE_PHASES } from '../../contracts/load.ts';

/** The site's limit per phase in these pictures, A. */
export const SITE_LIMIT = 63;

const phases = (limit: number, measured: Partial<PerPhase>): Record<SitePhase, PhaseLoad> =>
  Object.fromEntries(
    SITE_PHASES.map((p) => [p, { limit, allowed: Math.min(limit, measured[p] ?? 0), measured: measured[p] ?? 0 }]),
  ) as Record<SitePhase, PhaseLoad>;

let nextTransaction = 1;

/** A session of the picture: its allowance per phase and what it draws on each. */
export function session(
  chargerId: string,
  allowed: number,
  measured: Partial<PerPhase>,
  circuitId: number | null = null,
): SessionLoad {
  return {
    chargerId,
    connectorId: 1,
    transactionId: nextTransaction++,
    phases: SITE_PHASES.filter((p) => p in measured),
    allowed,
    measured,
    state: 'charging',
    circuitId,
  };
}

export function circuit(
  id: number,
  name: string,
  parentId: number | null,
  limit: number,
  measured: Partial<PerPhase>,
): CircuitLoad {
  return { id, name, parentId, phases: phases(limit, measured) };
}

/**
 * A `load.changed` picture (the controller's snapshot) with the site's phases
 * measured as given, for feeding the over-limit monitor.
 */
export function snapshot(
  at: Date,
  measured: Partial<PerPhase>,
  extra: { sessions?: SessionLoad[]; circuits?: CircuitLoad[]; enabled?: boolean } = {},
): LoadSnapshot {
  return {
    enabled: extra.enabled ?? true,
    at: at.toISOString(),
    site: phases(SITE_LIMIT, measured),
    circuits: extra.circuits ?? [],
    sessions: extra.sessions ?? [],
  };
}
