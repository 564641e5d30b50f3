/**
 * The codes of the errors the server answers, shared by the server and the
 * dashboard. The server throws them as AppErrors (server/errors.ts) and maps
 * them to HTTP once (server/plugins/error-handler.ts); the dashboard shows a
 * message per code in the reader's language (web/src/components/States.tsx),
 * so a code added here without a zh and en message fails the web typecheck.
 * `message` is the server's English default, used when a thrower gives none.
 */
export const ERRORS = {
  VALIDATION_FAILED: { status: 400, message: 'Invalid request' },
  BAD_REQUEST: { status: 400, message: 'Bad request' },
  UNAUTHENTICATED: { status: 401, message: 'Authentication required' },
  INVALID_CREDENTIALS: { status: 401, message: 'Wrong username or password' },
  FORBIDDEN: { status: 403, message: 'Your role may not do this' },
  CROSS_ORIGIN_REFUSED: { status: 403, message: 'Refused: the request did not come from a page of this site' },
  NOT_FOUND: { status: 404, message: 'Not found' },
  CONFLICT: { status: 409, message: 'Conflict' },
  CHARGER_NOT_CONNECTED: { status: 409, message: 'The charger is not connected' },
  TRANSACTION_STOPPED_BY_CHARGER: {
    status: 409,
    message: 'The charger stopped this session itself; it cannot be closed',
  },
  CIRCUIT_IN_USE: { status: 409, message: 'The circuit still has chargers or circuits under it' },
  CIRCUIT_NAME_TAKEN: { status: 409, message: 'Another circuit has this name' },
  PAYLOAD_TOO_LARGE: { status: 413, message: 'Request body too large' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, message: 'Unsupported content type' },
  TOO_MANY_ATTEMPTS: { status: 429, message: 'Too many failed attempts; try again later' },
  CHARGER_TIMEOUT: { status: 504, message: 'The charger did not answer in time' },
  CHARGER_ERROR: { status: 502, message: 'The charger answered with an error' },
  DATABASE_UNAVAILABLE: { status: 503, message: 'The database is unavailable; try again shortly' },
  REQUEST_TIMEOUT: { status: 503, message: 'The server could not answer in time; try again shortly' },
  INTERNAL: { status: 500, message: 'Internal error' },
} as const;

export type ErrorCode = keyof typeof ERRORS;

/**
 * The battery registry's envelope error codes (seed 000, docs/PRODUCT.md §4): 1001 bad
 * parameter, 1002 not found, 1003 conflict, 1004 not authenticated or not
 * allowed, 1500 internal. Success is 1000.
 */
export const ENVELOPE_ERROR_CODES = ['1001', '1002', '1003', '1004', '1500'] as const;

export type EnvelopeErrorCode = (typeof ENVELOPE_ERROR_CODES)[number];
