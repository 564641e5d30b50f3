import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { ChargerEvent } from '../../contracts/events.ts';
import { applyChargerEvent } from './charger-rules.ts';
import { coalesced } from './coalesce.ts';
import { checkOffline } from './offline-check.ts';
import { publishPending } from './publisher.ts';
import { deliverDue, type Channel } from './delivery.ts';
import { emailChannel } from './email.ts';
import { webhookChannel } from './webhook.ts';

export interface AlertService {
  /** Something may have raised or cleared an alert: announce it (and send it) soon. */
  kick(): void;
  /** Resolves once every event seen so far is judged and every due notice announced and attempted. */
  flush(): Promise<void>;
  /** One offline check now, then flush (the timer does this every OFFLINE_CHECK_MS). */
  checkOffline(): Promise<void>;
}

declare module 'fastify' {
  interface FastifyInstance {
    alerts: AlertService;
  }
}

/** How often the outbox is read without a kick (raises by other processes, delivery retries). */
const POLL_MS = 1_000;
/** How often charger.offline is judged without an event (a socket gone and not back). */
const OFFLINE_CHECK_MS = 15_000;
/** Events after which a meter-anomaly alert may have been raised in the session's own transaction. */
const SESSION_EVENTS = new Set<ChargerEvent['type']>([
  'transaction.started',
  'transaction.stopped',
  'transaction.energy',
]);

/**
 * The alert console's engine (docs/OPERATIONS.md "Alerts"): judges this
 * process's own charger events (server/events subscribeOwn, so each is judged
 * once on the site) into raises and clears, in order per charger and off
 * the OCPP path; announces the outbox on the live stream; POSTs it to
 * ALERT_WEBHOOK_URL and mails it through SMTP_URL, each with its own
 * back-off and its own loop, so neither receiver waits for the other.
 */
async function alertsPlugin(app: FastifyInstance) {
  const log = (what: string) => (err: unknown) => app.log.error({ err }, `alerts: ${what} failed`);
  const perCharger = new Map<string, Promise<void>>();
  let closing = false;
  const email = app.config.alertEmail ? emailChannel(app.config.alertEmail) : undefined;
  const channels: Channel[] = [];
  if (app.config.alertWebhookUrl) channels.push(webhookChannel(app.config.alertWebhookUrl));
  if (email) channels.push(email);
  // One coalesced loop per channel: a receiver that is slow to fail holds only its own.
  const loops = channels.map((c) =>
    coalesced(async () => {
      if (!closing) await deliverDue(app, c);
    }),
  );
  // Rejects when a channel's round fails, so flush() reports it as before; the timers log it instead.
  const deliver = async () => {
    await Promise.all(loops.map((loop) => loop()));
  };
  const publish = coalesced(async () => {
    if (closing) return;
    const n = await publishPending(app);
    if (n > 0) void deliver().catch(log('alert delivery'));
  });
  const offline = coalesced(async () => {
    if (!closing && (await checkOffline(app))) void publish().catch(log('announcing'));
  });
  const kick = () => void publish().catch(log('announcing'));

  function judge(e: ChargerEvent & { chargerId: string }): void {
    const prev = perCharger.get(e.chargerId) ?? Promise.resolve();
    const next = prev
      .then(async () => {
        if (!closing && (await applyChargerEvent(app, e))) kick();
      })
      .catch(log(`judging ${e.type} of ${e.chargerId}`));
    perCharger.set(e.chargerId, next);
    void next.then(() => {
      if (perCharger.get(e.chargerId) === next) perCharger.delete(e.chargerId);
    });
  }

  const unsubscribe = app.events.subscribeOwn((e) => {
    if (e.type === 'offline' || e.type === 'connected' || e.type === 'disconnected') {
      void offline().catch(log('offline check'));
    } else if (e.type === 'status' || e.type === 'command' || e.type === 'firmware' || e.type === 'diagnostics') {
      judge(e);
    } else if (SESSION_EVENTS.has(e.type)) {
      kick();
    }
  });

  const poll = setInterval(() => {
    kick();
    void deliver().catch(log('alert delivery'));
  }, POLL_MS);
  poll.unref();
  const offlineTimer = setInterval(() => void offline().catch(log('offline check')), OFFLINE_CHECK_MS);
  offlineTimer.unref();

  async function flush(): Promise<void> {
    while (perCharger.size > 0) await Promise.all(perCharger.values());
    await offline();
    await publish();
    await deliver();
  }

  app.decorate('alerts', {
    kick,
    flush,
    async checkOffline() {
      await offline();
      await flush();
    },
  } satisfies AlertService);

  app.addHook('onClose', async () => {
    unsubscribe();
    clearInterval(poll);
    clearInterval(offlineTimer);
    closing = true;
    await Promise.allSettled([...perCharger.values(), offline(), publish(), deliver()]);
    email?.close();
  });
}

export default fp(alertsPlugin, { name: 'alerts' });
