import { boolean, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/** Authorization list (OCPP 1.6 §4.1 Authorize, §7.15 IdTagInfo). */
export const idTags = pgTable('id_tags', {
  idTag: text('id_tag').primaryKey(),
  parentIdTag: text('parent_id_tag'),
  expiryDate: timestamp('expiry_date', { withTimezone: true }),
  blocked: boolean('blocked').notNull().default(false),
  description: text('description'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});
