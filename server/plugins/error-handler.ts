import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { AppError, ERRORS, isAppError } from '../errors.ts';

/** The REST body of every error: Fastify's own shape, plus `fields` for per-field messages. */
export interface ErrorBody {
  statusCode: number;
  code: string;
  error: string;
  message: string;
  fields?: Record<string, string>;
  details?: unknown;
}

const STATUS_TEXT: Record<number, string> = {
  400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 409: 'Conflict',
  413: 'Payload Too Large', 415: 'Unsupported Media Type', 429: 'Too Many Requests',
  500: 'Internal Server Error', 502: 'Bad Gateway', 503: 'Service Unavailable', 504: 'Gateway Timeout',
};

/**
 * Turns anything thrown into an AppError: our own pass through; Fastify's
 * schema, parser and size errors keep their status with our codes.
 * Anything else is an internal error whose detail stays in the log.
 */
export function toAppError(err: unknown): AppError {
  if (isAppError(err)) return err;
  const e = err as FastifyError;
  if (e && Array.isArray(e.validation)) {
    const fields: Record<string, string> = {};
    for (const v of e.validation) {
      const missing = (v.params as { missingProperty?: string })?.missingProperty;
      const extra = (v.params as { additionalProperty?: string })?.additionalProperty;
      const path = (v.instancePath || '').replace(/^\//, '').replace(/\//g, '.');
      const name = missing ?? extra ?? (path || e.validationContext || 'body');
      fields[name] = missing ? 'is required' : extra ? 'is not an accepted field' : (v.message ?? 'is invalid');
    }
    return new AppError('VALIDATION_FAILED', `Invalid ${e.validationContext ?? 'request'}: ${Object.keys(fields).join(', ')}`, fields);
  }
  switch (e?.code) {
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new AppError('UNSUPPORTED_MEDIA_TYPE');
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new AppError('PAYLOAD_TOO_LARGE');
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new AppError('BAD_REQUEST', 'The JSON body is empty');
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return new AppError('BAD_REQUEST', 'Content-Length does not match the body');
  }
  if (e?.statusCode === 400 && e instanceof SyntaxError) return new AppError('BAD_REQUEST', 'The body is not valid JSON');
  if (e?.statusCode && e.statusCode >= 400 && e.statusCode < 500) return new AppError('BAD_REQUEST', e.message);
  return new AppError('INTERNAL');
}

export function errorBody(err: AppError): ErrorBody {
  return {
    statusCode: err.status,
    code: err.code,
    error: STATUS_TEXT[err.status] ?? 'Error',
    message: err.message,
    ...(err.fields ? { fields: err.fields } : {}),
    ...(err.details !== undefined ? { details: err.details } : {}),
  };
}

/** A throttle's 429 says how long to wait (`details.retryAfterSeconds`); otherwise the longest back-off. */
function retryAfterSeconds(details: unknown): number {
  const s = (details as { retryAfterSeconds?: unknown } | undefined)?.retryAfterSeconds;
  return typeof s === 'number' && Number.isFinite(s) && s > 0 ? Math.ceil(s) : 900;
}

async function errorHandlerPlugin(app: FastifyInstance) {
  app.setErrorHandler((err: unknown, req: FastifyRequest, reply: FastifyReply) => {
    const appErr = toAppError(err);
    if (appErr.code === 'INTERNAL') req.log.error({ err }, 'unhandled error');
    else if (appErr.status >= 500) req.log.warn({ err: appErr }, appErr.message);
    if (appErr.code === 'TOO_MANY_ATTEMPTS') reply.header('retry-after', String(retryAfterSeconds(appErr.details)));
    return reply.status(appErr.status).send(errorBody(appErr));
  });
  app.setNotFoundHandler((req, reply) => {
    const err = new AppError('NOT_FOUND', `No route ${req.method} ${req.url.split('?')[0]}`);
    return reply.status(404).send(errorBody(err));
  });
}

export default fp(errorHandlerPlugin, { name: 'error-handler' });
export { ERRORS };
