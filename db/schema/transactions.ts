import { sql } from 'drizzle-orm';
import {
  bigint,
  bigserial,
  boolean,
  check,
  date,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  serial,
  text,
  timestamp,
  unique,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import type { CloseCause } from '../../contracts/events.ts';
import { chargers } from './chargers.ts';
import { sortKeys } from './transaction-sort.ts';

export const ENERGY_REVIEWS = ['pending', 'confirmed', 'rejected'] as const;
export type EnergyReview = (typeof ENERGY_REVIEWS)[number];
/** idTagInfo.status answered to a StartTransaction (OCPP 1.6 §7.15 AuthorizationStatus). */
export const START_STATUSES = ['Accepted', 'Blocked', 'Expired', 'Invalid', 'ConcurrentTx'] as const;
export type StartStatus = (typeof START_STATUSES)[number];

/**
 * Who closed a session: the charger's StopTransaction, or the system on its
 * behalf when the charger never sent one (connector Available, reboot) or an
 * operator did. Only a charger close is final: a late StopTransaction
 * replaces any other (OCPP 1.6 §4.10, §3.16 queued transaction messages).
 */
export const CLOSE_CAUSES = [
  'charger',
  'connector-available',
  'boot',
  'operator',
] as const satisfies readonly CloseCause[];

/**
 * Charging sessions (OCPP 1.6 §4.8 StartTransaction / §4.10 StopTransaction).
 * `id` is the OCPP transactionId and the seed's intrecordid.
 */
export const transactions = pgTable(
  'transactions',
  {
    id: serial('id').primaryKey(),
    chargerId: text('charger_id')
      .notNull()
      .references(() => chargers.id, { onDelete: 'cascade' }),
    connectorId: integer('connector_id').notNull(),
    idTag: text('id_tag').notNull(),
    sessionNumber: integer('session_number').notNull(), // intchargingcode
    meterStart: bigint('meter_start', { mode: 'number' }).notNull(), // Wh
    meterStop: bigint('meter_stop', { mode: 'number' }), // Wh
    // Energy counted for the session: meterStop - meterStart, never negative (docs/PRODUCT.md §5).
    energyWh: bigint('energy_wh', { mode: 'number' }),
    meterAnomaly: boolean('meter_anomaly').notNull().default(false),
    queuedAt: timestamp('queued_at', { withTimezone: true }), // dttstartqueue (connector Preparing)
    startedAt: timestamp('started_at', { withTimezone: true }).notNull(),
    plannedFinishAt: timestamp('planned_finish_at', { withTimezone: true }),
    stoppedAt: timestamp('stopped_at', { withTimezone: true }),
    stopReason: text('stop_reason'),
    stopIdTag: text('stop_id_tag'),
    reservationId: integer('reservation_id'),
    // Live figures of a running session, from MeterValues (seed 2.1 intchargingcurrent, intconsumedenergy)
    liveCurrentA: doublePrecision('live_current_a'),
    livePowerW: doublePrecision('live_power_w'),
    liveEnergyWh: bigint('live_energy_wh', { mode: 'number' }),
    // Refused starts and closes without a StopTransaction (migration 0007_refused_starts; docs/OPERATIONS.md "Open sessions").
    // A session whose start was not Accepted is "deauthorized": kept (OCPP 1.6 §4.8: with StopTransactionOnInvalidId
    // false the charger may go on charging) but it never makes its tag ConcurrentTx.
    startStatus: text('start_status').$type<StartStatus>().notNull().default('Accepted'),
    closeCause: text('close_cause').$type<CloseCause>(), // null while open
    closedDay: date('closed_day', { mode: 'string' }), // site-local day the close counted in energy_daily, so a replacing StopTransaction can move it
    closeNote: text('close_note'), // an operator's reason for closing
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    // --- Values no site can have (migration implausible_values) ---
    // The charger's own timestamp when it lay beyond the allowed clock skew in the
    // future (or before 2010) and the receive time replaced it in started_at /
    // stopped_at; null when the charger's value is the one stored.
    chargerStartedAt: timestamp('charger_started_at', { withTimezone: true }),
    chargerStoppedAt: timestamp('charger_stopped_at', { withTimezone: true }),
    // Why meter_anomaly is set (server/ocpp/plausibility.ts codes), in the order found.
    anomalyReasons: text('anomaly_reasons')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    // Flagged energy is held out of the totals and rollups while 'pending' or
    // 'rejected' and counted once 'confirmed' by an operator; null: nothing to review.
    energyReview: text('energy_review').$type<EnergyReview>(),
    energyReviewedAt: timestamp('energy_reviewed_at', { withTimezone: true }),
    energyReviewedBy: text('energy_reviewed_by'),
  },
  (t) => [
    // A charger that repeats StartTransaction after a reconnect must get the same id back:
    // keyed on the charger's own timestamp, so a resent start whose time was replaced still matches.
    uniqueIndex('transactions_start_dedup').on(
      t.chargerId,
      t.connectorId,
      t.idTag,
      t.meterStart,
      sql`coalesce(${t.chargerStartedAt}, ${t.startedAt})`,
    ),
    check('transactions_energy_nonneg', sql`${t.energyWh} is null or ${t.energyWh} >= 0`),
    check(
      'transactions_energy_review',
      sql`${t.energyReview} is null or (${t.meterAnomaly} and ${t.energyReview} in ('pending','confirmed','rejected'))`,
    ),
    index('transactions_started_idx').on(t.startedAt),
    index('transactions_stopped_idx').on(t.stoppedAt),
    // Keyset pagination of the CSV export and the records list (docs/PRODUCT.md §8).
    index('transactions_started_id_idx').on(t.startedAt, t.id),
    // The sessions list (migration 0010_session_list): every sort (db/schema/transaction-sort.ts) a range
    // scan of (key, id), alone and under a charger, id tag or stop reason filter; page 5,000 as fast as page 1.
    index('transactions_charger_started_id_idx').on(t.chargerId, t.startedAt, t.id),
    index('transactions_duration_id_idx').on(sortKeys(t).duration, t.id),
    index('transactions_charger_duration_id_idx').on(t.chargerId, sortKeys(t).duration, t.id),
    index('transactions_energy_id_idx').on(sortKeys(t).energy, t.id),
    index('transactions_charger_energy_id_idx').on(t.chargerId, sortKeys(t).energy, t.id),
    index('transactions_id_tag_started_id_idx').on(sql`lower(${t.idTag})`, t.startedAt, t.id),
    index('transactions_stop_reason_started_id_idx').on(t.stopReason, t.startedAt, t.id),
    index('transactions_open_idx')
      .on(t.chargerId)
      .where(sql`${t.stoppedAt} is null`),
    check(
      'transactions_start_status',
      sql`${t.startStatus} in ('Accepted','Blocked','Expired','Invalid','ConcurrentTx')`,
    ),
    check('transactions_close_cause', sql`${t.closeCause} in ('charger','connector-available','boot','operator')`),
    // A session is closed exactly when it has a stop time, and then it says by whom.
    check('transactions_closed_has_cause', sql`(${t.stoppedAt} is null) = (${t.closeCause} is null)`),
    // A close a late StopTransaction may replace must say which day's rollup to take it back from.
    check(
      'transactions_replaceable_close_has_day',
      sql`${t.closeCause} is null or ${t.closeCause} = 'charger' or ${t.closedDay} is not null`,
    ),
  ],
);

/**
 * Sampled values (OCPP 1.6 §7.31 SampledValue), one row per sample. A sample
 * is linked (`transaction_id`) only to a session of its own charger; when the
 * charger named another one (another charger's session, or an id no session
 * had yet) it is kept unlinked, `claim_rejected`, with the id it named in
 * `claimed_transaction_id`, so nothing the charger sent is lost and no session
 * gains readings that are not its own.
 */
export const meterValues = pgTable(
  'meter_values',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    chargerId: text('charger_id')
      .notNull()
      .references(() => chargers.id, { onDelete: 'cascade' }),
    connectorId: integer('connector_id').notNull(),
    // NO ACTION: a session is never deleted on its own while it has readings (signed
    // ones are billing evidence); deleting the charger cascades to both in one statement.
    transactionId: integer('transaction_id').references(() => transactions.id),
    claimedTransactionId: integer('claimed_transaction_id'),
    claimRejected: boolean('claim_rejected').notNull().default(false),
    timestamp: timestamp('timestamp', { withTimezone: true }).notNull(),
    measurand: text('measurand').notNull().default('Energy.Active.Import.Register'),
    phase: text('phase').notNull().default(''),
    location: text('location').notNull().default('Outlet'),
    context: text('context').notNull().default('Sample.Periodic'),
    unit: text('unit').notNull().default('Wh'),
    format: text('format').notNull().default('Raw'),
    // Raw: a number as the charger wrote it. SignedData: the signed blob verbatim (e.g. OCMF).
    value: text('value').notNull(),
  },
  (t) => [
    // A resent MeterValues sample is stored once; a SignedData reading beside the Raw one,
    // or a kWh reading beside a Wh one, is a reading of its own (OCPP 1.6 §7.31).
    unique('meter_values_dedup').on(
      t.chargerId,
      t.connectorId,
      t.timestamp,
      t.measurand,
      t.phase,
      t.location,
      t.context,
      t.format,
      t.unit,
    ),
    // A session's samples in time order: its curve (GET /api/transactions/<id>/meter-values).
    index('meter_values_tx_time_idx').on(t.transactionId, t.timestamp),
    check(
      'meter_values_claim',
      sql`${t.claimRejected} = (${t.claimedTransactionId} is not null) and not (${t.claimRejected} and ${t.transactionId} is not null)`,
    ),
  ],
);

