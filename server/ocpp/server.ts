import type { Socket } from 'node:net';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { RPCServer } from './rpc.ts';
import { createAdmission, type Handshake, type OcppSession } from './admission.ts';
import { OcppConnection, type RpcPeer } from './connection.ts';
import { LocalConnectionRegistry, RoutedConnectionRegistry } from './connections.ts';
import { attachHandlers } from './dispatch.ts';
import { chargerHandlers } from './handlers/index.ts';
import { createLiveWrites, type LiveWrites } from './live-writes.ts';
import { createMeterWrites, type MeterWrites } from './meter-writes.ts';
import { SeenBuffer, type SkewEntry } from './seen-buffer.ts';
import { createOcppMetrics, type OcppMetrics } from './metrics.ts';
import type { RedisCommandRouter } from './redis-router.ts';
import { sweepOffline } from './offline.ts';
import { SecretVerifier } from './secret-verifier.ts';
import { upgradeTarget } from './upgrade-target.ts';
import { offeredProtocols, refuseUpgrade } from '../plugins/websocket-handshake.ts';
import type { RefusalReason } from '../plugins/upgrades.ts';

/** ocpp-rpc's reason for an aborted handshake (admission's reject code, or the client hanging up) as a metric label. */
function abortReason(error: { code?: unknown; message?: unknown } | undefined): RefusalReason {
  if (typeof error?.message === 'string' && error.message.startsWith('Client connection closed')) return 'client_gone';
  switch (error?.code) {
    case 400:
      return 'invalid';
    case 401:
      return 'unauthorized';
    case 403:
      return 'forbidden';
    case 429:
      return 'locked';
    case 503:
      return 'unavailable';
    default:
      return 'failed';
  }
}

/** Frames above this cannot be read; ws closes the socket with 1009 (dispatch.ts has the soft limit). */
const HARD_MAX_FRAME_BYTES = 1024 * 1024;
/** Consecutive unparsable frames tolerated before a flooding peer is cut off (close 1002). */
const MAX_BAD_MESSAGES = 10;
const OCPP_PREFIX = '/ocpp/';
/** How often the in-memory heartbeats are written (seen-buffer.ts): the most a crash loses of last-seen times. */
const SEEN_FLUSH_MS = 2_000;

export interface OcppService {
  connections: LocalConnectionRegistry<OcppConnection>;
  /** Several processes share the chargers (REDIS_URL): a charger may be held by another one. */
  scaledOut: boolean;
  metrics: OcppMetrics;
  secrets: SecretVerifier;
  /** Group-committed charger writes and handshake look-ups (live-writes.ts). */
  live: LiveWrites;
  /** Group-committed MeterValues (meter-writes.ts); replaceable by a test that needs a chosen batch. */
  meters: MeterWrites;
  /** Heartbeats and last-seen times in memory, flushed every few seconds (seen-buffer.ts). */
  seen: SeenBuffer;
  /** Clock-skew figures in memory, flushed with them (seen-buffer.ts, clock-skew.ts). */
  skews: SeenBuffer<SkewEntry>;
  /** One offline sweep now; returns the chargers it marked offline. */
  checkOffline(): Promise<string[]>;
}

declare module 'fastify' {
  interface FastifyInstance {
    ocpp: OcppService;
  }
}

/**
 * The OCPP 1.6J central system at ws://HOST:PORT/ocpp/<chargePointId>
 * (docs/PRODUCT.md §2, §5), on ocpp-rpc in strict mode: every frame in both directions
 * is checked against the official 1.6 schemas.
 */
