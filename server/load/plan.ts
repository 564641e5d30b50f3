import type { Allocation, AllocationInput } from './types.ts';
import { planChanges } from './hysteresis.ts';

/** One profile to send: a session's TxProfile or a charger's TxDefaultProfile, at `limit` A per phase. */
export type ProfileOp =
  | { kind: 'tx'; chargerId: string; key: string; connectorId: number; transactionId: number; numberPhases: number; limit: number; safeShare: number }
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
  numberPhases: number;
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
 * to 0 A, a lower, so its share can go to others; and every due session not
 * otherwise sent gets what it has in force again, which takes nothing more.
 */
export function sessionPlan(input: AllocationInput, allocation: Allocation, sessions: SteeredSession[]): Plan {
  const plan: Plan = { lowers: [], raises: [] };
  const installed = new Map<string, number>();
  for (const s of sessions) if (s.known !== undefined) installed.set(s.key, s.known);
  const changes = planChanges(input, allocation, installed);
  const byKey = new Map(sessions.map((s) => [s.key, s]));
  const op = (s: SteeredSession, limit: number): ProfileOp => ({
    kind: 'tx', chargerId: s.chargerId, key: s.key, connectorId: s.connectorId, transactionId: s.transactionId, numberPhases: s.numberPhases, limit, safeShare: s.safeShare,
  });
  const planned = new Set<string>();
  for (const [list, into] of [[changes.lowers, plan.lowers], [changes.raises, plan.raises]] as const) {
    for (const ch of list) {
      const s = byKey.get(ch.key);
      if (!s) continue;
      into.push(op(s, ch.to));
      planned.add(s.key);
    }
  }
  for (const s of sessions) {
    if (planned.has(s.key)) continue;
    if (!s.drawing && (s.known === undefined || s.known > 0)) plan.lowers.push(op(s, 0));
    else if (s.due) plan.lowers.push(op(s, s.drawing ? (s.known ?? 0) : 0));
  }
  return plan;
}
