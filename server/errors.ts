import { ERRORS, type ErrorCode } from '../contracts/errors.ts';

/**
 * The one catalogue of coded errors: its codes, statuses and default messages
 * are in contracts/errors.ts, which the dashboard reads too (it words each code
 * in the reader's language). Code everywhere throws `AppError`s; each
 * surface turns them into its own answer at exactly one place:
 * REST in plugins/error-handler.ts, the battery API envelope in battery/,
 * OCPP CALLERRORs in ocpp/. Never branch on an error's message text.
 */
export { ERRORS, type ErrorCode };

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
