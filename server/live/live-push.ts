import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { TLSSocket } from 'node:tls';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { WebSocketServer, type WebSocket } from 'ws';
import type { ChargerEvent } from '../../contracts/events.ts';
import { checkSameOrigin } from '../auth/same-origin.ts';
import { SESSION_COOKIE, isBearer, roleAllows } from '../plugins/auth.ts';

export const LIVE_PATH = '/api/live';

function refuse(socket: Duplex, status: number, reason: string, text = reason): void {
  socket.end(
    `HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Type: text/plain\r\nContent-Length: ${Buffer.byteLength(text)}\r\n\r\n${text}`,
  );
}

interface Client {
  ws: WebSocket;
  /** Pings sent since the last pong. */
  missed: number;
}

/** `?scope=site`: only the events that name no charger. */
const SITE_ONLY = Symbol('site-only');

/** A peer is dead after this many unanswered pings (one late pong on a busy host is forgiven). */
const MAX_MISSED_PINGS = 2;

/**
 * Live push for the dashboard (docs/PRODUCT.md §2 "within 1 s of arrival"): a WebSocket
 * at /api/live[?charger_id=ID | ?scope=site] that forwards every charger event of the bus
 * (one charger's and the site-wide ones; the site-wide ones alone) as one JSON text message. Viewers and above only, checked on the handshake.
 * A client that cannot keep up is dropped instead of buffering without bound,
 * and pings find dead peers.
 */
async function livePush(app: FastifyInstance) {
  const { livePingMs, liveMaxBufferBytes } = app.config;
  const wss = new WebSocketServer({ noServer: true, maxPayload: 4096 });
  const clients = new Set<Client>();

  async function handshake(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname !== LIVE_PATH && url.pathname !== `${LIVE_PATH}/`) return refuse(socket, 404, 'Not Found');
    // Browsers send Origin on every WebSocket handshake (RFC 6455 §4.1) and the
    // cookie with it, whatever page opened it: without this check a page of
    // another origin of the same site could read the live stream.
    const cookies = req.headers.cookie ? app.parseCookie(req.headers.cookie) : {};
    if (!isBearer(req.headers.authorization) && cookies[SESSION_COOKIE] !== undefined) {
      const scheme = (req.socket as TLSSocket).encrypted ? 'https' : 'http';
      if (!checkSameOrigin(req.headers, scheme, app.allowedOrigins).ok) return refuse(socket, 403, 'Forbidden');
    }
    const principal = await app.identify({ authorization: req.headers.authorization, cookie: req.headers.cookie });
    if (!principal) return refuse(socket, 401, 'Unauthorized');
    if (!roleAllows(principal.role, 'viewer')) return refuse(socket, 403, 'Forbidden');
    const chargerId = url.searchParams.get('charger_id') ?? undefined;
    const scope = url.searchParams.get('scope') ?? undefined;
    if (scope !== undefined && (scope !== 'site' || chargerId !== undefined))
      return refuse(socket, 400, 'Bad Request', 'scope: only "site", and not together with charger_id');
    if (chargerId !== undefined && !(await app.repos.seedQueries.chargerExists(chargerId)))
      return refuse(socket, 404, 'Not Found');
    if (socket.destroyed) return;
    wss.handleUpgrade(req, socket, head, (ws) => attach(ws, scope === 'site' ? SITE_ONLY : chargerId));
  }

  function attach(ws: WebSocket, only: string | typeof SITE_ONLY | undefined): void {
    const client: Client = { ws, missed: 0 };
    clients.add(client);
    const chargerId = only === SITE_ONLY ? undefined : only;
    const unsubscribe = app.events.subscribe((event: ChargerEvent) => {
      // Site-wide events (settings, circuits, alerts, the load allocation) reach every client;
      // `?scope=site` gets those alone (the dashboard's top bar on a page without a feed of its own).
      if (only !== undefined && 'chargerId' in event && event.chargerId !== only) return;
      if (ws.readyState !== ws.OPEN) return;
      if (ws.bufferedAmount > liveMaxBufferBytes) {
        // Too slow: its backlog would grow without bound. It may reconnect and reload.
        app.log.warn({ chargerId, buffered: ws.bufferedAmount }, 'live client too slow, dropped');
        ws.terminate();
        return;
      }
      ws.send(JSON.stringify(event));
    });
    ws.on('pong', () => {
      client.missed = 0;
    });
    ws.on('message', () => {
      /* the stream is one-way; client messages are ignored */
    });
    ws.on('error', () => ws.terminate());
    ws.on('close', () => {
      unsubscribe();
      clients.delete(client);
    });
  }

  const pinger = setInterval(() => {
    for (const c of clients) {
      if (c.missed >= MAX_MISSED_PINGS) {
        c.ws.terminate();
        continue;
      }
      c.missed += 1;
      c.ws.ping();
    }
  }, livePingMs);
  pinger.unref();

  app.upgrades.register(LIVE_PATH, (req, socket, head) => {
    return handshake(req, socket, head).catch((err: unknown) => {
      app.log.error({ err }, 'live handshake failed');
      refuse(socket, 500, 'Internal Server Error');
    });
  });

  app.addHook('onClose', async () => {
    clearInterval(pinger);
    for (const c of clients) c.ws.close(1001, 'server shutting down');
    await new Promise<void>((resolve) => wss.close(() => resolve()));
  });
}

export default fp(livePush, { name: 'live-push', dependencies: ['upgrades', 'auth', 'csrf', 'repos'] });
