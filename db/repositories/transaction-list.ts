import { and, asc, count, eq, gte, lt, sql, type SQL } from 'drizzle-orm';
import type { DbOrTx } from '../client.ts';
import { transactions, type TransactionRow } from '../schema/index.ts';

export interface TransactionFilter {
  /** Sessions that started at or after this instant. */
  from?: Date | undefined;
  /** ... and before this one. */
  to?: Date | undefined;
  chargerId?: string | undefined;
}

function where(f: TransactionFilter): SQL | undefined {
  const parts: SQL[] = [];
  if (f.from) parts.push(gte(transactions.startedAt, f.from));
  if (f.to) parts.push(lt(transactions.startedAt, f.to));
  if (f.chargerId !== undefined) parts.push(eq(transactions.chargerId, f.chargerId));
  return parts.length ? and(...parts) : undefined;
}

/**
 * The management transactions list and its CSV export (docs/PRODUCT.md §8), ordered by
 * (started_at, id). The export walks the set with keyset pagination
 * (index transactions_started_id_idx), so a million rows never sit in memory.
 */
export function createTransactionListRepository(db: DbOrTx) {
  return {
    async count(f: TransactionFilter): Promise<number> {
      const [row] = await db.select({ n: count() }).from(transactions).where(where(f));
      return Number(row?.n ?? 0);
    },

    async page(f: TransactionFilter, offset: number, limit: number): Promise<TransactionRow[]> {
      return db
        .select()
        .from(transactions)
        .where(where(f))
        .orderBy(asc(transactions.startedAt), asc(transactions.id))
        .offset(offset)
        .limit(limit);
    },

    /** Yields the filtered set in chunks of at most `size` rows, each chunk one query after the last row seen. */
    async *chunks(f: TransactionFilter, size: number): AsyncGenerator<TransactionRow[]> {
      let after: { startedAt: Date; id: number } | undefined;
      for (;;) {
        const keyset = after
          ? sql`(${transactions.startedAt}, ${transactions.id}) > (${after.startedAt.toISOString()}::timestamptz, ${after.id})`
          : undefined;
        const rows = await db
          .select()
          .from(transactions)
          .where(and(where(f), keyset))
          .orderBy(asc(transactions.startedAt), asc(transactions.id))
          .limit(size);
        if (rows.length === 0) return;
        yield rows;
        if (rows.length < size) return;
        const last = rows[rows.length - 1]!;
        after = { startedAt: last.startedAt, id: last.id };
      }
    },
  };
}
export type TransactionListRepository = ReturnType<typeof createTransactionListRepository>;
