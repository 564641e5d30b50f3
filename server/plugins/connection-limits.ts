import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { Counter, Gauge } from 'prom-client';

declare module 'fastify' {
  interface FastifyInstance {
    /** Requests and handshakes cut off for being too slow, by phase (`request`: headers or body; `handshake`). */
    timedOut: Counter<'phase'>;
  }
}

/**
 * The connection cap and the figures of slow clients. The timeouts
 * themselves are server options (`http-limits.ts`, applied in app.ts); here
 * the cap goes on the listening server and every cut-off is counted.
 */
async function connectionLimits(app: FastifyInstance) {
  const server = app.server;
  // Beyond it Node closes a new connection at accept: nothing is read from it (http.Server 'drop').
  server.maxConnections = app.config.limits.maxConnections;
  new Gauge({
    name: 'http_open_connections',
    help: 'Open TCP connections on the HTTP port, WebSockets included',
    registers: [app.metrics],
    async collect() {
      this.set(await new Promise<number>((resolve) => server.getConnections((err, n) => resolve(err ? 0 : n))));
    },
  });
  const dropped = new Counter({
    name: 'http_connections_dropped_total',
    help: 'Connections closed at accept because HTTP_MAX_CONNECTIONS were open',
    registers: [app.metrics],
  });
  const timedOut = new Counter({
    name: 'http_requests_timed_out_total',
    help: 'Requests closed for not arriving in time (request: headers or body; handshake: a WebSocket handshake not answered in time)',
    labelNames: ['phase'],
    registers: [app.metrics],
  });
  app.decorate('timedOut', timedOut);
  server.on('drop', () => dropped.inc());
  // Fastify's own clientError listener answers 408 and closes; this one only counts.
  server.on('clientError', (err: NodeJS.ErrnoException) => {
    if (err.code === 'ERR_HTTP_REQUEST_TIMEOUT') timedOut.inc({ phase: 'request' });
  });
}

export default fp(connectionLimits, { name: 'connection-limits', dependencies: ['metrics'] });
