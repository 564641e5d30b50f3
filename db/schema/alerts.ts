import { sql } from 'drizzle-orm';
import {
  bigint,
  bigserial,
  check,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import { chargers } from './chargers.ts';
import { transactions } from './transactions.ts';

export const ALERT_SEVERITIES = ['info', 'warning', 'critical'] as const;
export type AlertSeverity = (typeof ALERT_SEVERITIES)[number];

/**
 * Things an operator should look at, raised by the system (`GET /api/alerts`,
 * docs/OPERATIONS.md "Alerts"). Two ways of being the same alert:
 * - `dedup_key`: an event that happens once (a flagged meter reading, a
 *   charger clock): a charger resending the message raises nothing new;
 * - `cause`: a condition that holds and ends (a charger Faulted, offline, a
 *   phase over its limit): at most one open (`cleared_at` null) alert per
 *   kind and cause, held by `alerts_open_cause`, and the system clears it
 *   when the condition is over; the next episode raises a new row.
 */
export const alerts = pgTable(
  'alerts',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    at: timestamp('at', { withTimezone: true }).notNull(),
    kind: text('kind').notNull(),
    severity: text('severity').$type<AlertSeverity>().notNull(),
    chargerId: text('charger_id').references(() => chargers.id, { onDelete: 'cascade' }),
    connectorId: integer('connector_id'),
    transactionId: integer('transaction_id').references(() => transactions.id, { onDelete: 'cascade' }),
    message: text('message').notNull(),
    details: jsonb('details')
      .notNull()
      .default(sql`'{}'::jsonb`),
    dedupKey: text('dedup_key').unique('alerts_dedup_key'),
    cause: text('cause'),
    clearedAt: timestamp('cleared_at', { withTimezone: true }),
    acknowledgedAt: timestamp('acknowledged_at', { withTimezone: true }),
    acknowledgedBy: text('acknowledged_by'),
  },
  (t) => [
    index('alerts_at_idx').on(t.at, t.id),
    index('alerts_transaction_idx').on(t.transactionId),
    uniqueIndex('alerts_open_cause')
      .on(t.kind, t.cause)
      .where(sql`${t.clearedAt} is null and ${t.cause} is not null`),
    index('alerts_open_idx')
      .on(t.at, t.id)
      .where(sql`${t.clearedAt} is null`),
    check('alerts_severity', sql`${t.severity} in ('info','warning','critical')`),
    check('alerts_ack', sql`(${t.acknowledgedAt} is null) = (${t.acknowledgedBy} is null)`),
  ],
);

export type AlertRow = typeof alerts.$inferSelect;

export const ALERT_NOTICES = ['raised', 'cleared'] as const;
export type AlertNotice = (typeof ALERT_NOTICES)[number];

/**
 * The outbox of alert raises and clears: one row per raise and per clear,
 * written by triggers on `alerts` in the transaction that raised or cleared
 * it (whatever code path did), so a crash or restart loses none. A row is
 * announced on the live stream once (`published_at`) and then delivered on
 * each channel until the receiver takes it or it is given up after a day
 * (server/alerts/delivery.ts). Each channel has its own four columns so that
 * one receiver being down neither holds nor repeats the other's:
 * - the webhook (ALERT_WEBHOOK_URL, server/alerts/webhook.ts): `settled_at`
 *   (with `last_error` saying why when given up), `attempts` and
 *   `next_attempt_at` for the back-off (unprefixed: the first channel);
 * - e-mail (SMTP_URL, server/alerts/email.ts): the same, prefixed `email_`.
 */
export const alertOutbox = pgTable(
  'alert_outbox',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    alertId: bigint('alert_id', { mode: 'number' })
      .notNull()
      .references(() => alerts.id, { onDelete: 'cascade' }),
    notice: text('notice').$type<AlertNotice>().notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    publishedAt: timestamp('published_at', { withTimezone: true }),
    settledAt: timestamp('settled_at', { withTimezone: true }),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }).notNull(),
    lastError: text('last_error'),
    emailSettledAt: timestamp('email_settled_at', { withTimezone: true }),
    emailAttempts: integer('email_attempts').notNull().default(0),
    emailNextAttemptAt: timestamp('email_next_attempt_at', { withTimezone: true }).notNull(),
    emailLastError: text('email_last_error'),
  },
  (t) => [
    index('alert_outbox_unpublished')
      .on(t.id)
      .where(sql`${t.publishedAt} is null`),
    index('alert_outbox_unsettled')
      .on(t.nextAttemptAt, t.id)
      .where(sql`${t.settledAt} is null`),
    index('alert_outbox_email_unsettled')
      .on(t.emailNextAttemptAt, t.id)
      .where(sql`${t.emailSettledAt} is null`),
    check('alert_outbox_notice', sql`${t.notice} in ('raised','cleared')`),
  ],
);

export type AlertOutboxRow = typeof alertOutbox.$inferSelect;
