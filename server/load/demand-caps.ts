import type { SitePhase } from '../../contracts/load.ts';
import { NO_DEMAND, resumeDemand, stepDemand, type DemandState } from './demand.ts';
import type { Measurements } from './measurements.ts';
import { forgetChargerKeys } from './site-model.ts';
import { countedPhases, refusedNarrowing, stepPhases, WIDE, type PhaseState } from './phase-demand.ts';

/** What demand-caps needs of a session each step. */
export interface DemandSubject {
  key: string;
  transactionId: number;
  min: number;
  max: number;
  /** The allowance the charger holds now, A; undefined: not steered (no cap). */
  allowance: number | undefined;
  /** A measurement older than this is none (2 × the charger's MeterValueSampleInterval), ms. */
  staleMs: number;
  /** The site phases its charger loads, L1 first (site-model.ts SiteCharger.phases). */
  wired: readonly SitePhase[];
}

/**
 * Each running session's demand state (server/load/demand.ts) and phase
 * state (server/load/phase-demand.ts), stepped at every measurement and
 * every tick of the injected clock; says when a cap appeared, moved or went
 * or a session was narrowed or widened, which is when the allocation must
 * run again.
 */
export class DemandCaps {
  private readonly states = new Map<string, DemandState & { transactionId: number }>();
  private readonly phaseStates = new Map<string, { state: PhaseState; transactionId: number }>();

  /** The session's demand cap, A; 0: idle (its car takes nothing, SessionDemand.idle); null: none. */
  cap(key: string, transactionId: number): number | null {
    const s = this.states.get(key);
    return s && s.transactionId === transactionId ? s.cap : null;
  }

  /** The site phases the session counts on (phase-demand.ts): fewer than wired when narrowed to its L1. */
  phases(key: string, transactionId: number, wired: readonly SitePhase[]): SitePhase[] {
    const p = this.phaseStates.get(key);
    return p && p.transactionId === transactionId ? countedPhases(p.state, wired) : [...wired];
  }

  /** The connector reported Charging: an idle or probing session is itself again (demand.ts resumeDemand); true when its cap changed. */
  resume(key: string): boolean {
    const s = this.states.get(key);
    if (!s) return false;
    const next = resumeDemand(s);
    if (next === s) return false;
    this.states.set(key, { ...next, transactionId: s.transactionId });
    return true;
  }

  /** Steps every subject at `now`, forgetting sessions not among them; true when any cap changed. */
  step(now: number, subjects: DemandSubject[], measurements: Measurements): boolean {
    let changed = false;
    const seen = new Set<string>();
    for (const s of subjects) {
      seen.add(s.key);
      if (this.stepOne(now, s, measurements)) changed = true;
    }
    for (const key of this.states.keys()) {
      if (seen.has(key)) continue;
      if (this.states.get(key)!.cap !== null) changed = true;
      this.states.delete(key);
    }
    for (const key of this.phaseStates.keys()) {
      if (seen.has(key)) continue;
      if (this.phaseStates.get(key)!.state.narrowed) changed = true;
      this.phaseStates.delete(key);
    }
    return changed;
  }

  /** Steps one session at `now` (a new sample of its own); true when its cap or phases changed. */
  stepOne(now: number, s: DemandSubject, measurements: Measurements): boolean {
    const old = this.states.get(s.key);
    const before: DemandState = old && old.transactionId === s.transactionId ? old : NO_DEMAND;
    const m = measurements.get(s.key, s.transactionId);
    const next =
      s.allowance === undefined
        ? NO_DEMAND
        : stepDemand(
            before,
            { now, allowance: s.allowance, measured: m?.current ?? null, measuredAt: m?.at },
            { min: s.min, max: s.max, staleMs: s.staleMs },
          );
    this.states.set(s.key, { ...next, transactionId: s.transactionId });
    const phasesChanged = this.stepPhases(now, s, m);
    return next.cap !== before.cap || phasesChanged;
  }

  /** Only a steered session is narrowed: one counted at its maximum keeps every wired phase. True when its phases changed. */
  private stepPhases(now: number, s: DemandSubject, m: ReturnType<Measurements['get']>): boolean {
    const old = this.phaseStates.get(s.key);
    const before = old && old.transactionId === s.transactionId ? old.state : WIDE;
    const next = stepPhases(
      before,
      { now, wired: s.wired, measured: m?.current ?? null, lineAt: m?.lineAt, steered: s.allowance !== undefined },
      { staleMs: s.staleMs },
    );
    this.phaseStates.set(s.key, { state: next, transactionId: s.transactionId });
    return next.narrowed !== before.narrowed;
  }

  /** Its charger did not accept a TxProfile of numberPhases 1: kept on its wiring for the rest of the transaction. */
  refusedNarrowing(key: string, transactionId: number): void {
    this.phaseStates.set(key, { state: refusedNarrowing(), transactionId });
  }

  /** The charger's wiring changed: its sessions' demand and phase states start afresh (they were judged in the old phases). */
  forgetCharger(chargerId: string): void {
    forgetChargerKeys(this.states, chargerId);
    forgetChargerKeys(this.phaseStates, chargerId);
  }
}
