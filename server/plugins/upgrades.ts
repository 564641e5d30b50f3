import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { Counter, Gauge } from 'prom-client';
import { handshakeFault, refuseUpgrade } from './websocket-handshake.ts';

/**
 * Takes over a checked handshake. It answers it itself (accepts or refuses);
 * a returned promise settles once it has, and until then the handshake
 * counts as pending. A throw or a rejection is answered 400 here.
 */
export type UpgradeHandler = (req: IncomingMessage, socket: Duplex, head: Buffer) => void | Promise<unknown>;

export interface UpgradeOptions {
  /** Handshakes of this endpoint in progress at once in this process; beyond it 503 with Retry-After. */
  maxPending?: number;
}

/** Why a handshake was refused: a bounded set, so the metric's labels stay few. */
export type RefusalReason =
  | 'unknown_path'
  | 'invalid'
  | 'address_busy'
  | 'server_busy'
  | 'timeout'
  | 'failed'
  | 'unauthorized'
  | 'forbidden'
  | 'locked'
  | 'unavailable'
  | 'client_gone';

declare module 'fastify' {
  interface FastifyInstance {
    /** WebSocket endpoints by path prefix: OCPP at /ocpp/, live push at /api/live. */
    upgrades: {
      register(prefix: string, handler: UpgradeHandler, options?: UpgradeOptions): void;
      /** Counts a refusal an endpoint decided itself (a bad charger id, failed credentials). */
      refused(prefix: string, reason: RefusalReason): void;
    };
  }
}

/** Seconds a client refused for load is told to wait (RFC 9110 §10.2.3). */
const RETRY_AFTER_ADDRESS_S = 2;
const RETRY_AFTER_BUSY_S = 10;

interface Endpoint {
  prefix: string;
  handler: UpgradeHandler;
  maxPending: number;
  pending: number;
}

const isThenable = (v: unknown): v is PromiseLike<unknown> =>
  typeof (v as PromiseLike<unknown> | undefined)?.then === 'function';

/**
 * One 'upgrade' listener on the HTTP server dispatches WebSocket handshakes by
 * path prefix, so the OCPP server (ocpp-rpc) and the dashboard's live push can
 * share the port without two libraries answering the same handshake. It is
 * also the one place where every handshake is bounded: malformed ones are
 * refused before an endpoint runs, handshakes in progress are capped per
 * remote address and per endpoint, each must be answered within
 * WS_HANDSHAKE_TIMEOUT_MS, and no failure of an endpoint (a throw, a
 * rejected promise) escapes to crash the process.
 */
async function upgradesPlugin(app: FastifyInstance) {
  const limits = app.config.limits;
  const endpoints: Endpoint[] = [];
  const pendingByAddress = new Map<string, number>();
  const pendingGauge = new Gauge({
    name: 'websocket_handshakes_pending',
    help: 'WebSocket handshakes received and not yet accepted or refused, by endpoint',
    labelNames: ['endpoint'],
    registers: [app.metrics],
  });
  const refusedCounter = new Counter({
    name: 'websocket_handshakes_refused_total',
    help: 'WebSocket handshakes refused, by endpoint and reason',
    labelNames: ['endpoint', 'reason'],
    registers: [app.metrics],
  });
  const refused = (endpoint: string, reason: RefusalReason) => refusedCounter.inc({ endpoint, reason });

  app.decorate('upgrades', {
    register(prefix: string, handler: UpgradeHandler, options: UpgradeOptions = {}) {
      endpoints.push({ prefix, handler, maxPending: options.maxPending ?? Infinity, pending: 0 });
      pendingGauge.set({ endpoint: prefix }, 0);
    },
    refused,
  });

  app.server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    // Node stops listening for errors on an upgraded socket: an unheard ECONNRESET would be an uncaught exception.
    socket.on('error', () => socket.destroy());
    const path = (req.url ?? '/').split('?')[0]!;
    const endpoint = endpoints.find((e) => path.startsWith(e.prefix));
    if (!endpoint) {
      refused('none', 'unknown_path');
      return refuseUpgrade(socket, 404);
    }
    const fault = handshakeFault(req);
    if (fault) {
      refused(endpoint.prefix, 'invalid');
      return refuseUpgrade(socket, fault.status, fault.message, fault.headers);
    }
    const address = req.socket.remoteAddress ?? 'unknown';
    const fromAddress = pendingByAddress.get(address) ?? 0;
    if (fromAddress >= limits.maxPendingHandshakesPerAddress) {
      refused(endpoint.prefix, 'address_busy');
      return refuseUpgrade(socket, 429, 'Too many handshakes in progress from this address', {
        'Retry-After': String(RETRY_AFTER_ADDRESS_S),
      });
    }
    if (endpoint.pending >= endpoint.maxPending) {
      refused(endpoint.prefix, 'server_busy');
      return refuseUpgrade(socket, 503, 'Too many handshakes in progress', {
        'Retry-After': String(RETRY_AFTER_BUSY_S),
      });
    }

    pendingByAddress.set(address, fromAddress + 1);
    endpoint.pending++;
    pendingGauge.inc({ endpoint: endpoint.prefix });
    // The slot is held until the endpoint has finished its work (a scrypt may outlive a client
    // that hung up), so closing sockets early cannot pile up work beyond the caps.
    let settled = false;
    const settle = () => {
      if (settled) return;
      settled = true;
      clearTimeout(deadline);
      const left = (pendingByAddress.get(address) ?? 1) - 1;
      if (left > 0) pendingByAddress.set(address, left);
      else pendingByAddress.delete(address);
      endpoint.pending--;
      pendingGauge.dec({ endpoint: endpoint.prefix });
    };
    const deadline = setTimeout(() => {
      if (socket.destroyed) return;
      app.timedOut.inc({ phase: 'handshake' });
      refused(endpoint.prefix, 'timeout');
      refuseUpgrade(socket, 503, 'Handshake not answered in time', { 'Retry-After': String(RETRY_AFTER_BUSY_S) });
    }, limits.handshakeTimeoutMs);
    deadline.unref();
    const fail = (err: unknown) => {
      app.log.warn({ err, path: path.slice(0, 200) }, 'websocket upgrade failed');
      refused(endpoint.prefix, 'failed');
      refuseUpgrade(socket, 400, 'Bad WebSocket handshake');
      settle();
    };
    try {
      const result = endpoint.handler(req, socket, head);
      if (isThenable(result)) result.then(settle, fail);
      else settle();
    } catch (err) {
      fail(err);
    }
  });
}

export default fp(upgradesPlugin, { name: 'upgrades', dependencies: ['metrics', 'connection-limits'] });
