import type { SitePhase } from '../../contracts/load.ts';
import type { Allocation, AllocationInput } from './types.ts';
import { planChanges } from './hysteresis.ts';
import { awaitingBoot, knownLimit, steerable, type ChargerLink, type TxGrant } from './installed.ts';
import { afterLease, limitOf } from './profiles.ts';
import type { SafeDefault } from './safe-default.ts';
import type { SiteCharger, SiteModel, SiteSession } from './site-model.ts';

/** One profile to send: a session's TxProfile or a charger's TxDefaultProfile, at `limit` A per phase. */
export type ProfileOp =
  | {
      kind: 'tx';
      chargerId: string;
      key: string;
      connectorId: number;
      transactionId: number;
      numberPhases: number;
      limit: number;
      safeShare: number;
    }
  | { kind: 'default'; chargerId: string; numberPhases: number; limit: number };

export interface Plan {
  /** Sent first, all together: every change down, renewals, first profiles that take nothing more. */
  lowers: ProfileOp[];
  /** Sent only once every lower was answered Accepted (OCPP 1.6 §3.13; docs/LOAD.md "Lower before raise"). */
  raises: ProfileOp[];
}

/** A steered open session, as the plan needs it. */
export interface SteeredSession {
  key: string;
  chargerId: string;
  connectorId: number;
  transactionId: number;
  /** The phases it is counted on (phase-demand.ts: 1 when narrowed to its L1), the numberPhases of its TxProfile. */
  numberPhases: number;
  /** The numberPhases of the TxProfile it holds; undefined: none of ours (or as numberPhases). */
  knownPhases?: number | undefined;
  /** The charger's safe share, carried by the TxProfile for after its lease (profiles.ts). */
  safeShare: number;
  /** In the allocation (it may draw); otherwise it is held at 0 A. */
  drawing: boolean;
  /** What the charger enforces now as far as known (installed.ts knownLimit); undefined: unknown. */
  known: number | undefined;
  /** No TxProfile of ours yet, its lease is past half-life, or its after-lease limit is no longer the safe one: sent even unchanged. */
  due: boolean;
}

/**
 * The TxProfiles to send after an allocation: which change, lower or raise,
 * is hysteresis.ts's choice (every lower a limit relies on, raises from 1 A);
 * a session that may not draw (Finishing, Faulted, Unavailable) is brought
 * to 0 A, a lower, so its share can go to others. A due session (a renewal)
 * not otherwise sent goes out anyway, so it takes its allocation then: a
 * held lower as a lower, a held raise as a raise, which is safe only when no
 * lower is held anywhere (then everyone is at or below their allocation
 * after the lowers, and the allocation holds every limit), else it keeps
 * what it has. Raises under 1 A that hysteresis holds are given 1 A at a
 * time while the sums allow (hysteresis.ts), the rest at the latest at the
 * next renewal; a session given 1 A above its allocation counts as a held
 * lower here.
 */
export function sessionPlan(input: AllocationInput, allocation: Allocation, sessions: SteeredSession[]): Plan {
  const plan: Plan = { lowers: [], raises: [] };
  const installed = new Map<string, number>();
  for (const s of sessions) if (s.known !== undefined) installed.set(s.key, s.known);
  const changes = planChanges(input, allocation, installed);
  const byKey = new Map(sessions.map((s) => [s.key, s]));
  const op = (s: SteeredSession, limit: number, numberPhases = s.numberPhases): ProfileOp => ({
    kind: 'tx',
    chargerId: s.chargerId,
    key: s.key,
    connectorId: s.connectorId,
    transactionId: s.transactionId,
    numberPhases,
    limit,
    safeShare: s.safeShare,
  });
  const planned = new Map<string, number>();
  for (const [list, into] of [
    [changes.lowers, plan.lowers],
    [changes.raises, plan.raises],
  ] as const) {
    for (const ch of list) {
      const s = byKey.get(ch.key);
      if (!s) continue;
      into.push(op(s, ch.to));
      planned.set(s.key, ch.to);
    }
  }
  const target = (s: SteeredSession) => (s.drawing ? (allocation.allowed.get(s.key) ?? 0) : 0);
  // Above its allocation: a held lower, or a held raise given a whole 1 A (hysteresis.ts releaseHeldRaises).
  const lowerHeld = sessions.some((s) => {
    const inForce = planned.get(s.key) ?? s.known;
    return s.drawing && inForce !== undefined && inForce > target(s) + 1e-9;
  });
  for (const s of sessions) {
    if (planned.has(s.key)) continue;
    if (!s.drawing && (s.known === undefined || s.known > 0)) plan.lowers.push(op(s, 0));
    else if (s.due) {
      const known = s.known ?? 0;
      const to = target(s);
      if (to > known + 1e-9 && !lowerHeld) plan.raises.push(op(s, to));
      else plan.lowers.push(op(s, Math.min(to, known)));
    }
  }
  for (const s of sessions) phaseChange(plan, s, op);
  return plan;
}

/**
 * A session narrowed to its L1 or widened back (phase-demand.ts) changes
 * the phases it loads, which is a lower on the phases it leaves and a raise
 * on those it takes: narrowing must be in force before the others are
 * raised on the phases it frees, widening only after they were lowered. So
 * the new numberPhases goes with the lowers when it narrows and with the
 * raises when it widens; where the amount moves the other way, the profile
 * is sent twice, first the lower of both (fewer phases, less current), then
 * the new one.
 */