async function ocppPlugin(app: FastifyInstance, opts: { router?: RedisCommandRouter | undefined }) {
  const metrics = createOcppMetrics(app.metrics);
  const router = opts.router as RedisCommandRouter<OcppConnection> | undefined;
  const connections = router
    ? new RoutedConnectionRegistry<OcppConnection>(router, (err) =>
        app.log.warn({ err }, 'charger ownership not recorded in Redis'),
      )
    : new LocalConnectionRegistry<OcppConnection>();
  router?.attach(connections);
  const secrets = new SecretVerifier(app.repos.chargers, app.log, metrics.secretChecks);
  const live = createLiveWrites(app, metrics);
  const meters = createMeterWrites(app, metrics);
  const seen = new SeenBuffer(
    (entries, skipLocked) => app.repos.chargerLive.seenMany(entries, skipLocked),
    (err) => app.log.warn({ err }, 'last-seen times not written; kept for the next flush'),
  );
  seen.start(SEEN_FLUSH_MS);
  const skews = new SeenBuffer<SkewEntry>(
    (entries, skipLocked) => app.repos.chargers.recordClockSkews(entries, skipLocked),
    (err) => app.log.warn({ err }, 'clock skews not written; kept for the next flush'),
  );
  skews.start(SEEN_FLUSH_MS);
  /** Disconnect writes under way (a stopping server waits for them). */
  const closing = new Set<Promise<unknown>>();
  // Every close of a session (the charger's, the system's, an operator's, in any process
  // when the bus is Redis) publishes transaction.stopped: the holder reads open sessions again.
  const unsubscribe = app.events.subscribe((e) => {
    if (e.type === 'transaction.stopped') connections.get(e.chargerId)?.sessions.stopped();
  });
  const rpc = new RPCServer({
    protocols: ['ocpp1.6'],
    strictMode: true,
    callConcurrency: 1,
    callTimeoutMs: app.config.ocppCommandTimeoutMs,
    // ocpp-rpc terminates a peer whose pong has not come by the next ping (dead TCP connections).
    pingIntervalMs: app.config.ocppPingIntervalMs,
    maxBadMessages: MAX_BAD_MESSAGES,
    wssOptions: { maxPayload: HARD_MAX_FRAME_BYTES },
  });
  const admit = createAdmission(app, secrets, live.admissionRow);
  // Returned, not dropped: ocpp-rpc's handleUpgrade awaits it, so its promise settles when
  // admission has decided, which is when plugins/upgrades.ts frees the handshake's slot.
  rpc.auth((accept, reject, handshake) => admit(accept as never, reject, handshake as unknown as Handshake));
  rpc.on('error', (err: Error) => app.log.error({ err }, 'ocpp server error'));
  rpc.on('upgradeAborted', (e: { error?: { code?: unknown; message?: unknown } }) =>
    app.upgrades.refused(OCPP_PREFIX, abortReason(e.error)),
  );
  rpc.on('client', (client: unknown) => onClient(client as RpcPeer & { session: OcppSession }));

  function onClient(peer: RpcPeer & { session: OcppSession }) {
    // First: every frame of the socket, the BootNotification included (message-log/).
    app.messageLog.attach(peer, peer.identity);
    const at = app.clock.now();
    const conn = new OcppConnection(peer, peer.session.registration, at, app.clock);
    const id = conn.chargerId;
    attachHandlers(app, conn, chargerHandlers, metrics);
    peer.on('badMessage', () => metrics.badFrames.inc());
    peer.on('strictValidationFailure', (e: { method: string; outbound: boolean; isCall: boolean; error: Error }) => {
      // An outbound answer failing the schema is our bug; inbound failures are the charger's and were answered.
      const level = e.outbound && !e.isCall ? 'error' : 'debug';
      app.log[level](
        { chargerId: id, method: e.method, outbound: e.outbound, err: e.error },
        'ocpp schema check failed',
      );
    });
    const replaced = connections.add(conn);
    // Published once the database says so, as the disconnect below is: a subscriber that reads the
    // charger's row on this event (the load model, the offline alert, the seed read cache) must
    // see it online. One hop after the batch settles, so it precedes the event of a
    // BootNotification written in the same batch (db/batcher.ts resolves in submission order).
    const announce = () => app.events.publish({ type: 'connected', chargerId: id, at: at.toISOString() });
    const online = live.connected(id, at).then(announce, (err: unknown) => {
      app.log.warn({ err, chargerId: id }, 'could not mark online');
      announce();
    });
    metrics.connected.set(connections.size);
    if (replaced) void replaced.close(1000, 'Replaced by a new connection').catch(() => undefined);
    peer.once('close', () => {
      // A replaced connection closing must not mark the charger offline: its successor is live.
      if (!connections.remove(conn)) return;
      metrics.connected.set(connections.size);
      const gone = app.clock.now().toISOString();
      // Publish once the database says so, so a subscriber that reads it sees
      // the same; skip the write if the charger has already reconnected.
      // Last-seen times in memory (its own among them) land before the disconnect, so a
      // flush can never set it online again after it (seen-buffer.ts).
      // After the connect was announced, so no subscriber hears of it after the disconnect.
      const write = online.then(() =>
        connections.isConnected(id)
          ? undefined
          : Promise.all([seen.flush(), skews.flush()])
              .catch(() => undefined)
              .then(() => {
                seen.take(id);
                return live.disconnected(id, app.clock.now());
              }),
      );
      const done = write
        .catch((err) => app.log.warn({ err, chargerId: id }, 'could not mark offline'))
        .finally(() => {
          closing.delete(done);
          app.events.publish({ type: 'disconnected', chargerId: id, at: gone });
          app.events.publish({ type: 'offline', chargerId: id, at: gone });
        });
      closing.add(done);
    });
  }

  app.upgrades.register(
    OCPP_PREFIX,
    (req, socket, head) => {
      const target = upgradeTarget(req.url);
      if ('fault' in target) {
        app.upgrades.refused(OCPP_PREFIX, 'invalid');
        return refuseUpgrade(socket, 400, target.fault);
      }
      // OCPP-J 1.6 §3.1.2: the handshake must offer ocpp1.6; refused before any database or scrypt work.
      if (!offeredProtocols(req).has('ocpp1.6')) {
        app.upgrades.refused(OCPP_PREFIX, 'invalid');
        return refuseUpgrade(socket, 400, 'Subprotocol ocpp1.6 required');
      }
      return rpc.handleUpgrade(req, socket as Socket, head);
    },
    { maxPending: app.config.limits.maxPendingOcppHandshakes },
  );

  const checkOffline = async () => {
    // What is in memory is written first, so the sweep judges the latest messages.
    await seen.flush();
    return sweepOffline(app, connections);
  };
  const sweepMs = app.config.ocppOfflineSweepMs;
  const timer = sweepMs
    ? setInterval(() => {
        checkOffline().catch((err) => app.log.warn({ err }, 'offline sweep failed'));
      }, sweepMs)
    : undefined;
  timer?.unref();

  app.decorate('ocpp', {
    connections,
    scaledOut: router !== undefined,
    metrics,
    secrets,
    live,
    meters,
    seen,
    skews,
    checkOffline,
  });
  // preClose: chargers' sockets must go before the HTTP server waits for its connections.
  app.addHook('preClose', async () => {
    clearInterval(timer);
    seen.stop();
    skews.stop();
    unsubscribe();
    await rpc.close({ code: 1001, reason: 'Server shutting down' });
    // The closed sockets' offline writes are batched: let them land before the database closes.
    await Promise.all([
      ...closing,
      app.ocpp.meters.settled(),
      seen.flush().catch(() => undefined),
      skews.flush().catch(() => undefined),
    ]);
    await live.settled();
  });
  if (router) app.addHook('onClose', async () => router.close());
}

export default fp(ocppPlugin, { name: 'ocpp', dependencies: ['repos', 'metrics', 'upgrades', 'message-log'] });
