import { performance } from 'node:perf_hooks';
import type { FastifyInstance } from 'fastify';
import type { OcppConnection } from './connection.ts';
import type { OcppHandler } from './context.ts';
import { withinDeadline } from './deadline.ts';
import type { OcppMetrics } from './metrics.ts';
import { permanentDbFailure } from './db-failure.ts';
import { COMMAND_ACTIONS, isRpcError, rpcError } from './protocol.ts';

/**
 * A frame above this is answered FormationViolation and dropped, the
 * connection kept. Real MeterValues or DataTransfer frames are a few KiB.
 * Frames above the WebSocket hard cap (server.ts) cannot be read at all.
 */
export const SOFT_MAX_FRAME_CHARS = 64 * 1024;

/**
 * OCPP 1.6 §4.2: a Pending charge point may only (re)boot and keep the link
 * alive, and send what the Central System asked for (TriggerMessage, §5.17;
 * `OcppConnection.triggered`).
 */
const ALLOWED_WHILE_PENDING = new Set(['BootNotification', 'Heartbeat']);

/**
 * Wires every charger action into ocpp-rpc for one connection. ocpp-rpc has
 * already checked the frame against the official schema (strict mode) before
 * a handler runs. Here: size, registration gate, one-at-a-time order, and
 * the rule that a failed database write is a CALLERROR InternalError, never a
 * CALLRESULT, so the charger keeps the message and sends it again (docs/PRODUCT.md §5),
 * unless its SQLSTATE says no resend can fix it (db-failure.ts): then a
 * permanent CALLERROR, so the charger's queue moves on. A handler past its
 * deadline (deadline.ts) is answered InternalError too, and frees the queue.
 */
export function attachHandlers(
  app: FastifyInstance,
  conn: OcppConnection,
  handlers: Record<string, OcppHandler<never>>,
  metrics: OcppMetrics,
): void {
  for (const [action, handler] of Object.entries(handlers)) {
    conn.peer.handle(action, ({ params }) => {
      const size = conn.lastInboundChars;
      // Judged on arrival: a trigger's deadline is about when the charger sent the message, not when its turn comes.
      const triggered = conn.triggered(action, params);
      return conn.serial(
        withinDeadline(app, action, metrics, conn.chargerId, async () => {
          const started = performance.now();
          try {
            if (size > SOFT_MAX_FRAME_CHARS)
              throw rpcError('FormationViolation', `Frame of ${size} characters exceeds ${SOFT_MAX_FRAME_CHARS}`);
            if (
              conn.registration !== 'Accepted' &&
              !ALLOWED_WHILE_PENDING.has(action) &&
              !(triggered && conn.registration === 'Pending')
            ) {
              throw rpcError(
                'SecurityError',
                `Charge point is ${conn.registration}; only BootNotification, Heartbeat and triggered messages are accepted`,
              );
            }
            const result = await handler(
              { app, conn, chargerId: conn.chargerId, now: app.clock.now() },
              params as never,
            );
            if (conn.silent) {
              conn.silent = false;
              app.events.publish({ type: 'connected', chargerId: conn.chargerId, at: app.clock.now().toISOString() });
            }
            metrics.calls.inc({ action, direction: 'in', outcome: 'ok' });
            return result;
          } catch (err) {
            if (isRpcError(err)) {
              metrics.calls.inc({ action, direction: 'in', outcome: 'rejected' });
              throw err;
            }
            const permanent = permanentDbFailure(err);
            if (permanent) {
              metrics.calls.inc({ action, direction: 'in', outcome: 'rejected' });
              app.log.warn({ err, chargerId: conn.chargerId, action }, 'ocpp frame not storable; refused for good');
              throw permanent;
            }
            metrics.calls.inc({ action, direction: 'in', outcome: 'error' });
            app.log.error({ err, chargerId: conn.chargerId, action }, 'ocpp handler failed; not acknowledged');
            throw rpcError('InternalError', 'Not stored; send it again');
          } finally {
            metrics.handlerSeconds.observe({ action }, (performance.now() - started) / 1000);
          }
        }),
      );
    });
  }
  // Actions a Central System sends: a charge point sending one is understood but not supported (OCPP-J §4.2.3).
  for (const action of COMMAND_ACTIONS) {
    if (handlers[action]) continue;
    conn.peer.handle(action, () => {
      metrics.calls.inc({ action, direction: 'in', outcome: 'rejected' });
      throw rpcError('NotSupported', `${action} is sent by the Central System, not by a Charge Point`);
    });
  }
}
