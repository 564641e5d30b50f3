import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { createMessageLogMetrics, type MessageLogMetrics } from './metrics.ts';
import { MessageRetention } from './retention.ts';
import { MessageLogWriter } from './writer.ts';

/** How often retention runs; the injected clock decides what is old. */
const PRUNE_INTERVAL_MS = 60_000;
/** At shutdown, how long the last frames may take to be written before they are given up. */
const FINAL_FLUSH_MS = 2_000;

/** What ocpp-rpc's client emits for every frame it reads or writes (lib/client.js `message`). */
interface FrameSource {
  on(event: 'message', listener: (e: { message: unknown; outbound: boolean }) => void): unknown;
}

export interface MessageLog {
  enabled: boolean;
  /** Logs every frame of this charger's socket from now on. */
  attach(peer: FrameSource, chargerId: string): void;
  /** Writes everything captured so far (tests, shutdown). */
  flush(): Promise<void>;
  /** One retention sweep now. */
  prune(): Promise<{ age: number; perCharger: number }>;
  metrics: MessageLogMetrics;
}

declare module 'fastify' {
  interface FastifyInstance {
    messageLog: MessageLog;
  }
}

/** The OCPP message log (docs/OPERATIONS.md "OCPP message log"): capture, batched writes, retention. */
async function messageLogPlugin(app: FastifyInstance) {
  const cfg = app.config.messageLog;
  const metrics = createMessageLogMetrics(app.metrics);
  const retention = new MessageRetention({
    repo: () => app.repos.ocppMessages,
    clock: app.clock,
    retentionDays: cfg.retentionDays,
    maxRowsPerCharger: cfg.maxRowsPerCharger,
    metrics,
  });
  const writer = new MessageLogWriter({
    // Looked up per flush, so a test can stall the repository.
    insert: (rows) => app.repos.ocppMessages.insertMany(rows),
    metrics,
    maxQueuedRows: cfg.queueMaxRows,
    maxQueuedChars: cfg.queueMaxChars,
    flushMs: cfg.flushMs,
    onWritten: (counts) => retention.noteWritten(counts),
    onError: (err, rows) => app.log.warn({ err, rows }, 'message log rows dropped: write failed'),
  });

  const attach = (peer: FrameSource, chargerId: string) => {
    if (!cfg.enabled) return;
    peer.on('message', (e) => {
      // ocpp-rpc sends strings; a Buffer would be a raw send of our own, not an OCPP frame.
      if (typeof e.message === 'string')
        writer.capture(chargerId, e.outbound ? 'out' : 'in', e.message, app.clock.now());
    });
  };

  const timer = setInterval(() => {
    retention.prune().catch((err) => app.log.warn({ err }, 'message log retention failed'));
  }, PRUNE_INTERVAL_MS).unref();

  app.decorate('messageLog', {
    enabled: cfg.enabled,
    attach,
    flush: () => writer.flush(),
    prune: () => retention.prune(),
    metrics,
  });
  // onClose runs after the OCPP sockets closed (preClose): their last frames are in the queue.
  app.addHook('onClose', async () => {
    clearInterval(timer);
    writer.stop();
    let timeout: NodeJS.Timeout | undefined;
    await Promise.race([
      writer.flush().catch(() => undefined),
      new Promise((resolve) => (timeout = setTimeout(resolve, FINAL_FLUSH_MS))),
    ]);
    clearTimeout(timeout);
  });
}

export default fp(messageLogPlugin, { name: 'message-log', dependencies: ['repos', 'metrics'] });
