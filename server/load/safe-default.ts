import type { PerPhase, SitePhase } from '../../contracts/load.ts';
import { buildConstraintSpace } from './constraints.ts';
import { floorTenth } from './deciamps.ts';
import type { CircuitLimits } from './types.ts';

/**
 * The failsafe: the limit of each charger's TxDefaultProfile (OCPP 1.6
 * §3.13.1), which the charger applies to every transaction without a
 * TxProfile of ours — after a restart of ours, a lost connection, or when
 * our TxProfile's lease ends (docs/LOAD.md "Safe default"). It must keep
 * every phase within its limit even if every connector wired to it charges
 * at that default at once, whatever we know or not:
 *
 *   limit = min over every constraint the charger is on (its phases of the
 *           site and of each circuit up from its own) of
 *           constraint limit ÷ connectors wired to that constraint,
 *
 * floored to 0.1 A, then raised to the charger's min if below (a charger
 * cannot charge under its min: `tooMuch` raises the alarm that even the
 * default can overload that constraint), then capped at its max.
 * Connectors, not chargers, divide: a TxDefaultProfile on connector 0 applies
 * to each connector's transaction.
 */
export interface ChargerWiring {
  id: string;
  circuitId: number | null;
  /** Site phases it loads (1 to 3, distinct). */
  phases: SitePhase[];
  /** minCurrent and maxCurrent, A. */
  min: number;
  max: number;
  /** Connectors with id > 0; fewer than 1 counts as 1. */
  connectors: number;
}

export interface SafeDefault {
  /** The TxDefaultProfile limit, A per phase. */
  limit: number;
  /** The fair share of some constraint is below the charger's min: all at the default at once would overload it. */
  tooMuch: boolean;
}

/** Per charger id, in id order. */
export function safeDefaults(
  site: PerPhase,
  circuits: readonly CircuitLimits[],
  chargers: readonly ChargerWiring[],
): Map<string, SafeDefault> {
  const space = buildConstraintSpace(site, circuits);
  const sorted = [...chargers].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const wired = new Float64Array(space.limits.length);
  const on = sorted.map((ch) => {
    const list = space.constraintsOf(ch.circuitId, ch.phases, `charger ${ch.id}`);
    for (const c of list) wired[c]! += connectorsOf(ch);
    return list;
  });
  const out = new Map<string, SafeDefault>();
  sorted.forEach((ch, k) => {
    if (out.has(ch.id)) throw new Error(`charger ${ch.id} is listed twice`);
    let share = Infinity;
    for (const c of on[k]!) share = Math.min(share, space.limits[c]! / wired[c]!);
    const floored = floorTenth(share);
    const tooMuch = floored < ch.min;
    out.set(ch.id, { limit: Math.min(tooMuch ? ch.min : floored, ch.max), tooMuch });
  });
  return out;
}

function connectorsOf(ch: ChargerWiring): number {
  return Number.isInteger(ch.connectors) && ch.connectors > 1 ? ch.connectors : 1;
}
