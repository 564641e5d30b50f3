import type { FastifyInstance } from 'fastify';
import type { EnvelopeErrorCode } from '../../contracts/errors.ts';
import { AppError } from '../errors.ts';
import { setRetryAfter, toAppError } from '../plugins/error-handler.ts';

/**
 * The battery API's answer shape, exactly as seed 000 prints it:
 * `{"code": "1000", "msg": null, "data": …}` with `code` a string.
 */
export interface Envelope<T> {
  code: string;
  msg: string | null;
  data: T | null;
}

export const OK = '1000';

export function ok<T>(data: T | null = null): Envelope<T> {
  return { code: OK, msg: null, data };
}

/**
 * docs/PRODUCT.md §4 error codes. The HTTP status stays the AppError's own (so a too
 * large body is still 413 and a wrong content type 415, both with 1001).
 * A database outage or a request past its deadline is 1500 (the seed has no
 * "unavailable" code and its clients know only these five) with HTTP 503 and
 * Retry-After, so a client that reads the status can tell "try again" from a bug.
 */
export function envelopeCode(status: number): EnvelopeErrorCode {
  if (status === 401 || status === 403) return '1004';
  if (status === 404) return '1002';
  if (status === 409) return '1003';
  if (status >= 400 && status < 500) return '1001';
  return '1500';
}

/**
 * The one place where AppErrors become envelopes. Registered inside the
 * encapsulated /batteryInfo plugin, so it also catches the global auth hook's
 * 401/403, body-parser errors and unknown paths under the prefix.
 */
export function installEnvelopeBoundary(app: FastifyInstance): void {
  app.setErrorHandler((err: unknown, req, reply) => {
    const appErr = toAppError(err);
    if (appErr.code === 'INTERNAL') req.log.error({ err }, 'unhandled error');
    else if (appErr.status >= 500) req.log.warn({ err: appErr }, appErr.message);
    const body: Envelope<null> = { code: envelopeCode(appErr.status), msg: appErr.message, data: null };
    setRetryAfter(reply, appErr);
    return reply.status(appErr.status).send(body);
  });
  app.setNotFoundHandler((req, reply) => {
    const err = new AppError('NOT_FOUND', `No battery API ${req.method} ${req.url.split('?')[0]}`);
    const body: Envelope<null> = { code: '1002', msg: err.message, data: null };
    return reply.status(404).send(body);
  });
}
