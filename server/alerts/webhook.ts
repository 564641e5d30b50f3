import type { AlertWebhookBody } from '../../contracts/alerts.ts';
import type { OutboxEntry } from '../../db/repositories/alerts.ts';
import type { Channel } from './delivery.ts';
import { presentAlert } from './present.ts';

/** A receiver answering slower than this has failed the attempt. */
export const WEBHOOK_TIMEOUT_MS = 5_000;

class HttpStatusError extends Error {}

/**
 * The ALERT_WEBHOOK_URL channel (contracts/alerts.ts AlertWebhookBody): each
 * notice POSTed as JSON; a 2xx settles it, anything else (an error status, a
 * refused connection, no answer within 5 s) is tried again after the
 * back-off (server/alerts/delivery.ts).
 */
export function webhookChannel(url: string): Channel {
  return {
    name: 'webhook',
    batch: 20,
    leaseMs: 30_000,
    send: (e) => post(url, e),
    describe: (err) =>
      (err as Error).name === 'TimeoutError'
        ? `no answer within ${WEBHOOK_TIMEOUT_MS} ms`
        : String((err as Error).message),
  };
}

async function post(url: string, { entry, alert }: OutboxEntry): Promise<void> {
  const body: AlertWebhookBody = {
    deliveryId: entry.id,
    event: entry.notice === 'raised' ? 'alert.raised' : 'alert.cleared',
    alert: presentAlert(alert),
  };
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'user-agent': 'chargeops-alerts' },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(WEBHOOK_TIMEOUT_MS),
    redirect: 'error',
  });
  await res.body?.cancel().catch(() => {});
  if (!res.ok) throw new HttpStatusError(`HTTP ${res.status}`);
}
