import { performance } from 'node:perf_hooks';
import type { FastifyInstance } from 'fastify';
import type { CommandOutcome } from '../../db/repositories/commands.ts';
import { AppError } from '../errors.ts';
import { isRpcError } from '../ocpp/protocol.ts';
import { TimeoutError } from '../ocpp/rpc.ts';

/** Who the command log names for everything the load controller sends. */
export const LOAD_REQUESTER = 'system:load';

export type LoadAction = 'SetChargingProfile' | 'ClearChargingProfile' | 'GetConfiguration';

/**
 * accepted: the charger took it; refused: it answered otherwise, with a
 * CALLERROR, or not in time; unreachable: no process holds its socket.
 */
export type SendOutcome = 'accepted' | 'refused' | 'unreachable';

export interface SendResult {
  outcome: SendOutcome;
  response?: unknown;
  /** What went wrong, for the alarm: the status, the CALLERROR code, or "timeout". */
  why?: string;
}

function acceptedAnswer(action: LoadAction, response: unknown): { ok: boolean; why?: string } {
  if (action === 'GetConfiguration') return { ok: true };
  const status = (response as { status?: string } | undefined)?.status;
  // ClearChargingProfile §5.5: Unknown means none of that id was installed, which is what we want.
  const ok = action === 'SetChargingProfile' ? status === 'Accepted' : status === 'Accepted' || status === 'Unknown';
  return ok ? { ok } : { ok, why: status ?? 'no status' };
}

/**
 * Sends one load-management CALL to a charger wherever it is held
 * (`app.ocpp.connections.call` routes to the holding process when scaled
 * out, docs/PRODUCT.md §2) and audits it afterwards in command_log as
 * `system:load`, one insert per command, so the message log shows every
 * profile. Never throws: the outcome says how it went.
 */
export async function sendToCharger(
  app: FastifyInstance,
  chargerId: string,
  action: LoadAction,
  payload: unknown,
): Promise<SendResult> {
  const requestedAt = app.clock.now();
  const started = performance.now();
  let outcome: Exclude<CommandOutcome, 'pending'>;
  let response: unknown;
  let errorCode: string | null = null;
  let result: SendResult;
  try {
    response = await app.ocpp.connections.call(chargerId, action, payload, app.config.loadCommandTimeoutMs);
    outcome = 'answered';
    const judged = acceptedAnswer(action, response);
    result = judged.ok
      ? { outcome: 'accepted', response }
      : { outcome: 'refused', response, why: judged.why ?? 'refused' };
  } catch (err) {
    if (err instanceof AppError) {
      outcome = 'not_connected';
      result = { outcome: 'unreachable', why: 'not connected' };
    } else if (err instanceof TimeoutError) {
      outcome = 'timeout';
      result = { outcome: 'refused', why: 'timeout' };
    } else {
      outcome = 'error';
      errorCode = isRpcError(err) ? err.rpcErrorCode : 'ConnectionLost';
      response = { errorCode, errorDescription: (err as Error).message };
      result = { outcome: 'refused', why: errorCode };
    }
  }
  const durationMs = Math.round(performance.now() - started);
  const answeredAt = app.clock.now();
  try {
    const row = await app.repos.commands.record({
      chargerId,
      action,
      payload,
      requestedBy: LOAD_REQUESTER,
      requestedAt,
      outcome,
      response,
      errorCode,
      answeredAt,
      durationMs,
    });
    app.events.publish({
      type: 'command',
      chargerId,
      at: answeredAt.toISOString(),
      commandId: row.id,
      action,
      outcome,
    });
  } catch (err) {
    // The profile is on the charger either way; a lost audit row must not undo the controller's bookkeeping.
    app.log.warn({ err, chargerId, action }, 'load command not audited');
  }
  app.ocpp.metrics.calls.inc({ action, direction: 'out', outcome });
  return result;
}
