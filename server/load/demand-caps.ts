import { NO_DEMAND, resumeDemand, stepDemand, type DemandState } from './demand.ts';
import type { Measurements } from './measurements.ts';

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
}

/**
 * Each running session's demand state (server/load/demand.ts), stepped at
 * every measurement and every tick of the injected clock; says when a cap
 * appeared, moved or went, which is when the allocation must run again.
 */
export class DemandCaps {
  private readonly states = new Map<string, DemandState & { transactionId: number }>();

  /** The session's demand cap, A; 0: idle (its car takes nothing, SessionDemand.idle); null: none. */
  cap(key: string, transactionId: number): number | null {
    const s = this.states.get(key);
    return s && s.transactionId === transactionId ? s.cap : null;
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

  /** Steps every subject at `now`; true when any cap changed. */
  step(now: number, subjects: DemandSubject[], measurements: Measurements): boolean {
    let changed = false;
    const seen = new Set<string>();
    for (const s of subjects) {
      seen.add(s.key);
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
      if (next.cap !== before.cap) changed = true;
      this.states.set(s.key, { ...next, transactionId: s.transactionId });
    }
    for (const key of this.states.keys()) {
      if (seen.has(key)) continue;
      if (this.states.get(key)!.cap !== null) changed = true;
      this.states.delete(key);
    }
    return changed;
  }
}
