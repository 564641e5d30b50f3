import { getTableColumns, type InferSelectModel, type Table } from 'drizzle-orm';

/**
 * A row that raw SQL returned (`returning *`, column names as stored) in
 * the shape Drizzle's own selects answer: property names, Dates, numbers
 * for bigint columns. Both drivers hand raw statements the same untyped
 * values they hand Drizzle's builders (timestamps as text), so each
 * column's own decoder applies. For statements the builders cannot write
 * (an insert that selects from a locking CTE, transactions.ts `start`).
 */
export function decodeRow<T extends Table>(table: T, raw: Record<string, unknown>): InferSelectModel<T> {
  const row: Record<string, unknown> = {};
  for (const [key, column] of Object.entries(getTableColumns(table))) {
    const value = raw[column.name];
    row[key] = value === null || value === undefined ? null : column.mapFromDriverValue(value);
  }
  return row as InferSelectModel<T>;
}
