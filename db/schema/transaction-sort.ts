import { sql, type SQL } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';

export const TRANSACTION_SORTS = ['start', 'duration', 'energy'] as const;
export type TransactionSort = (typeof TRANSACTION_SORTS)[number];

interface SortColumns {
  startedAt: AnyPgColumn;
  stoppedAt: AnyPgColumn;
  energyWh: AnyPgColumn;
}

/**
 * The key each sort of the sessions list orders by, never null so a keyset
 * row comparison holds: a running session has no duration or energy yet and
 * sorts as -1, before every finished one. The same expressions build the
 * indexes (db/schema/transactions.ts) and the queries
 * (db/repositories/transaction-list.ts), so the planner matches them.
 */
export function sortKeys(t: SortColumns): Record<TransactionSort, SQL> {
  return {
    start: sql`${t.startedAt}`,
    duration: sql`coalesce(extract(epoch from (${t.stoppedAt} - ${t.startedAt})), -1)`,
    energy: sql`coalesce(${t.energyWh}, -1)`,
  };
}
