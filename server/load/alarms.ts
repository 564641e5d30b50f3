import type { FastifyInstance } from 'fastify';
import type { AlertSeverity } from '../../db/schema/index.ts';

/**
 * The alarms the load controller raises (docs/LOAD.md "Alarms"), through
 * the alert console. Each is raised once per episode: the dedup key carries
 * when the condition began, so a condition that lasts raises nothing new.
 */
export const LOAD_ALERT = {
  /** A charger refused, errored or did not answer a profile: counted at its maxCurrent. */
  refused: 'load.profile_refused',
  /** A charger is offline with a session open: counted at its maxCurrent. */
  offline: 'load.offline_session',
  /** Even each charger's minimum on a phase adds up to more than its limit: the failsafe cannot hold it. */
  safeBelowMin: 'load.safe_default_below_min',
  /** The load of chargers counted at their maximum alone exceeds a limit. */
  overcommitted: 'load.overcommitted',
} as const;

export interface LoadAlarm {
  kind: (typeof LOAD_ALERT)[keyof typeof LOAD_ALERT];
  severity: AlertSeverity;
  chargerId?: string;
  message: string;
  details: Record<string, unknown>;
  dedupKey: string;
}

/** Raises alarms; a failure is logged, never thrown: steering goes on without the console. */
export async function raiseLoadAlarms(app: FastifyInstance, alarms: LoadAlarm[]): Promise<void> {
  if (alarms.length === 0) return;
  const at = app.clock.now();
  try {
    await app.repos.alerts.raise(alarms.map((a) => ({ ...a, at })));
  } catch (err) {
    app.log.warn({ err, kinds: alarms.map((a) => a.kind) }, 'load alarms not raised');
  }
}
