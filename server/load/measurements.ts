import type { PerPhase, PhaseRotation, SitePhase } from '../../contracts/load.ts';
import type { SampledValueEvent } from '../../contracts/events.ts';
import { forgetChargerKeys } from './site-model.ts';

/** The last measured Current.Import of one session, per site phase. */
export interface Measurement {
  transactionId: number;
  /** When it was received (the injected clock), ms since the epoch. */
  at: number;
  current: Partial<PerPhase>;
  /** When each phase's figure was received: a sample set may carry some lines only (phase-demand.ts). */
  lineAt?: Partial<PerPhase>;
}

/** A charger's line (L1, L2, L3) in a SampledValue phase (OCPP 1.6 §7.30): L1 and L1-N are L1; N and line-to-line are not a line current. */
const LINE: Record<string, number> = { L1: 0, 'L1-N': 0, L2: 1, 'L2-N': 1, L3: 2, 'L3-N': 2 };

/**
 * Reads the Current.Import values of one MeterValues sample set as site
 * phases: the charger's L1, L2, L3 are the first, second and third letter of
 * its rotation. A value without phase is the charger's L1 on a single-phase
 * charger, and each loaded phase's current on a multi-phase one (a charger
 * that reports one figure reports the phases alike). Only A are read (the
 * unit OCPP 1.6 gives currents); undefined when the set has no current.
 */
export function sitePhaseCurrents(
  values: SampledValueEvent[],
  rotation: PhaseRotation,
  phases: SitePhase[],
): Partial<PerPhase> | undefined {
  let out: Partial<PerPhase> | undefined;
  for (const v of values) {
    if (v.measurand !== 'Current.Import' || (v.unit !== undefined && v.unit !== 'A') || !Number.isFinite(v.value))
      continue;
    const targets: SitePhase[] = [];
    if (v.phase === undefined) targets.push(...(phases.length === 1 ? [rotation[0] as SitePhase] : phases));
    else if (v.phase in LINE) targets.push(rotation[LINE[v.phase]!] as SitePhase);
    for (const p of targets) {
      if (!phases.includes(p)) continue; // a line the charger is not wired to load
      out ??= {};
      out[p] = Math.max(0, v.value);
    }
  }
  return out;
}

/** The latest measurement of every running session, by session key. */
export class Measurements {
  private readonly byKey = new Map<string, Measurement>();

  record(key: string, m: Measurement): void {
    const old = this.byKey.get(key);
    const lineAt: Partial<PerPhase> = {};
    for (const p of Object.keys(m.current) as (keyof PerPhase)[]) lineAt[p] = m.at;
    // A sample set from another session on the connector replaces; one of the same session merges its phases.
    const same = old && old.transactionId === m.transactionId;
    const current = same ? { ...old.current, ...m.current } : m.current;
    this.byKey.set(key, { ...m, current, lineAt: same ? { ...old.lineAt, ...lineAt } : lineAt });
  }

  /** Forgets the charger's measurements (its wiring changed: they are in the old site phases). */
  forgetCharger(chargerId: string): void {
    forgetChargerKeys(this.byKey, chargerId);
  }

  get(key: string, transactionId: number): Measurement | undefined {
    const m = this.byKey.get(key);
    return m && m.transactionId === transactionId ? m : undefined;
  }

  /** Drops what belongs to sessions no longer open. */
  retain(open: Set<string>): void {
    for (const key of this.byKey.keys()) if (!open.has(key)) this.byKey.delete(key);
  }
}
