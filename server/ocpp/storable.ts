import type { PgColumn } from 'drizzle-orm/pg-core';
import { connectors, meterValues, transactions } from '../../db/schema/index.ts';
import { textProblems } from '../text/storable-text.ts';
import { rpcError } from './protocol.ts';

/**
 * The check before any write: values the official OCPP 1.6 schema accepts
 * (ocpp-rpc strict mode has passed them) but our columns cannot hold. Without
 * it the write fails, the charger gets InternalError ("send it again") and an
 * obedient charger resends the same frame for ever, its transaction queue
 * blocked behind it. With it the frame gets a permanent CALLERROR
 * PropertyConstraintViolation (OCPP-J 1.6 §4.2.3: "at least one field
 * contains an invalid value") naming the field, and nothing is stored.
 *
 * Written by hand: no library knows which payload field lands in which of our
 * columns. The limits are derived from the columns themselves (db/schema), so
 * a column whose type changes moves its limit with it.
 */

/** Where each number and timestamp of an inbound CALL is written or compared (`*`: every array element). */
const TARGETS: Record<string, Record<string, PgColumn>> = {
  StartTransaction: {
    connectorId: transactions.connectorId,
    meterStart: transactions.meterStart,
    reservationId: transactions.reservationId,
    timestamp: transactions.startedAt,
  },
  StopTransaction: {
    transactionId: transactions.id,
    meterStop: transactions.meterStop,
    timestamp: transactions.stoppedAt,
    'transactionData.*.timestamp': meterValues.timestamp,
  },
  MeterValues: {
    connectorId: meterValues.connectorId,
    transactionId: meterValues.transactionId,
    'meterValue.*.timestamp': meterValues.timestamp,
  },
  StatusNotification: { connectorId: connectors.connectorId },
  // Authorize, BootNotification, DataTransfer, Heartbeat and the firmware and
  // diagnostics notifications carry strings only (the latter two enumerations).
};

/**
 * Earliest and latest instant we store. PostgreSQL's timestamptz reaches
 * further, but the instants are written as ISO strings, which PostgreSQL reads
 * only for years 1 to 9999 (year 0 is 22008, a six-digit year 22009), and a
 * day is kept off each end so the site-local day of any stored instant (the
 * date columns of the energy rollups) is a year 1 to 9999 date too.
 */
const EARLIEST = Date.parse('0001-01-02T00:00:00Z');
const LATEST = Date.parse('9999-12-30T23:59:59.999Z');

type Limit = { kind: 'integer'; min: number; max: number } | { kind: 'instant' };

const INT4: Limit = { kind: 'integer', min: -2147483648, max: 2147483647 };
/**
 * bigint columns are read back as JS numbers (Drizzle mode 'number'): beyond
 * 2^53 - 1 a value would come back changed and the resend dedup would miss,
 * so that, not int8's 2^63 - 1, is the largest storable value.
 */
const INT8_AS_NUMBER: Limit = { kind: 'integer', min: -Number.MAX_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER };

function limitOf(column: PgColumn): Limit {
  switch (column.columnType) {
    case 'PgInteger':
    case 'PgSerial':
      return INT4;
    case 'PgBigInt53':
    case 'PgBigSerial53':
      return INT8_AS_NUMBER;
    case 'PgTimestamp':
      return { kind: 'instant' };
    default:
      // Fails at start-up, not on a charger's frame: a new column type needs its limit here.
      throw new Error(`storable.ts: no limit known for ${column.name} (${column.columnType})`);
  }
}

const LIMITS: Record<string, [string, Limit][]> = Object.fromEntries(
  Object.entries(TARGETS).map(([action, fields]) => [
    action,
    Object.entries(fields).map(([path, col]) => [path, limitOf(col)]),
  ]),
);

/** The values at a `*` path, each with its concrete path (`meterValue.0.timestamp`). */
function valuesAt(root: unknown, path: string): [string, unknown][] {
  let found: [string, unknown][] = [['', root]];
  for (const part of path.split('.')) {
    const next: [string, unknown][] = [];
    for (const [at, v] of found) {
      if (v === null || typeof v !== 'object') continue;
      const join = (k: string) => (at ? `${at}.${k}` : k);
      if (part === '*') (Array.isArray(v) ? v : []).forEach((item, i) => next.push([join(String(i)), item]));
      else if (part in v) next.push([join(part), (v as Record<string, unknown>)[part]]);
    }
    found = next;
  }
  return found;
}

function numberProblem(v: unknown, limit: Extract<Limit, { kind: 'integer' }>): string | undefined {
  if (typeof v !== 'number') return undefined; // the schema's type check owns that
  if (!Number.isFinite(v) || !Number.isInteger(v)) return `${v} is not a finite integer`;
  if (v > limit.max) return `${v} exceeds the largest storable value (${limit.max})`;
  if (v < limit.min) return `${v} is below the smallest storable value (${limit.min})`;
  return undefined;
}

function instantProblem(v: unknown): string | undefined {
  if (typeof v !== 'string') return undefined;
  const ms = Date.parse(v);
  // The schema's date-time format admits a leap second (23:59:60), which no Date can hold.
  if (Number.isNaN(ms)) return `${v} cannot be read as a point in time (a leap second has none)`;
  if (ms < EARLIEST || ms > LATEST) return `${v} is outside the storable range (0001-01-02 to 9999-12-30)`;
  return undefined;
}

/** Field path → problem for every value of this CALL that cannot be stored; empty when all can. */
export function unstorableFields(action: string, params: unknown): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const [path, limit] of LIMITS[action] ?? []) {
    for (const [at, v] of valuesAt(params, path)) {
      const problem = limit.kind === 'integer' ? numberProblem(v, limit) : instantProblem(v);
      if (problem) fields[at] ??= problem;
    }
  }
  // Every string a charger sends ends in a text or jsonb column (DataTransfer and unknown stops whole, as jsonb).
  return textProblems(params, '', fields);
}

/** Throws the permanent CALLERROR when any value of the CALL cannot be stored. */
export function assertStorable(action: string, params: unknown): void {
  const fields = unstorableFields(action, params);
  const names = Object.keys(fields);
  if (!names.length) return;
  throw rpcError('PropertyConstraintViolation', names.map((n) => `${n}: ${fields[n]}`).join('; '), { fields });
}
