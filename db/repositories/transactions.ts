import { and, asc, count, desc, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { DbOrTx } from '../client.ts';
import { meterValues, transactions, type StartStatus, type TransactionRow } from '../schema/index.ts';
import { createAlertRepository, type AlertInput } from './alerts.ts';
import { createAuditRepository } from './audit.ts';
import { decodeRow } from '../decode-row.ts';
import { rawRows } from '../raw.ts';
import { addToRollups, addToRollupsCtes, countClose, MINUTES_OF_ROW, uncountClose } from './session-rollups.ts';

/** An alert about one session; the repository names the session and keys it `tx:<id>:<key>` (raised once). */
export type SessionAlert = Omit<AlertInput, 'transactionId' | 'dedupKey'> & { key: string };

/** Why a stopped session's energy is held out of the rollups, or how an operator decided. */
export type ReviewOutcome =
  | { outcome: 'reviewed' | 'unchanged'; transaction: TransactionRow }
  | { outcome: 'not_found' | 'running' | 'not_flagged' }
  | { outcome: 'decided'; transaction: TransactionRow };

export interface StartInput {
  chargerId: string;
  connectorId: number;
  idTag: string;
  meterStart: number;
  startedAt: Date;
  reservationId?: number | undefined;
  plannedFinishAt?: Date | null | undefined;
  // --- implausible values ---
  /** The charger's timestamp when the receive time replaced it in startedAt; the resend dedup key. */
  chargerStartedAt?: Date | null | undefined;
  /** Why meterStart cannot be true; non-empty flags the session (its energy held for review). */
  anomalyReasons?: string[] | undefined;
  /** Raised with a new session in the same database transaction, never for a resend. */
  alerts?: SessionAlert[] | undefined;
  /** idTagInfo.status answered to this StartTransaction; not Accepted makes the session deauthorized. */
  startStatus?: StartStatus | undefined;
  /** Transitional states (chargers.transitional_state) a new session ends, such as a remote start's RemoteCharging. */
  endsTransitional?: string[] | undefined;
}

export interface StopInput {
  transactionId: number;
  meterStop: number;
  stoppedAt: Date;
  reason?: string | undefined;
  idTag?: string | undefined;
  /** Site-local day ('YYYY-MM-DD') of stoppedAt: the rollup period the session counts in. */
  localDay: string;
  // --- implausible values ---
  /** The charger's timestamp when the receive time replaced it in stoppedAt. */
  chargerStoppedAt?: Date | null | undefined;
  /** Why the stop's readings cannot be true; added to the session's own. */
  anomalyReasons?: string[] | undefined;
  /** Raised with the stop in the same database transaction (each key once). */
  alerts?: SessionAlert[] | undefined;
}

export interface SampleInput {
  chargerId: string;
  connectorId: number;
  /** Set only to a session of this charger (OCPP 1.6 §4.7: the transaction the sample belongs to). */
  transactionId: number | null;
  /** The transactionId the charger named when it is not one of its sessions; the row is then unlinked. */
  claimedTransactionId?: number | null | undefined;
  timestamp: Date;
  measurand: string;
  phase: string;
  location: string;
  context: string;
  unit: string;
  format: string;
  value: string;
}

export interface SignedReading {
  timestamp: Date;
  measurand: string;
  context: string;
  location: string;
  phase: string;
  unit: string;
  value: string;
}

const SIGNED = 'SignedData';
/** The alert kind of flagged meter readings, acknowledged by the operator's review. */
export const METER_ALERT = 'meter_anomaly';
const BACKWARDS = 'register_backwards';

async function raiseFor(
  db: DbOrTx,
  row: Pick<TransactionRow, 'id' | 'chargerId'>,
  list: SessionAlert[] | undefined,
): Promise<void> {
  if (!list?.length) return;
  await createAlertRepository(db).raise(
    list.map(({ key, ...a }) => ({
      ...a,
      chargerId: row.chargerId,
      transactionId: row.id,
      dedupKey: `tx:${row.id}:${key}`,
    })),
  );
}

/** A Preparing spell longer ago than this is not the queue of this session. */
const QUEUE_WINDOW_MS = 6 * 3600_000;

export interface StartResult {
  transaction: TransactionRow;
  duplicate: boolean;
  /** The charger's transitional state was one of `endsTransitional` and the new session cleared it. */
  transitionalCleared: boolean;
}

const jsonTextArray = (list: string[]) => sql`array(select jsonb_array_elements_text(${JSON.stringify(list)}::jsonb))`;

/**
 * StartTransaction as one statement, so a start costs one round trip and
 * holds the charger's row only while the statement runs (at 10,000
 * chargers the nine round trips of a start held it "idle in transaction"
 * while the pool queued). The charger's row is locked first (`for update`
 * inside the statement): starts on one charger are serialised, and the
 * counter read after the lock is the latest. The insert skips a resend
 * (unique index transactions_start_dedup); only an inserted session moves
 * the counter, clears the connector's queue spell and ends a remote start's
 * transitional state. A resend committed before this statement began is
 * answered by its last branch; one committing while it waited for the lock
 * leaves no row, and `startStatement` reads it after.
 */
async function startStatement(db: DbOrTx, input: StartInput): Promise<StartResult | undefined> {
  const at = input.startedAt.toISOString();
  const key = (input.chargerStartedAt ?? input.startedAt).toISOString();
  const reasons = input.anomalyReasons ?? [];
  const flags = reasons.length > 0; // as session-rollups.ts flagged(): held for review
  const ends = jsonTextArray(input.endsTransitional ?? []);
  const rows = await rawRows<Record<string, unknown> & { duplicate: boolean; cleared: boolean }>(
    db,
    sql`with locked as (
          select id, session_counter, coalesce(transitional_state = any(${ends}), false) as ending
          from chargers where id = ${input.chargerId} for update
        ), ins as (
          insert into transactions (charger_id, connector_id, id_tag, session_number, meter_start, started_at, queued_at,
            planned_finish_at, reservation_id, live_energy_wh, charger_started_at, meter_anomaly, anomaly_reasons,
            energy_review, start_status)
          select l.id, ${input.connectorId}::int, ${input.idTag}::text, l.session_counter + 1, ${input.meterStart}::bigint,
            ${at}::timestamptz,
            -- dttstartqueue: when the connector went Preparing, unless that spell is older than the queue window
            coalesce((select p.preparing_since from connectors p
                      where p.charger_id = l.id and p.connector_id = ${input.connectorId}::int
                        and p.preparing_since <= ${at}::timestamptz
                        and p.preparing_since > ${at}::timestamptz - ${`${QUEUE_WINDOW_MS} milliseconds`}::interval),
                     ${at}::timestamptz),
            ${input.plannedFinishAt?.toISOString() ?? null}::timestamptz, ${input.reservationId ?? null}::int, 0,
            ${input.chargerStartedAt?.toISOString() ?? null}::timestamptz, ${flags}::boolean,
            ${jsonTextArray(reasons)}, ${flags ? 'pending' : null}::text, ${input.startStatus ?? 'Accepted'}::text
          from locked l
          on conflict do nothing
          returning *
        ), counted as (
          update chargers as c set session_counter = i.session_number,
            transitional_state = case when l.ending then null else c.transitional_state end,
            transitional_since = case when l.ending then null else c.transitional_since end
          from ins i, locked l where c.id = i.charger_id
          returning l.ending as cleared
        ), queue_used as (
          -- the queue spell is used up by this session
          update connectors as k set preparing_since = null
          from ins i where k.charger_id = i.charger_id and k.connector_id = i.connector_id
        )
        select false as duplicate, coalesce((select cleared from counted), false) as cleared, ins.* from ins
        union all
        select true, false, transactions.* from transactions
        where not exists (select 1 from ins) and ${sameStart(input.chargerId, input, key)}`,
  );
  const row = rows[0];
  if (row)
    return { transaction: decodeRow(transactions, row), duplicate: row.duplicate, transitionalCleared: row.cleared };
  // No row: the charger is unknown, or a resend committed while this statement waited for the lock.
  const [existing] = await db
    .select()
    .from(transactions)
    .where(sameStart(input.chargerId, input, key));
  return existing ? { transaction: existing, duplicate: true, transitionalCleared: false } : undefined;
}

/**
 * The common StopTransaction as one statement: an open session with nothing
 * flagged and a register at or above its start, stopped by its charger.
 * The session, its charger's totals and the stop day's rollup (whose
 * triggers move the monthly and site ones) change in that one statement,
 * as countClose does in several, by session-rollups.ts's own rollup rule
 * (addToRollupsCtes, MINUTES_OF_ROW).
 * Anything else (a resend, a close to replace, flagged readings, alerts to
 * raise) updates no row here and goes the transactional way.
 */
async function stopPlain(db: DbOrTx, input: StopInput): Promise<TransactionRow | undefined> {
  const rows = await rawRows<Record<string, unknown>>(
    db,
    sql`with r as (
          update transactions as t set meter_stop = ${input.meterStop}::bigint, stopped_at = ${input.stoppedAt.toISOString()}::timestamptz,
            charger_stopped_at = ${input.chargerStoppedAt?.toISOString() ?? null}::timestamptz,
            stop_reason = ${input.reason ?? 'Local'}::text, stop_id_tag = ${input.idTag ?? null}::text,
            energy_wh = ${input.meterStop}::bigint - t.meter_start, live_energy_wh = ${input.meterStop}::bigint - t.meter_start,
            live_current_a = 0, live_power_w = 0, close_cause = 'charger', closed_day = ${input.localDay}::date, close_note = null
          where t.id = ${input.transactionId}::int and t.stopped_at is null and not t.meter_anomaly
            and cardinality(t.anomaly_reasons) = 0 and t.meter_start <= ${input.meterStop}::bigint
          returning t.*
        ), closed as (
          select r.charger_id, r.closed_day as day, r.energy_wh, ${MINUTES_OF_ROW} as minutes from r
        ), ${addToRollupsCtes('closed')}
        select * from r`,
  );
  return rows[0] ? decodeRow(transactions, rows[0]) : undefined;
}

/** The resend key, as the unique index transactions_start_dedup holds it. */
function sameStart(chargerId: string, input: Pick<StartInput, 'connectorId' | 'idTag' | 'meterStart'>, key: string) {
  return and(
    eq(transactions.chargerId, chargerId),
    eq(transactions.connectorId, input.connectorId),
    eq(transactions.idTag, input.idTag),
    eq(transactions.meterStart, input.meterStart),
    sql`coalesce(${transactions.chargerStartedAt}, ${transactions.startedAt}) = ${key}::timestamptz`,
  )!;
}

/**
 * Charging sessions. Every write a charger may repeat after a reconnect is
 * idempotent (docs/PRODUCT.md §5 "nothing lost, nothing doubled"), and the energy rules
 * (never negative; totals and the daily rollup move with the stop) are kept
 * inside one database transaction.
 */
export function createTransactionRepository(db: DbOrTx) {
  return {
    /**
     * StartTransaction (OCPP 1.6 §4.8). The same charger, connector, tag,
     * meterStart and timestamp gets the same transactionId back.
     */
    async start(input: StartInput): Promise<StartResult | undefined> {
      if (!input.alerts?.length) return startStatement(db, input);
      // Alerts are raised with the new session or not at all: one database transaction.
      return db.transaction(async (tx) => {
        const started = await startStatement(tx, input);
        if (started && !started.duplicate) await raiseFor(tx, started.transaction, input.alerts);
        return started;
      });
    },

    /**
     * StopTransaction (OCPP 1.6 §4.10). A repeated stop changes nothing. The
     * energy is meterStop − meterStart, never negative; a session flagged for
     * implausible readings (at its start, mid-session or now) is stored whole
     * but counted in no total or rollup until an operator confirms it.
     * A stop for a session the system or an operator closed for the charger
     * (close_cause not 'charger') replaces that close: its rollup counts move
     * out and the charger's figures in, in this one database transaction
     * (queued transaction messages arrive after a reboot, OCPP 1.6 §3.16).
     */
    async stop(
      input: StopInput,
    ): Promise<{ transaction: TransactionRow; duplicate: boolean; replaced?: TransactionRow } | undefined> {
      const plain = !input.alerts?.length && !input.anomalyReasons?.length ? await stopPlain(db, input) : undefined;
      if (plain) return { transaction: plain, duplicate: false };
      return db.transaction(async (tx) => {
        const [current] = await tx
          .select()
          .from(transactions)
          .where(eq(transactions.id, input.transactionId))
          .for('update');
        if (!current) return undefined;
        if (current.stoppedAt && current.closeCause === 'charger') return { transaction: current, duplicate: true };
        if (current.stoppedAt) await uncountClose(tx, current);
        const row = await countClose(tx, current, {
          meterStop: input.meterStop,
          stoppedAt: input.stoppedAt,
          reason: input.reason ?? 'Local',
          idTag: input.idTag ?? null,
          cause: 'charger',
          day: input.localDay,
          note: null,
          chargerStoppedAt: input.chargerStoppedAt ?? null,
          anomalyReasons: input.anomalyReasons ?? [],
        });
        await raiseFor(tx, row, input.alerts);
        return current.stoppedAt
          ? { transaction: row, duplicate: false, replaced: current }
          : { transaction: row, duplicate: false };
      });
    },

    /**
     * Closes a charger's open sessions (on one connector, or all) that it will
     * not stop itself: its connector went Available, or it rebooted (see
     * docs/OPERATIONS.md "Open sessions"). meterStop is the best reading
     * known: the last energy register sample (live energy) over meterStart.
     * Each close and its rollups commit together; a later StopTransaction
     * replaces it (`stop`).
     */
    async closeOrphans(input: {
      chargerId: string;
      connectorId?: number | undefined;
      cause: 'connector-available' | 'boot';
      reason: string;
      at: Date;
      dayOf: (at: Date) => string;
    }): Promise<TransactionRow[]> {
      return db.transaction(async (tx) => {
        const where =
          input.connectorId === undefined
            ? and(eq(transactions.chargerId, input.chargerId), isNull(transactions.stoppedAt))
            : and(
                eq(transactions.chargerId, input.chargerId),
                eq(transactions.connectorId, input.connectorId),
                isNull(transactions.stoppedAt),
              );
        const open = await tx.select().from(transactions).where(where).orderBy(transactions.id).for('update');
        const closed: TransactionRow[] = [];
        for (const current of open) {
          // A start stamped after "now" (a skewed clock) still closes no earlier than it began.
          const stoppedAt = current.startedAt > input.at ? current.startedAt : input.at;
          closed.push(
            await countClose(tx, current, {
              meterStop: current.meterStart + (current.liveEnergyWh ?? 0),
              stoppedAt,
              reason: input.reason,
              idTag: null,
              cause: input.cause,
              day: input.dayOf(stoppedAt),
              note: null,
            }),
          );
        }
        return closed;
      });
    },

    /**
     * An operator closes a session the charger never stopped. `changed`
     * false: it was closed already, not by the charger, and stays as it is
     * (a repeat is not an error); 'charger' says the charger stopped it.
     * The audit row is written in the same database transaction as the close.
     */
    async closeByOperator(
      id: number,
      input: {
        at: Date;
        dayOf: (at: Date) => string;
        note: string | null;
        audit: (tx: DbOrTx, before: TransactionRow, after: TransactionRow) => Promise<void>;
      },
    ): Promise<{ outcome: 'closed' | 'unchanged' | 'charger'; transaction: TransactionRow } | undefined> {
      return db.transaction(async (tx) => {
        const [current] = await tx.select().from(transactions).where(eq(transactions.id, id)).for('update');
        if (!current) return undefined;
        if (current.stoppedAt)
          return { outcome: current.closeCause === 'charger' ? 'charger' : 'unchanged', transaction: current };
        const stoppedAt = current.startedAt > input.at ? current.startedAt : input.at;
        const row = await countClose(tx, current, {
          meterStop: current.meterStart + (current.liveEnergyWh ?? 0),
          stoppedAt,
          reason: 'Other', // OCPP 1.6 §7.34 Reason: none of the others says "an operator closed it"
          idTag: null,
          cause: 'operator',
          day: input.dayOf(stoppedAt),
          note: input.note,
        });
        await input.audit(tx, current, row);
        return { outcome: 'closed', transaction: row };
      });
    },

    /**
     * An operator's decision on a stopped session's flagged energy: confirmed
     * adds it to the totals and the daily rollup of its stop day, rejected
     * keeps it out for good; either acknowledges the session's meter alerts
     * and is audited, in one database transaction. Deciding the same way
     * again changes nothing; the other way is refused.
     */
    async reviewEnergy(input: {
      transactionId: number;
      decision: 'confirmed' | 'rejected';
      by: string;
      at: Date;
      localDay: (stoppedAt: Date) => string;
    }): Promise<ReviewOutcome> {
      return db.transaction(async (tx) => {
        const [current] = await tx
          .select()
          .from(transactions)
          .where(eq(transactions.id, input.transactionId))
          .for('update');
        if (!current) return { outcome: 'not_found' };
        if (!current.stoppedAt) return { outcome: 'running' };
        if (current.energyReview === null) return { outcome: 'not_flagged' };
        if (current.energyReview === input.decision) return { outcome: 'unchanged', transaction: current };
        if (current.energyReview !== 'pending') return { outcome: 'decided', transaction: current };
        const [row] = await tx
          .update(transactions)
          .set({ energyReview: input.decision, energyReviewedAt: input.at, energyReviewedBy: input.by })
          .where(eq(transactions.id, current.id))
          .returning();
        if (input.decision === 'confirmed')
          await addToRollups(tx, row!, row!.closedDay ?? input.localDay(row!.stoppedAt!));
        await createAlertRepository(tx).acknowledgeForTransaction(current.id, [METER_ALERT], input.by, input.at);
        await createAuditRepository(tx).record({
          at: input.at,
          actor: input.by,
          action: `transaction.energy.${input.decision === 'confirmed' ? 'confirm' : 'reject'}`,
          target: `transaction:${current.id}`,
          before: { energyReview: current.energyReview },
          after: { energyReview: input.decision, energyWh: row!.energyWh, anomalyReasons: row!.anomalyReasons },
        });
        return { outcome: 'reviewed', transaction: row! };
      });
    },

    async get(id: number): Promise<TransactionRow | undefined> {
      return (await db.select().from(transactions).where(eq(transactions.id, id)))[0];
    },

    /** The running session on a connector (or any connector), newest first. */
    async open(chargerId: string, connectorId?: number): Promise<TransactionRow | undefined> {
      const where =
        connectorId === undefined
          ? and(eq(transactions.chargerId, chargerId), isNull(transactions.stoppedAt))
          : and(
              eq(transactions.chargerId, chargerId),
              eq(transactions.connectorId, connectorId),
              isNull(transactions.stoppedAt),
            );
      return (await db.select().from(transactions).where(where).orderBy(desc(transactions.startedAt)).limit(1))[0];
    },

    /**
     * The tag's open sessions that make it ConcurrentTx (OCPP 1.6 §7.15):
     * only those whose start was Accepted. A deauthorized session (Invalid,
     * ConcurrentTx, ... at start) never locks its tag, even while it charges.
     */
    async openForTag(idTag: string): Promise<TransactionRow[]> {
      // Id tags ignore case (OCPP 1.6 §7.29); open sessions are few (partial index transactions_open_idx).
      return db
        .select()
        .from(transactions)
        .where(
          and(
            sql`lower(${transactions.idTag}) = lower(${idTag})`,
            isNull(transactions.stoppedAt),
            eq(transactions.startStatus, 'Accepted'),
          ),
        );
    },

    /**
     * MeterValues (OCPP 1.6 §4.7) and StopTransaction.transactionData: a resent
     * sample is stored once. Returns how many were new.
     */
    async addSamples(samples: SampleInput[]): Promise<number> {
      if (samples.length === 0) return 0;
      const rows = await db
        .insert(meterValues)
        .values(
          samples.map((s) => ({
            ...s,
            claimedTransactionId: s.claimedTransactionId ?? null,
            claimRejected: s.claimedTransactionId != null,
          })),
        )
        .onConflictDoNothing()
        .returning({ id: meterValues.id });
      return rows.length;
    },

    /** The session's SignedData readings (OCPP 1.6 §7.31 format SignedData), in time order, values verbatim. */
    async signedReadings(transactionId: number): Promise<SignedReading[]> {
      return db
        .select({
          timestamp: meterValues.timestamp,
          measurand: meterValues.measurand,
          context: meterValues.context,
          location: meterValues.location,
          phase: meterValues.phase,
          unit: meterValues.unit,
          value: meterValues.value,
        })
        .from(meterValues)
        .where(and(eq(meterValues.transactionId, transactionId), eq(meterValues.format, SIGNED)))
        .orderBy(asc(meterValues.timestamp), asc(meterValues.id));
    },

    /** How many SignedData readings each of these sessions has (absent: none). */
    async signedCounts(transactionIds: number[]): Promise<Map<number, number>> {
      if (transactionIds.length === 0) return new Map();
      const rows = await db
        .select({ id: meterValues.transactionId, n: count() })
        .from(meterValues)
        .where(and(inArray(meterValues.transactionId, transactionIds), eq(meterValues.format, SIGNED)))
        .groupBy(meterValues.transactionId);
      return new Map(rows.map((r) => [r.id!, Number(r.n)]));
    },

    /**
     * Live figures of a running session (seed 2.1 intchargingcurrent /
     * intconsumedenergy). An energy register reading below meterStart or below
     * an earlier reading of the session went backwards: the session is flagged
     * in the same statement (anomaly register_backwards). Returns the session
     * when it is flagged for that, so the caller raises its alert (once, by key).
     */
    async updateLive(
      id: number,
      live: { currentA?: number | undefined; powerW?: number | undefined; energyWh?: number | undefined },
    ): Promise<TransactionRow | undefined> {
      const set: Record<string, unknown> = {};
      if (live.currentA !== undefined) set.liveCurrentA = live.currentA;
      if (live.powerW !== undefined) set.livePowerW = live.powerW;
      if (live.energyWh !== undefined) {
        const e = Math.round(live.energyWh);
        set.liveEnergyWh = Math.max(0, e);
        const backwards = sql`(${e}::bigint < 0 or ${e}::bigint < coalesce(${transactions.liveEnergyWh}, 0))`;
        set.meterAnomaly = sql`${transactions.meterAnomaly} or ${backwards}`;
        set.anomalyReasons = sql`case when ${backwards} and not (${BACKWARDS} = any(${transactions.anomalyReasons})) then array_append(${transactions.anomalyReasons}, ${BACKWARDS}::text) else ${transactions.anomalyReasons} end`;
        set.energyReview = sql`case when ${backwards} then coalesce(${transactions.energyReview}, 'pending') else ${transactions.energyReview} end`;
      }
      if (Object.keys(set).length === 0) return undefined;
      const [row] = await db
        .update(transactions)
        .set(set as Partial<typeof transactions.$inferInsert>)
        .where(and(eq(transactions.id, id), isNull(transactions.stoppedAt)))
        .returning();
      return row && row.anomalyReasons.includes(BACKWARDS) ? row : undefined;
    },

    /** Raises alerts about a session, each key once (`tx:<id>:<key>`). */
    async raiseAlerts(row: Pick<TransactionRow, 'id' | 'chargerId'>, list: SessionAlert[]): Promise<void> {
      await raiseFor(db, row, list);
    },
  };
}
export type TransactionRepository = ReturnType<typeof createTransactionRepository>;
