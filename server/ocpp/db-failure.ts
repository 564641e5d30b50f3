import { driverError } from '../../db/sql-state.ts';
import { rpcError } from './protocol.ts';

/**
 * The backstop behind storable.ts: a database error a handler could not
 * avoid, classified by SQLSTATE (PostgreSQL Appendix A; PGlite reports the
 * same codes) into a permanent CALLERROR when no resend can fix it. Anything
 * else stays InternalError, which tells the charger to send it again (docs/PRODUCT.md §5):
 * serialization failures and deadlocks (class 40), lost connections (08),
 * exhausted resources (53), statement timeouts and shutdowns (57), lock
 * timeouts (55P03), and a unique violation (23505), which is a concurrent
 * writer of the same row that the resend finds and dedups.
 */

/** Words for the codes we expect; other codes of the classes are named by number only. */
const WHAT: Record<string, string> = {
  '22001': 'string too long',
  '22003': 'numeric value out of range',
  '22007': 'invalid datetime format',
  '22008': 'datetime field overflow',
  '22009': 'invalid time zone displacement',
  '22021': 'invalid byte sequence',
  '22P02': 'invalid text representation',
  '22P05': 'untranslatable character',
  '23502': 'a required value is missing',
  '23503': 'refers to a row that does not exist',
  '23514': 'breaks a check constraint',
};

/** OCPP-J 1.6 §4.2.3 code for a permanent failure, or undefined when a resend may succeed. */
function permanentCode(state: string): string | undefined {
  if (state.startsWith('22')) return 'PropertyConstraintViolation'; // data exception: the value itself
  if (state === '23502') return 'OccurenceConstraintViolation'; // a field that must occur is missing (1.6 spelling)
  if (state.startsWith('23') && state !== '23505') return 'PropertyConstraintViolation'; // check, foreign key, exclusion
  return undefined;
}

/** The permanent CALLERROR for `err`, or undefined when it is not one (keep InternalError). */
export function permanentDbFailure(err: unknown): Error | undefined {
  const db = driverError(err);
  if (!db) return undefined;
  const code = permanentCode(db.code);
  if (!code) return undefined;
  const what = WHAT[db.code] ? ` ${WHAT[db.code]}` : '';
  const where = db.constraint ? ` (constraint ${db.constraint})` : '';
  const field = db.column ? `${db.column}: ` : '';
  return rpcError(code, `${field}Not storable: SQLSTATE ${db.code}${what}${where}; resending will not help`, {
    sqlState: db.code,
    ...(db.column ? { fields: { [db.column]: `not storable (SQLSTATE ${db.code})` } } : {}),
  });
}
