import { limitOf } from './profiles.ts';

/** One profile to send: a session's TxProfile or a charger's TxDefaultProfile, at `limit` A per phase. */
export type ProfileOp =
  | { kind: 'tx'; chargerId: string; key: string; connectorId: number; transactionId: number; numberPhases: number; limit: number; from: number }
  | { kind: 'default'; chargerId: string; numberPhases: number; limit: number; from: number };

export interface Plan {
  /** Sent first, all together: every change down, renewals, and first profiles that take nothing more. */
  lowers: ProfileOp[];
  /** Sent only once every lower was answered Accepted (OCPP 1.6 §3.13; docs/LOAD.md "Lower before raise"). */
  raises: ProfileOp[];
}

/** A raise smaller than this is not sent (hysteresis: allowances do not flap). */
export const RAISE_STEP_A = 1;
/** Two limits this close are the same (profiles carry 0.1 A). */
const SAME_A = 0.05;

/**
 * What a session's TxProfile should say, given its target and what is
 * installed: any lower is sent (a lower is what keeps a phase within its
 * limit, however small); a raise only from 1 A up; otherwise the installed
 * value stays, and is what a renewal or first profile repeats.
 */
export function nextLimit(target: number, installed: number): number {
  const t = limitOf(target);
  if (t < installed - SAME_A) return t;
  if (t >= installed + RAISE_STEP_A - SAME_A) return t;
  return limitOf(installed);
}

/** Files an op with the lowers or the raises; `due`: sent even unchanged (first profile, renewal, unknown state). */
export function file(plan: Plan, op: ProfileOp, due: boolean): void {
  if (op.limit < op.from - SAME_A) plan.lowers.push(op);
  else if (op.limit > op.from + SAME_A) plan.raises.push(op);
  else if (due) plan.lowers.push(op);
}
