/**
 * The one place that decides whether a database error means "the database is
 * unreachable or refusing work for now" (answer 503, try again) rather than a
 * bug or bad data. Decided by error codes only, never by message text.
 */

/**
 * The driver lost or never got a connection, or a query got no answer in
 * time. pg reports these without a code (its messages are its only
 * distinction), so db/guarded-pool.ts wraps them in this class where it sees
 * them happen; `cause` keeps the driver's own error.
 */
export class DatabaseUnreachableError extends Error {
  readonly code = 'DATABASE_UNREACHABLE';
  constructor(
    readonly reason: 'connect' | 'query-timeout' | 'connection-lost',
    cause: unknown,
  ) {
    super(`database unreachable (${reason})`, { cause });
    this.name = 'DatabaseUnreachableError';
  }
}

/** Node socket errors of a refused, reset or timed-out connection. */
const ERRNO = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/**
 * PostgreSQL SQLSTATEs (Appendix A of its manual): class 08 connection
 * exception; 57P01 admin_shutdown, 57P02 crash_shutdown, 57P03
 * cannot_connect_now (starting up, in recovery); 53300 too_many_connections.
 */
function isOutageSqlState(code: string): boolean {
  return code.startsWith('08') || code === '57P01' || code === '57P02' || code === '57P03' || code === '53300';
}

/**
 * True when `err`, or an error it wraps (Drizzle wraps driver errors in
 * `cause`), says the database is unavailable rather than the query wrong.
 */
export function isDatabaseOutage(err: unknown): boolean {
  for (let e = err, depth = 0; e && typeof e === 'object' && depth < 8; e = (e as { cause?: unknown }).cause, depth++) {
    if (e instanceof DatabaseUnreachableError) return true;
    const code = (e as { code?: unknown }).code;
    if (typeof code !== 'string') continue;
    if (ERRNO.has(code)) return true;
    if (/^[0-9A-Z]{5}$/.test(code) && isOutageSqlState(code)) return true;
  }
  return false;
}
