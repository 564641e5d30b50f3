import { sql } from 'drizzle-orm';
import { bigserial, check, index, integer, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { chargers } from './chargers.ts';
import { transactions } from './transactions.ts';

export const ALERT_SEVERITIES = ['info', 'warning', 'critical'] as const;
export type AlertSeverity = (typeof ALERT_SEVERITIES)[number];

/**
 * Things an operator should look at, raised by the system (the start of the
 * alert console, `GET /api/alerts`). `dedup_key` makes raising idempotent: a
 * charger resending the message that raised an alert raises nothing new.
 */
export const alerts = pgTable(
  'alerts',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    at: timestamp('at', { withTimezone: true }).notNull(),
    kind: text('kind').notNull(),
    severity: text('severity').$type<AlertSeverity>().notNull(),
    chargerId: text('charger_id').references(() => chargers.id, { onDelete: 'cascade' }),
    transactionId: integer('transaction_id').references(() => transactions.id, { onDelete: 'cascade' }),
    message: text('message').notNull(),
    details: jsonb('details')
      .notNull()
      .default(sql`'{}'::jsonb`),
    dedupKey: text('dedup_key').unique('alerts_dedup_key'),
    acknowledgedAt: timestamp('acknowledged_at', { withTimezone: true }),
    acknowledgedBy: text('acknowledged_by'),
  },
  (t) => [
    index('alerts_at_idx').on(t.at, t.id),
    index('alerts_transaction_idx').on(t.transactionId),
    check('alerts_severity', sql`${t.severity} in ('info','warning','critical')`),
    check('alerts_ack', sql`(${t.acknowledgedAt} is null) = (${t.acknowledgedBy} is null)`),
  ],
);

export type AlertRow = typeof alerts.$inferSelect;
