import { index, integer, jsonb, pgTable, serial, text, timestamp } from 'drizzle-orm/pg-core';

/** Every command sent to a charger, with who asked and what the charger answered (docs/PRODUCT.md §5). */
export const commandLog = pgTable(
  'command_log',
  {
    id: serial('id').primaryKey(),
    chargerId: text('charger_id').notNull(),
    action: text('action').notNull(),
    payload: jsonb('payload').notNull(),
    response: jsonb('response'),
    outcome: text('outcome').notNull().default('pending'), // pending | answered | error | timeout | not_connected
    errorCode: text('error_code'),
    requestedBy: text('requested_by').notNull(),
    requestedAt: timestamp('requested_at', { withTimezone: true }).notNull(),
    answeredAt: timestamp('answered_at', { withTimezone: true }),
    durationMs: integer('duration_ms'),
  },
  (t) => [index('command_log_charger_idx').on(t.chargerId, t.requestedAt)],
);
