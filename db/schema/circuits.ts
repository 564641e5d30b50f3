import { sql } from 'drizzle-orm';
import {
  type AnyPgColumn,
  check,
  doublePrecision,
  integer,
  pgTable,
  serial,
  text,
  timestamp,
} from 'drizzle-orm/pg-core';

/**
 * A named group of chargers under the site with its own per-phase limits
 * (a sub-distribution board, a car park level; docs/PRODUCT.md §7). Circuits
 * nest: `parent_id` null hangs a circuit directly under the site. Limits are
 * amperes per *site* phase A, B, C, so a charger's phase rotation maps its
 * L1..L3 onto the same letters at every level. The repository keeps the tree
 * free of cycles inside the writing transaction.
 */
export const circuits = pgTable(
  'circuits',
  {
    id: serial('id').primaryKey(),
    name: text('name').notNull().unique('circuits_name_unique'),
    parentId: integer('parent_id').references((): AnyPgColumn => circuits.id, { onDelete: 'restrict' }),
    limitA: doublePrecision('limit_a').notNull(),
    limitB: doublePrecision('limit_b').notNull(),
    limitC: doublePrecision('limit_c').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    check('circuits_limits', sql`${t.limitA} >= 0 and ${t.limitB} >= 0 and ${t.limitC} >= 0`),
    check('circuits_not_own_parent', sql`${t.parentId} is null or ${t.parentId} <> ${t.id}`),
  ],
);

export type CircuitRow = typeof circuits.$inferSelect;
