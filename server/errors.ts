/**
 * The one catalogue of coded errors. Code everywhere throws `AppError`s; each
 * surface turns them into its own answer at exactly one place:
 * REST in plugins/error-handler.ts, the battery API envelope in battery/,
 * OCPP CALLERRORs in ocpp/. Never branch on an error's message text.
 */
export const ERRORS = {
  VALIDATION_FAILED: { status: 400, message: 'Invalid request' },
  BAD_REQUEST: { status: 400, message: 'Bad request' },
  UNAUTHENTICATED: { status: 401, message: 'Authentication required' },
  INVALID_CREDENTIALS: { status: 401, message: 'Wrong username or password' },
  FORBIDDEN: { status: 403, message: 'Your role may not do this' },
  NOT_FOUND: { status: 404, message: 'Not found' },
  CONFLICT: { status: 409, message: 'Conflict' },
  CHARGER_NOT_CONNECTED: { status: 409, message: 'The charger is not connected' },
  PAYLOAD_TOO_LARGE: { status: 413, message: 'Request body too large' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, message: 'Unsupported content type' },
  TOO_MANY_ATTEMPTS: { status: 429, message: 'Too many failed attempts; try again later' },
  CHARGER_TIMEOUT: { status: 504, message: 'The charger did not answer in time' },
  CHARGER_ERROR: { status: 502, message: 'The charger answered with an error' },
  DATABASE_UNAVAILABLE: { status: 503, message: 'The database is unavailable' },
  INTERNAL: { status: 500, message: 'Internal error' },
} as const;

export type ErrorCode = keyof typeof ERRORS;

export class AppError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    message?: string,
    /** Per-field messages for validation failures: field name → what is wrong. */
    readonly fields?: Record<string, string>,
    /** Extra machine-readable detail (e.g. the charger's CALLERROR). */
    readonly details?: unknown,
  ) {
    super(message ?? ERRORS[code].message);
    this.name = 'AppError';
    this.status = ERRORS[code].status;
  }
}

export function isAppError(e: unknown): e is AppError {
  return e instanceof AppError;
}

export function validationError(fields: Record<string, string>, message = 'Invalid request'): AppError {
  const names = Object.keys(fields);
  return new AppError('VALIDATION_FAILED', names.length ? `${message}: ${names.join(', ')}` : message, fields);
}
