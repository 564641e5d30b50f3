import type { FastifyInstance } from 'fastify';
import type { LoadAlertKind } from '../../contracts/load-alerts.ts';
import type { AlertSeverity } from '../../db/schema/index.ts';
import { raiseLoadAlert } from './load-alerts.ts';
import type { SiteModel } from './site-model.ts';

/**
 * The alarms the load controller raises (docs/LOAD.md "When a charger does
 * not take a profile", "Failsafe"), through the alert console under the
 * load-management kinds (contracts/load-alerts.ts). Each is raised once per
 * episode: the dedup key carries when the condition began, so a condition
 * that lasts raises nothing new.
 */
export const LOAD_ALERT = {
  /** A charger refused, errored or did not answer a profile: counted at its maxCurrent. */
  refused: 'load.profile-rejected',
  /** Even each charger's minimum on a phase adds up to more than its limit: the failsafe cannot hold it. */
  safeBelowMin: 'load.failsafe-too-much',
  /** The load of chargers counted at their maximum alone exceeds a limit. */
  overcommitted: 'load.overcommitted',
  /** A charger is offline with a session open: counted at its maxCurrent. */
  offline: 'load.charger-offline',
} as const satisfies Record<string, LoadAlertKind>;

export interface LoadAlarm {
  kind: LoadAlertKind;
  severity: AlertSeverity;
  chargerId?: string;
  message: string;
  details: Record<string, unknown>;
  dedupKey: string;
}

/** Raises alarms (load-alerts.ts); a failure is logged, never thrown: steering goes on without the console. */
export async function raiseLoadAlarms(app: FastifyInstance, alarms: LoadAlarm[]): Promise<void> {
  for (const a of alarms) {
    try {
      await raiseLoadAlert(app, a);
    } catch (err) {
      app.log.warn({ err, kind: a.kind }, 'load alarm not raised');
    }
  }
}

/** What a round found that an operator should know: sessions on offline chargers, failsafe shares at the minimum, overcommitted limits. */
export function roundAlarms(input: {
  model: SiteModel;
  overcommitted: string[];
  safe: Map<string, { limit: number; tooMuch: boolean }>;
  /** When each overcommitted constraint's episode began (ISO), kept by the caller across rounds. */
  since: Map<string, string>;
  now: string;
}): LoadAlarm[] {
  const { model, safe, since, now } = input;
  const out: LoadAlarm[] = [];
  for (const s of model.sessions) {
    const c = model.chargers.get(s.chargerId)!;
    if (c.online) continue;
    out.push({
      kind: LOAD_ALERT.offline,
      severity: 'warning',
      chargerId: c.id,
      message: `${c.id} is offline with session ${s.transactionId} open; it is counted at its maximum current (${c.max} A) until it is back`,
      details: { transactionId: s.transactionId, maxCurrent: c.max },
      dedupKey: `charger:${c.id}:${s.transactionId}`,
    });
  }
  for (const [id, share] of safe) {
    if (!share.tooMuch) continue;
    const c = model.chargers.get(id)!;
    out.push({
      kind: LOAD_ALERT.safeBelowMin,
      severity: 'warning',
      chargerId: id,
      message: `The failsafe share of ${id} is below its minimum current (${c.min} A): if every charger on its phases charged at its failsafe default at once, a limit would be exceeded`,
      details: { limit: share.limit, minCurrent: c.min, limits: model.limits },
      dedupKey: `charger:${id}:${JSON.stringify(model.limits)}:${c.min}`,
    });
  }
  const episodes = new Map<string, string>();
  for (const name of input.overcommitted) {
    episodes.set(name, since.get(name) ?? now);
    out.push({
      kind: LOAD_ALERT.overcommitted,
      severity: 'critical',
      message: `Chargers counted at their maximum current alone exceed the limit of ${name}; the others on it wait at 0 A`,
      details: { constraint: name },
      dedupKey: `${name}@${episodes.get(name)}`,
    });
  }
  since.clear();
  for (const [k, v] of episodes) since.set(k, v);
  return out;
}
