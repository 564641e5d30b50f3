import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

export type UpgradeHandler = (req: IncomingMessage, socket: Duplex, head: Buffer) => void;

declare module 'fastify' {
  interface FastifyInstance {
    /** WebSocket endpoints by path prefix: OCPP at /ocpp/, live push at /api/live. */
    upgrades: { register(prefix: string, handler: UpgradeHandler): void };
  }
}

/**
 * One 'upgrade' listener on the HTTP server dispatches WebSocket handshakes by
 * path prefix, so the OCPP server (ocpp-rpc) and the dashboard's live push can
 * share the port without two libraries answering the same handshake.
 */
async function upgradesPlugin(app: FastifyInstance) {
  const handlers: { prefix: string; handler: UpgradeHandler }[] = [];
  app.decorate('upgrades', {
    register(prefix: string, handler: UpgradeHandler) {
      handlers.push({ prefix, handler });
    },
  });
  app.server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const path = (req.url ?? '/').split('?')[0]!;
    const match = handlers.find((h) => path.startsWith(h.prefix));
    if (!match) {
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    try {
      match.handler(req, socket, head);
    } catch (err) {
      app.log.error({ err, path }, 'websocket upgrade failed');
      socket.destroy();
    }
  });
}

export default fp(upgradesPlugin, { name: 'upgrades' });
