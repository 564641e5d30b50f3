/**
 * The SQLSTATE of a database error, looking through Drizzle's wrapper
 * (DrizzleQueryError keeps the driver's error as `cause`). node-postgres and
 * PGlite both put the five-character code in `code`, so callers classify
 * errors by it on both engines, never by message text.
 */
export function sqlState(err: unknown): string | undefined {
  return driverError(err)?.code;
}

/** What PostgreSQL says about the failing value, as both drivers expose it. */
export interface DriverError {
  code: string;
  column?: string;
  constraint?: string;
  table?: string;
}

/** The driver's error inside `err`, or undefined when there is no SQLSTATE. */
export function driverError(err: unknown): DriverError | undefined {
  let e = err as { code?: unknown; cause?: unknown } | undefined;
  for (let i = 0; i < 4 && e; i++) {
    if (typeof e.code === 'string' && /^[0-9A-Z]{5}$/.test(e.code)) return e as DriverError;
    e = e.cause as typeof e;
  }
  return undefined;
}
