import { sql } from 'drizzle-orm';
import { boolean, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';

/**
 * Authorization list (OCPP 1.6 §4.1 Authorize, §7.15 IdTagInfo). An id tag is
 * an IdToken, a CiString20Type (§7.29, §7.10): compared case-insensitively,
 * so `abc` and `ABC` are one tag (unique on lower(id_tag)), kept as written.
 */
export const idTags = pgTable(
  'id_tags',
  {
    idTag: text('id_tag').primaryKey(),
    parentIdTag: text('parent_id_tag'),
    expiryDate: timestamp('expiry_date', { withTimezone: true }),
    blocked: boolean('blocked').notNull().default(false),
    description: text('description'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('id_tags_ci_idx').on(sql`lower(${t.idTag})`)],
);
