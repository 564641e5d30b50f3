import {
  SITE_PHASES,
  type LoadSnapshot,
  type PerPhase,
  type PhaseLoad,
  type SessionLoad,
  type SessionLoadState,
  type SitePhase,
} from '../../contracts/load.ts';
import type { Measurements } from './measurements.ts';
import type { SiteModel } from './site-model.ts';

/**
 * Per session key: what the allocation gave it (absent: not allocated, shown
 * waiting at 0 A), and the phases it is counted on when fewer than wired (a
 * single-phase car narrowed to its L1, phase-demand.ts).
 */
export type Allowances = Map<string, { allowed: number; state: SessionLoadState; phases?: SitePhase[] | undefined }>;

function phases(limits: PerPhase): Record<SitePhase, PhaseLoad> {
  return {
    A: { limit: limits.A, allowed: 0, measured: 0 },
    B: { limit: limits.B, allowed: 0, measured: 0 },
    C: { limit: limits.C, allowed: 0, measured: 0 },
  };
}

const round1 = (n: number) => Math.round(n * 10) / 10;

/**
 * The `GET /api/load` answer and `load.changed` payload: per session its
 * allowance, measurement and state; per site phase and circuit phase the
 * limit and the sums of allowances and measurements on it (a circuit counts
 * its own chargers and those of the circuits nested under it).
 */
export function buildSnapshot(
  model: SiteModel,
  allowances: Allowances | 'unmanaged',
  measurements: Measurements,
  at: Date,
  enabled: boolean,
): LoadSnapshot {
  const site = phases(model.limits);
  const circuits = model.circuits.map((c) => ({
    id: c.id,
    name: c.name,
    parentId: c.parentId,
    phases: phases(c.limits),
  }));
  const byId = new Map(circuits.map((c) => [c.id, c]));
  const sessions: SessionLoad[] = [];
  for (const s of model.sessions) {
    const charger = model.chargers.get(s.chargerId)!;
    const given =
      allowances === 'unmanaged'
        ? { allowed: charger.max, state: 'unmanaged' as const }
        : (allowances.get(s.key) ?? { allowed: 0, state: 'waiting' as const });
    const measured = measurements.get(s.key, s.transactionId)?.current ?? null;
    const counted = ('phases' in given ? given.phases : undefined) ?? charger.phases;
    sessions.push({
      chargerId: s.chargerId,
      connectorId: s.connectorId,
      transactionId: s.transactionId,
      phases: counted,
      allowed: given.allowed,
      measured,
      state: given.state,
      circuitId: charger.circuitId,
    });
    const chain: PhaseLoadSet[] = [site];
    const seen = new Set<number>();
    for (let id = charger.circuitId; id !== null && !seen.has(id); id = byId.get(id)?.parentId ?? null) {
      seen.add(id);
      const circuit = byId.get(id);
      if (circuit) chain.push(circuit.phases);
    }
    for (const p of charger.phases) {
      for (const set of chain) {
        if (counted.includes(p)) set[p].allowed += given.allowed;
        set[p].measured += measured?.[p] ?? 0;
      }
    }
  }
  for (const set of [site, ...circuits.map((c) => c.phases)]) {
    for (const p of SITE_PHASES) {
      set[p].allowed = round1(set[p].allowed);
      set[p].measured = round1(set[p].measured);
    }
  }
  return { enabled, at: at.toISOString(), site, circuits, sessions };
}

type PhaseLoadSet = Record<SitePhase, PhaseLoad>;

/** The snapshot without its instant: two with the same content publish once. */
export function snapshotContent(s: LoadSnapshot): string {
  return JSON.stringify({ ...s, at: undefined });
}
