import type { FastifyInstance } from 'fastify';
import type { AlertWebhookBody } from '../../contracts/alerts.ts';
import type { OutboxEntry } from '../../db/repositories/alerts.ts';
import { presentAlert } from './present.ts';

/** Notices attempted per round, in parallel. */
const BATCH = 20;
/** A receiver answering slower than this has failed the attempt. */
export const WEBHOOK_TIMEOUT_MS = 5_000;
/**
 * A taken notice is not taken again before this (another process, or this
 * one after a crash mid-attempt, tries it then): longer than any attempt.
 */
const LEASE_MS = 30_000;
/** After this long failing, a notice is given up (docs/OPERATIONS.md "Alerts"). */
export const WEBHOOK_GIVE_UP_MS = 24 * 3600_000;

/** The wait before attempt `attempts + 1`: 1 s, 2 s, 4 s … at most 5 minutes. */
export function webhookBackoffMs(attempts: number): number {
  return Math.min(1000 * 2 ** Math.max(0, attempts - 1), 300_000);
}

/**
 * POSTs every notice due to ALERT_WEBHOOK_URL (contracts/alerts.ts
 * AlertWebhookBody), off the OCPP path: a 2xx settles it, anything else
 * (an error status, a refused connection, no answer within 5 s) is tried
 * again after the back-off, by the injected clock. Resolves with how many
 * were delivered.
 */
export async function deliverDue(app: FastifyInstance, url: string): Promise<number> {
  let delivered = 0;
  for (;;) {
    const now = app.clock.now();
    const taken = await app.repos.alerts.takeDue(now, LEASE_MS, BATCH);
    const results = await Promise.all(taken.map((e) => attempt(app, url, e)));
    delivered += results.filter(Boolean).length;
    if (taken.length < BATCH) return delivered;
  }
}

async function attempt(app: FastifyInstance, url: string, { entry, alert }: OutboxEntry): Promise<boolean> {
  const body: AlertWebhookBody = {
    deliveryId: entry.id,
    event: entry.notice === 'raised' ? 'alert.raised' : 'alert.cleared',
    alert: presentAlert(alert),
  };
  const attempts = entry.attempts + 1;
  let error: string;
  try {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'user-agent': 'chargeops-alerts' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(WEBHOOK_TIMEOUT_MS),
      redirect: 'error',
    });
    await res.body?.cancel().catch(() => {});
    if (res.ok) {
      await app.repos.alerts.delivered(entry.id, app.clock.now(), attempts);
      return true;
    }
    error = `HTTP ${res.status}`;
  } catch (err) {
    error =
      (err as Error).name === 'TimeoutError'
        ? `no answer within ${WEBHOOK_TIMEOUT_MS} ms`
        : String((err as Error).message);
  }
  const now = app.clock.now();
  app.log.warn({ alertId: alert.id, deliveryId: entry.id, attempts, error }, 'alert webhook delivery failed');
  if (now.getTime() - entry.createdAt.getTime() >= WEBHOOK_GIVE_UP_MS)
    await app.repos.alerts.givenUp(entry.id, now, attempts, error);
  else
    await app.repos.alerts.deliveryFailed(
      entry.id,
      attempts,
      new Date(now.getTime() + webhookBackoffMs(attempts)),
      error,
    );
  return false;
}