function phaseChange(
  plan: Plan,
  s: SteeredSession,
  op: (s: SteeredSession, limit: number, numberPhases?: number) => ProfileOp,
): void {
  const was = s.knownPhases;
  if (was === undefined || was === s.numberPhases || s.known === undefined) return;
  const inLowers = plan.lowers.findIndex((o) => o.kind === 'tx' && o.key === s.key);
  const inRaises = plan.raises.findIndex((o) => o.kind === 'tx' && o.key === s.key);
  const narrowing = s.numberPhases < was;
  if (narrowing) {
    if (inLowers >= 0) return;
    // At what it holds until the raise (or for good): only the phases change now.
    plan.lowers.push(op(s, s.known));
    return;
  }
  if (inRaises >= 0) return;
  if (inLowers >= 0) {
    const lower = plan.lowers[inLowers]!;
    if (lower.limit === 0) return; // 0 A on every phase takes nothing anywhere
    plan.lowers[inLowers] = op(s, lower.limit, was);
    plan.raises.push(op(s, lower.limit));
    return;
  }
  plan.raises.push(op(s, s.known));
}

/** What the controller knows of the chargers (installed.ts), as a round reads it. */
export interface Knowledge {
  links: ReadonlyMap<string, ChargerLink>;
  grants: ReadonlyMap<string, TxGrant>;
  leaseMs: number;
}

/**
 * The allocator's input: every session that may draw; those on chargers
 * the controller cannot steer now (offline, refusing) fixed at their maxCurrent.
 */
/** What demand-caps.ts says of a session: its demand cap (0: idle; null: none) and the phases it is counted on. */
export interface DemandView {
  cap(s: SiteSession): number | null;
  phases(s: SiteSession, wired: readonly SitePhase[]): SitePhase[];
}

export function allocationInput(model: SiteModel, k: Knowledge, demand: DemandView, t: number): AllocationInput {
  return {
    site: model.limits,
    circuits: model.circuits.map((c) => ({ id: c.id, parentId: c.parentId, limits: c.limits })),
    sessions: model.sessions
      .filter((s) => s.drawing)
      .map((s) => {
        const c = model.chargers.get(s.chargerId)!;
        const link = k.links.get(c.id);
        const cap = demand.cap(s);
        const fixed = steerable(c, link, t) ? null : countedAt(s, c, link, k, t);
        return {
          key: s.key,
          circuitId: c.circuitId,
          // One not steered counts on every phase it is wired to: a narrowing it never accepted frees nothing.
          phases: fixed === null ? demand.phases(s, c.phases) : [...c.phases],
          min: c.min,
          max: c.max,
          arrival: s.startedAt.getTime(),
          // A cap of 0 is a car that takes nothing (demand.ts "Idle").
          cap: cap === 0 ? null : cap,
          idle: cap === 0,
          fixed,
        };
      }),
  };
}

/**
 * What a session the controller does not steer now counts at: its maximum,
 * but for a charger given time to boot after it connected (installed.ts
 * awaitingBoot), which keeps what it was last known to hold (a reconnect
 * without a reboot keeps its profiles, OCPP 1.6 §3.13).
 */
function countedAt(s: SiteSession, c: SiteCharger, link: ChargerLink | undefined, k: Knowledge, t: number): number {
  if (!c.online || !awaitingBoot(link, t)) return c.max;
  const held = k.grants.get(s.key);
  return knownLimit(s, c, link, held?.transactionId === s.transactionId ? held : undefined, t, k.leaseMs) ?? c.max;
}

/** Every steered charger's TxDefaultProfile and every steered session's TxProfile that must be sent, as lowers and raises. */
export function roundPlan(
  model: SiteModel,
  input: AllocationInput,
  allocation: Allocation,
  safe: Map<string, SafeDefault>,
  k: Knowledge,
  t: number,
): Plan {
  const steered: SteeredSession[] = [];
  const counted = new Map(input.sessions.map((s) => [s.key, s.phases.length]));
  for (const s of model.sessions) {
    const c = model.chargers.get(s.chargerId)!;
    const link = k.links.get(c.id);
    if (!steerable(c, link, t)) continue;
    const held = k.grants.get(s.key);
    const grant = held?.transactionId === s.transactionId ? held : undefined;
    const safeShare = safe.get(c.id)?.limit ?? c.min;
    steered.push({
      key: s.key,
      chargerId: c.id,
      connectorId: s.connectorId,
      transactionId: s.transactionId,
      // One not drawing is held at 0 A on every phase it is wired to.
      numberPhases: (s.drawing ? counted.get(s.key) : undefined) ?? c.phases.length,
      knownPhases: grant?.numberPhases,
      safeShare,
      drawing: s.drawing,
      known: knownLimit(s, c, link, grant, t, k.leaseMs),
      // Every session gets a TxProfile at once: its TxDefaultProfile rises after the hold, a TxProfile does not.
      due: !grant || grant.until - t <= k.leaseMs / 2 || grant.after > afterLease(grant.limit, safeShare),
    });
  }
  const plan = sessionPlan(input, allocation, steered);
  for (const c of model.chargers.values()) {
    const link = k.links.get(c.id);
    if (!steerable(c, link, t)) continue;
    const limit = limitOf(safe.get(c.id)?.limit ?? c.min);
    const known = link?.defaultLimit;
    const op: ProfileOp = { kind: 'default', chargerId: c.id, numberPhases: c.phases.length, limit };
    // Unknown counts as the charger's maximum: sending it is a lower.
    if (known === undefined || limit < known) plan.lowers.push(op);
    else if (limit > known) plan.raises.push(op);
  }
  return plan;
}