/**
 * Per charger, per site-local day energy rollup, written in the same database
 * transaction as the StopTransaction that finishes a session (a session counts
 * in the period where it finished). Tests check it equals the raw sessions.
 */
export const energyDaily = pgTable(
  'energy_daily',
  {
    chargerId: text('charger_id')
      .notNull()
      .references(() => chargers.id, { onDelete: 'cascade' }),
    day: date('day', { mode: 'string' }).notNull(),
    energyWh: bigint('energy_wh', { mode: 'number' }).notNull().default(0),
    minutes: doublePrecision('minutes').notNull().default(0),
    sessions: integer('sessions').notNull().default(0),
  },
  (t) => [
    primaryKey({ columns: [t.chargerId, t.day] }),
    check('energy_daily_nonneg', sql`${t.energyWh} >= 0 and ${t.minutes} >= 0 and ${t.sessions} >= 0`),
    index('energy_daily_day_idx').on(t.day),
  ],
);

/** Other things chargers tell us: DataTransfer, firmware and diagnostics status (OCPP 1.6 §4.3, §4.4, §4.5). */
export const chargerEvents = pgTable(
  'charger_events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    chargerId: text('charger_id')
      .notNull()
      .references(() => chargers.id, { onDelete: 'cascade' }),
    at: timestamp('at', { withTimezone: true }).notNull(),
    kind: text('kind').notNull(),
    payload: jsonb('payload'),
  },
  (t) => [index('charger_events_charger_at_idx').on(t.chargerId, t.at)],
);

export type TransactionRow = typeof transactions.$inferSelect;
