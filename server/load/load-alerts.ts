import type { FastifyInstance } from 'fastify';
import { LOAD_ALERT_SEVERITY, type LoadAlertKind } from '../../contracts/load-alerts.ts';
import type { AlertRow, AlertSeverity } from '../../db/schema/index.ts';

export interface LoadAlertInput {
  kind: LoadAlertKind;
  /** Defaults to the kind's (contracts/load-alerts.ts). */
  severity?: AlertSeverity | undefined;
  chargerId?: string | null | undefined;
  transactionId?: number | null | undefined;
  message: string;
  details: Record<string, unknown>;
  /**
   * What makes this alert the same as one raised before (per kind: it is
   * stored as `<kind>:<dedupKey>`). One key per episode of the condition,
   * e.g. its subject and the instant it began (`episodeKey`): raising
   * again within the episode is nothing, a new episode raises anew.
   */
  dedupKey: string;
}

/**
 * A dedup key for the episode of a condition on `subject` that began at
 * `since`; `seq` tells apart episodes that began at the same instant (one
 * ended and the next began within a millisecond, or on a test's still clock).
 */
export function episodeKey(subject: string, since: Date, seq: number): string {
  return `${subject}@${since.toISOString()}#${seq}`;
}

/**
 * Raises a load-management alert into `alerts` (GET /api/alerts), stamped by
 * the injected clock. Resolves with the row raised now, or undefined when its
 * dedup key was raised before (the same episode, possibly by another process).
 */
export async function raiseLoadAlert(app: FastifyInstance, input: LoadAlertInput): Promise<AlertRow | undefined> {
  const [row] = await app.repos.alerts.raise([
    {
      at: app.clock.now(),
      kind: input.kind,
      severity: input.severity ?? LOAD_ALERT_SEVERITY[input.kind],
      chargerId: input.chargerId ?? null,
      transactionId: input.transactionId ?? null,
      message: input.message,
      details: input.details,
      dedupKey: `${input.kind}:${input.dedupKey}`,
    },
  ]);
  return row;
}

export type EpisodeAlertInput = Omit<LoadAlertInput, 'dedupKey'> & {
  /** What the condition is about: `charger:CP1`, `site:A`, `circuit:3:B`. */
  subject: string;
};

/**
 * Episodes of conditions the controller sees round after round (a charger
 * rejecting profiles, an overcommitted phase): `raise` while it holds writes
 * once per episode, `end` when it is over, so it raising again is a new
 * episode and a new alert. Kept in memory by the leader; a new leader starts
 * its own episodes (one more alert for a condition that outlived the handover).
 */
export function createAlertEpisodes(app: FastifyInstance) {
  const open = new Map<string, { since: Date; seq: number; raised: boolean }>();
  const id = (kind: LoadAlertKind, subject: string) => `${kind} ${subject}`;
  let seq = 0;
  return {
    async raise(input: EpisodeAlertInput): Promise<AlertRow | undefined> {
      const key = id(input.kind, input.subject);
      let episode = open.get(key);
      if (!episode) open.set(key, (episode = { since: app.clock.now(), seq: ++seq, raised: false }));
      if (episode.raised) return undefined;
      const { subject, ...alert } = input;
      const row = await raiseLoadAlert(app, { ...alert, dedupKey: episodeKey(subject, episode.since, episode.seq) });
      episode.raised = true; // after the write: a failed one is tried again next round
      return row;
    },
    end(kind: LoadAlertKind, subject: string): void {
      open.delete(id(kind, subject));
    },
    /** Open episodes of a kind (to end those whose condition is gone). */
    subjects(kind: LoadAlertKind): string[] {
      return [...open.keys()].filter((k) => k.startsWith(`${kind} `)).map((k) => k.slice(kind.length + 1));
    },
    clear(): void {
      open.clear();
    },
  };
}
export type AlertEpisodes = ReturnType<typeof createAlertEpisodes>;
