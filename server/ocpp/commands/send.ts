import { performance } from 'node:perf_hooks';
import type { FastifyInstance } from 'fastify';
import { TimeoutError } from '../rpc.ts';
import type { CommandResult } from '../../../contracts/commands.ts';
import type { CommandRow } from '../../../db/repositories/commands.ts';
import { AppError, validationError } from '../../errors.ts';
import { redactPayload } from '../message-log/redact.ts';
import { checkRequest, isCommandAction, isRpcError } from '../protocol.ts';
import { beginTransitional, settleTransitional } from './transitional.ts';

/**
 * Sends one Central System → Charge Point command (OCPP 1.6 §5) for a REST
 * caller and audits it in command_log: who, when, payload, answer, outcome,
 * duration. The payload is checked against the official schema first; the
 * charger's CALLERROR, silence and absence become 502, 504 and 409. The audit
 * keeps no secret (an AuthorizationKey set by ChangeConfiguration): payload and
 * answer are stored redacted as the message log stores them (message-log/redact.ts).
 */
export async function sendCommand(
  app: FastifyInstance,
  input: { chargerId: string; action: string; payload: unknown; who: string },
): Promise<CommandResult> {
  const { chargerId, action, payload, who } = input;
  if (!isCommandAction(action)) throw new AppError('NOT_FOUND', `${action} is not an OCPP 1.6 command`);
  const problem = checkRequest(action, payload);
  if (problem)
    throw validationError(problem.fields, `The ${action} payload breaks the OCPP 1.6 schema (${problem.message})`);
  if (!(await app.repos.chargers.get(chargerId))) throw new AppError('NOT_FOUND', `No charger ${chargerId}`);

  const requestedAt = app.clock.now();
  const log = await app.repos.commands.begin({
    chargerId,
    action,
    payload: redactPayload(action, payload),
    requestedBy: who,
    requestedAt,
  });
  if (!(await app.ocpp.connections.isReachable(chargerId))) {
    await finish(app, log, { outcome: 'not_connected' }, 0);
    throw new AppError('CHARGER_NOT_CONNECTED', `Charger ${chargerId} is not connected`);
  }

  await beginTransitional(app, chargerId, action);
  const started = performance.now();
  try {
    const response = await app.ocpp.connections.call(chargerId, action, payload, app.config.ocppCommandTimeoutMs);
    const durationMs = Math.round(performance.now() - started);
    await finish(app, log, { outcome: 'answered', response: redactPayload(action, response) }, durationMs);
    await settleTransitional(app, chargerId, action, response);
    return { commandId: log.id, chargerId, action, response, durationMs };
  } catch (err) {
    const durationMs = Math.round(performance.now() - started);
    await settleTransitional(app, chargerId, action, undefined).catch((e) =>
      app.log.warn({ err: e }, 'transitional state not settled'),
    );
    if (err instanceof AppError) {
      await finish(app, log, { outcome: 'not_connected' }, durationMs);
      throw err;
    }
    if (err instanceof TimeoutError) {
      await finish(app, log, { outcome: 'timeout' }, durationMs);
      throw new AppError(
        'CHARGER_TIMEOUT',
        `${chargerId} did not answer ${action} within ${app.config.ocppCommandTimeoutMs} ms`,
      );
    }
    const code = isRpcError(err) ? err.rpcErrorCode : 'ConnectionLost';
    const description = (err as Error).message;
    await finish(
      app,
      log,
      { outcome: 'error', errorCode: code, response: { errorCode: code, errorDescription: description } },
      durationMs,
    );
    throw new AppError('CHARGER_ERROR', `${chargerId} answered ${action} with ${code}`, undefined, {
      errorCode: code,
      errorDescription: description,
    });
  }
}

async function finish(
  app: FastifyInstance,
  log: CommandRow,
  result: { outcome: 'answered' | 'error' | 'timeout' | 'not_connected'; response?: unknown; errorCode?: string },
  durationMs: number,
): Promise<void> {
  await app.repos.commands.finish(log.id, { ...result, answeredAt: app.clock.now(), durationMs });
  app.ocpp.metrics.calls.inc({ action: log.action, direction: 'out', outcome: result.outcome });
  app.events.publish({
    type: 'command',
    chargerId: log.chargerId,
    at: app.clock.now().toISOString(),
    commandId: log.id,
    action: log.action,
    outcome: result.outcome,
    ...(result.errorCode ? { errorCode: result.errorCode } : {}),
  });
}
