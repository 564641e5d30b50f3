import { and, count, eq, gte, isNotNull, isNull, lt, sql, type SQL } from 'drizzle-orm';
import type { DbOrTx } from '../client.ts';
import { rawRows } from '../raw.ts';
import { transactions, type TransactionRow } from '../schema/index.ts';
import { sortKeys, type TransactionSort } from '../schema/transaction-sort.ts';

export type { TransactionSort } from '../schema/transaction-sort.ts';

export interface TransactionFilter {
  /** Sessions that started at or after this instant. */
  from?: Date | undefined;
  /** ... and before this one. */
  to?: Date | undefined;
  chargerId?: string | undefined;
  /** The session's id tag, compared without case (OCPP 1.6 §7.1 IdToken is a CiString20). */
  idTag?: string | undefined;
  state?: 'running' | 'finished' | undefined;
  stopReason?: string | undefined;
}

export interface SortOrder {
  by: TransactionSort;
  dir: 'asc' | 'desc';
}

/** Where a keyset page starts: the sort key (as text, exact) and id of the last row of the page before. */
export interface Keyset {
  key: string;
  id: number;
}

export const START_ORDER: SortOrder = { by: 'start', dir: 'asc' };

const SORT_KEYS = sortKeys(transactions);

function where(f: TransactionFilter): SQL | undefined {
  const parts: SQL[] = [];
  if (f.from) parts.push(gte(transactions.startedAt, f.from));
  if (f.to) parts.push(lt(transactions.startedAt, f.to));
  if (f.chargerId !== undefined) parts.push(eq(transactions.chargerId, f.chargerId));
  if (f.idTag !== undefined) parts.push(sql`lower(${transactions.idTag}) = lower(${f.idTag})`);
  if (f.state === 'running') parts.push(isNull(transactions.stoppedAt));
  if (f.state === 'finished') parts.push(isNotNull(transactions.stoppedAt));
  if (f.stopReason !== undefined) parts.push(eq(transactions.stopReason, f.stopReason));
  return parts.length ? and(...parts) : undefined;
}

const CASTS: Record<TransactionSort, SQL> = {
  start: sql`timestamptz`,
  duration: sql`numeric`,
  energy: sql`bigint`,
};

/** The row comparison that starts a page after `k`, in the sort's direction (a range scan of its index). */
function after(order: SortOrder, k: Keyset): SQL {
  const key = SORT_KEYS[order.by];
  const op = order.dir === 'asc' ? sql`>` : sql`<`;
  return sql`(${key}, ${transactions.id}) ${op} (${k.key}::${CASTS[order.by]}, ${k.id}::integer)`;
}

function orderBy(order: SortOrder): SQL {
  const dir = order.dir === 'asc' ? sql`asc` : sql`desc`;
  return sql`${SORT_KEYS[order.by]} ${dir}, ${transactions.id} ${dir}`;
}

/**
 * The management transactions list and its CSV export (docs/PRODUCT.md §8):
 * filtered, ordered by (sort key, id) in either direction, paged by keyset
 * (each sort has an index on (key, id) and (charger, key, id), migration
 * 0010_session_list), so the 5,000th page costs what the first does. The
 * export walks the same order in chunks, so a million rows never sit in memory.
 */
export function createTransactionListRepository(db: DbOrTx) {
  const select = (f: TransactionFilter, order: SortOrder, from: Keyset | undefined) =>
    db
      .select({ row: transactions, key: sql<string>`(${SORT_KEYS[order.by]})::text` })
      .from(transactions)
      .where(and(where(f), from ? after(order, from) : undefined))
      .orderBy(orderBy(order));

  async function keysetPage(
    f: TransactionFilter,
    order: SortOrder,
    from: Keyset | undefined,
    limit: number,
  ): Promise<{ rows: TransactionRow[]; last: Keyset | null }> {
    const rows = await select(f, order, from).limit(limit);
    const tail = rows[rows.length - 1];
    return { rows: rows.map((r) => r.row), last: tail ? { key: tail.key, id: tail.row.id } : null };
  }

  return {
    async count(f: TransactionFilter): Promise<number> {
      const [row] = await db.select({ n: count() }).from(transactions).where(where(f));
      return Number(row?.n ?? 0);
    },

    /** How many sessions the filter holds and the energy of the finished ones, Wh. */
    async totals(f: TransactionFilter): Promise<{ count: number; energyWh: number }> {
      const [row] = await db
        .select({ n: count(), wh: sql<string>`coalesce(sum(${transactions.energyWh}), 0)::text` })
        .from(transactions)
        .where(where(f));
      return { count: Number(row?.n ?? 0), energyWh: Number(row?.wh ?? 0) };
    },

    /** A page by offset (the original `page` parameter), in the given order, with the keyset of its last row. */
    async offsetPage(
      f: TransactionFilter,
      offset: number,
      limit: number,
      order = START_ORDER,
    ): Promise<{ rows: TransactionRow[]; last: Keyset | null }> {
      const rows = await select(f, order, undefined).offset(offset).limit(limit);
      const tail = rows[rows.length - 1];
      return { rows: rows.map((r) => r.row), last: tail ? { key: tail.key, id: tail.row.id } : null };
    },

    keysetPage,

    /** The query plan of a keyset page, for tests that check each sort is a range scan of an index. */
    async explainPage(f: TransactionFilter, order: SortOrder, from: Keyset | undefined, limit: number) {
      const q = select(f, order, from).limit(limit).toSQL();
      const params = q.params.map((p) => (typeof p === 'string' ? `'${p.replace(/'/g, "''")}'` : String(p)));
      const text = q.sql.replace(/\$(\d+)/g, (_, n: string) => params[Number(n) - 1]!);
      const rows = await rawRows<Record<string, string>>(db, sql.raw(`explain ${text}`));
      return rows.map((r) => Object.values(r)[0]!).join('\n');
    },

    /** Yields the filtered set in chunks of at most `size` rows, each chunk one query after the last row seen. */
    async *chunks(f: TransactionFilter, size: number, order = START_ORDER): AsyncGenerator<TransactionRow[]> {
      let from: Keyset | undefined;
      for (;;) {
        const { rows, last } = await keysetPage(f, order, from, size);
        if (rows.length === 0) return;
        yield rows;
        if (rows.length < size || !last) return;
        from = last;
      }
    },
  };
}
export type TransactionListRepository = ReturnType<typeof createTransactionListRepository>;
