import type { FastifyInstance } from 'fastify';
import type { AlertChannel } from '../../db/repositories/alerts.ts';
import { presentAlert } from './present.ts';

/** Notices taken per statement. */
const BATCH = 100;

/**
 * Announces the alert raises and clears of the outbox (db/schema/alerts.ts
 * alert_outbox) on `app.events` as `alert.raised` / `alert.cleared`, each
 * once for the whole site (taken with SKIP LOCKED; the Redis bus fans it out
 * to every process). On each channel this process has no receiver for
 * (no webhook, no e-mail) they are settled at once: not sent later either.
 * Resolves with how many were announced.
 */
export async function publishPending(app: FastifyInstance): Promise<number> {
  const settle: AlertChannel[] = [];
  if (!app.config.alertWebhookUrl) settle.push('webhook');
  if (!app.config.alertEmail) settle.push('email');
  let total = 0;
  for (;;) {
    const taken = await app.repos.alerts.takeUnpublished(app.clock.now(), BATCH, settle);
    for (const { entry, alert } of taken) {
      app.events.publish({
        type: entry.notice === 'raised' ? 'alert.raised' : 'alert.cleared',
        at: entry.createdAt.toISOString(),
        alert: presentAlert(alert),
      });
    }
    total += taken.length;
    if (taken.length < BATCH) return total;
  }
}
