import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { isDatabaseOutage } from '../../db/outage.ts';
import { AppError, ERRORS, isAppError, type ErrorCode } from '../errors.ts';

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
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

/** One failure as Ajv reports it (with `verbose`, the schema and data it concerns). */
interface SchemaFailure {
  keyword?: string;
  params?: unknown;
  parentSchema?: unknown;
  data?: unknown;
}

/**
 * Every unknown property of the object an `additionalProperties: false` failure
 * is about, not only the first: Ajv stops at the first error (allErrors is off,
 * as Ajv advises for untrusted input), so the rest are read off the object
 * against the schema's listed properties. Without them, the one Ajv named.
 */
const MAX_NAMED = 50; // a body of a million unknown keys gets a short answer

function unknownFields(v: SchemaFailure): string[] {
  const first = (v.params as { additionalProperty?: string } | undefined)?.additionalProperty;
  const schema = v.parentSchema as { properties?: Record<string, unknown>; patternProperties?: unknown } | undefined;
  const known = schema?.patternProperties === undefined ? schema?.properties : undefined;
  const data = v.data;
  if (!known || data === null || typeof data !== 'object' || Array.isArray(data)) return first ? [first] : [];
  const extras = Object.keys(data)
    .filter((k) => !Object.hasOwn(known, k))
    .slice(0, MAX_NAMED);
  return extras.length ? extras : first ? [first] : [];
}

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
      const path = (v.instancePath || '').replace(/^\//, '').replace(/\//g, '.');
      if (v.keyword === 'additionalProperties') {
        for (const extra of unknownFields(v)) fields[path ? `${path}.${extra}` : extra] = 'is not an accepted field';
        continue;
      }
      // A missing property of a nested object is named with its path (`limits.C`), as unknown ones are.
      const name = missing ? (path ? `${path}.${missing}` : missing) : path || e.validationContext || 'body';
      fields[name] = missing ? 'is required' : (v.message ?? 'is invalid');
    }
    return new AppError(
      'VALIDATION_FAILED',
      `Invalid ${e.validationContext ?? 'request'}: ${Object.keys(fields).join(', ')}`,
      fields,
    );
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
  // A refused, reset, timed-out or shut-down database is temporary: 503, try again.
  if (isDatabaseOutage(err)) return new AppError('DATABASE_UNAVAILABLE');
  if (e?.statusCode === 400 && e instanceof SyntaxError)
    return new AppError('BAD_REQUEST', 'The body is not valid JSON');
  if (e?.statusCode && e.statusCode >= 400 && e.statusCode < 500) return new AppError('BAD_REQUEST', e.message);
  return new AppError('INTERNAL');
}

/** Seconds a client should wait before trying again, for the codes that say "later". */
const RETRY_AFTER: Partial<Record<ErrorCode, number>> = {
  TOO_MANY_ATTEMPTS: 900,
  DATABASE_UNAVAILABLE: 5,
  REQUEST_TIMEOUT: 5,
};

/** Sets Retry-After (RFC 9110 §10.2.3) when the error is one to retry; shared with the battery envelope. */
export function setRetryAfter(reply: FastifyReply, err: AppError): void {
  const seconds = err.code === 'TOO_MANY_ATTEMPTS' ? retryAfterSeconds(err.details) : RETRY_AFTER[err.code];
  if (seconds !== undefined) reply.header('retry-after', String(seconds));
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
    setRetryAfter(reply, appErr);
    return reply.status(appErr.status).send(errorBody(appErr));
  });
  app.setNotFoundHandler((req, reply) => {
    const err = new AppError('NOT_FOUND', `No route ${req.method} ${req.url.split('?')[0]}`);
    return reply.status(404).send(errorBody(err));
  });
}

export default fp(errorHandlerPlugin, { name: 'error-handler' });
export { ERRORS };
