import type { FastifyInstance } from 'fastify';
import { withDeadline } from '../stuck-work.ts';
import type { OcppMetrics } from './metrics.ts';
import { rpcError } from './protocol.ts';

/**
 * The deadline of one inbound CALL (OCPP_HANDLER_TIMEOUT_MS). Handlers run
 * one at a time per charger (connection.ts `serial`), so a handler waiting on
 * a frozen database connection would hold every later message of that
 * charger for good. Past the deadline the charger gets CALLERROR
 * InternalError and its queue moves on.
 *
 * InternalError, not a CALLRESULT: the charger keeps a transaction message it
 * got no confirmation for and sends it again (OCPP 1.6, "Error responses to
 * transaction-related messages"), and a retry cures it once the database
 * answers.
 *
 * The stuck handler is not cancelled (a query on the wire cannot be taken
 * back) and may still finish. What then:
 * - It is never acknowledged: ocpp-rpc answered this message id with the
 *   CALLERROR and sends one answer per id; its late result is dropped here.
 * - Whatever it wrote stands, or is rolled back if its connection died
 *   (db/guarded-pool.ts destroys a connection whose query got no answer; the
 *   server then aborts its open transaction).
 * - The resend may run while it is still pending, since the queue has moved
 *   on. The repositories make that safe, not the order: StartTransaction
 *   locks the charger row and dedups on its unique (charger, connector, tag,
 *   meterStart, timestamp); MeterValues dedup on their unique key;
 *   StopTransaction locks the transaction row and ignores a second stop. The
 *   second write therefore waits for the first to commit or roll back and
 *   then either finds it (same transactionId back, nothing counted twice) or
 *   stores it once itself.
 * - Its events (say transaction.started) are published if its write
 *   committed: the data is there; a deduplicated resend publishes none.
 */
export function withinDeadline<T>(
  app: FastifyInstance,
  action: string,
  metrics: OcppMetrics,
  chargerId: string,
  work: () => Promise<T>,
): () => Promise<T> {
  const ms = app.config.ocppHandlerTimeoutMs;
  return () =>
    withDeadline(
      app.stuck,
      'ocpp',
      ms,
      work,
      () => {
        metrics.calls.inc({ action, direction: 'in', outcome: 'timeout' });
        app.log.error(
          { chargerId, action, timeoutMs: ms },
          'ocpp handler past its deadline; answered InternalError, not acknowledged',
        );
        return rpcError('InternalError', `Not stored within ${ms} ms; send it again`);
      },
      (outcome) =>
        app.log.warn(
          { chargerId, action, stored: outcome.ok },
          'ocpp handler finished after its deadline; result dropped',
        ),
    );
}
