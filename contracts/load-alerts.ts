import type { SitePhase } from './load.ts';

/**
 * The alerts load management raises (docs/PRODUCT.md §7), as `GET /api/alerts`
 * answers them in `kind`, with the severity each is raised at.
 * - load.over-limit: a phase measured above its limit for more than 10 s (a charger ignoring its profile);
 * - load.profile-rejected: a charger rejected a charging profile, answered an error or none (OCPP 1.6 §5.16);
 *   its session is counted at its maxCurrent and the others are fitted around it;
 * - load.failsafe-too-much: even the failsafe share (a phase's limit over the chargers wired to it) is
 *   more than the phase holds, because each charger gets at least its minCurrent;
 * - load.overcommitted: loads nobody can steer (unmanaged sessions) alone exceed a limit;
 * - load.charger-offline: a charger is offline with a session open; it is counted at its maxCurrent until it is back.
 */
export const LOAD_ALERT_SEVERITY = {
  'load.over-limit': 'critical',
  'load.profile-rejected': 'warning',
  'load.failsafe-too-much': 'warning',
  'load.overcommitted': 'critical',
  'load.charger-offline': 'warning',
} as const;
export type LoadAlertKind = keyof typeof LOAD_ALERT_SEVERITY;
export const LOAD_ALERT_KINDS = Object.keys(LOAD_ALERT_SEVERITY) as LoadAlertKind[];

/** A session named in an over-limit alert: it drew more than it was allowed on the phase. */
export interface OverLimitSession {
  chargerId: string;
  connectorId: number;
  transactionId: number;
  /** Its allowance per phase, A. */
  allowed: number;
  /** What it drew on the phase, A, in the last picture before the alert. */
  measured: number;
}

/** `details` of a load.over-limit alert. */
export interface OverLimitDetails {
  /** The site's supply, or a circuit (circuitId, circuitName). */
  scope: 'site' | 'circuit';
  circuitId: number | null;
  circuitName: string | null;
  phase: SitePhase;
  /** A. */
  limit: number;
  /** The highest measured sum on the phase during the episode so far, A. */
  peak: number;
  /** When the phase was first seen above its limit (ISO). */
  since: string;
  /** How long it had been above when the alert was raised, ms. */
  durationMs: number;
  /** The sessions on the phase drawing more than allowed, most excess first. */
  sessions: OverLimitSession[];
}
