import { and, asc, count, desc, eq, inArray, isNotNull, isNull, lte, not, sql, type SQL } from 'drizzle-orm';
import type { DbOrTx } from '../client.ts';
import { rawRows } from '../raw.ts';
import {
  alertOutbox,
  alerts,
  type AlertNotice,
  type AlertOutboxRow,
  type AlertRow,
  type AlertSeverity,
} from '../schema/index.ts';

export interface AlertInput {
  at: Date;
  kind: string;
  severity: AlertSeverity;
  chargerId?: string | null | undefined;
  connectorId?: number | null | undefined;
  transactionId?: number | null | undefined;
  message: string;
  details?: Record<string, unknown> | undefined;
  /** The same key raises once: a resent message raises nothing new. */
  dedupKey?: string | null | undefined;
  /** A condition's cause: one open alert per (kind, cause) until it is cleared (alerts_open_cause). */
  cause?: string | null | undefined;
}

/** Which open alerts of one kind a clear ends. */
export interface ClearScope {
  kind: string | string[];
  /** Exactly these causes. */
  causes?: string[] | undefined;
  chargerId?: string | undefined;
  connectorId?: number | undefined;
  /** All open ones of the scope except this one (the condition that still holds). */
  keep?: { kind: string; cause: string } | undefined;
}

export interface AlertFilter {
  /** open: not cleared. */
  state: 'open' | 'all';
}

/** Kinds whose alert the system clears itself, or the energy review does: acknowledging one does not clear it. */
const CLEARED_ELSEWHERE = sql`(${alerts.cause} is not null or ${alerts.kind} = 'meter_anomaly')`;

export interface OutboxEntry {
  entry: AlertOutboxRow;
  alert: AlertRow;
}

/** The ways a notice leaves the system, each with its own delivery state (db/schema/alerts.ts alert_outbox). */
export const ALERT_CHANNELS = ['webhook', 'email'] as const;
export type AlertChannel = (typeof ALERT_CHANNELS)[number];

/** One channel's delivery state of a notice. */
export interface ChannelState {
  settledAt: Date | null;
  attempts: number;
  nextAttemptAt: Date;
  lastError: string | null;
}

/** Each channel's columns: SQL names for the raw statements, the typed column for the query builder. */
const CHANNEL_COLUMNS = {
  webhook: {
    settled: sql.raw('settled_at'),
    next: sql.raw('next_attempt_at'),
    settledAt: alertOutbox.settledAt,
  },
  email: {
    settled: sql.raw('email_settled_at'),
    next: sql.raw('email_next_attempt_at'),
    settledAt: alertOutbox.emailSettledAt,
  },
} as const;

/** A notice's delivery state on one channel. */
export function channelState(entry: AlertOutboxRow, channel: AlertChannel): ChannelState {
  return channel === 'webhook'
    ? {
        settledAt: entry.settledAt,
        attempts: entry.attempts,
        nextAttemptAt: entry.nextAttemptAt,
        lastError: entry.lastError,
      }
    : {
        settledAt: entry.emailSettledAt,
        attempts: entry.emailAttempts,
        nextAttemptAt: entry.emailNextAttemptAt,
        lastError: entry.emailLastError,
      };
}

/** The update setting one channel's state (the other channels' columns untouched). */
function setChannel(channel: AlertChannel, state: Partial<ChannelState>): Partial<AlertOutboxRow> {
  if (channel === 'webhook') return state;
  const out: Partial<AlertOutboxRow> = {};
  if (state.settledAt !== undefined) out.emailSettledAt = state.settledAt;
  if (state.attempts !== undefined) out.emailAttempts = state.attempts;
  if (state.nextAttemptAt !== undefined) out.emailNextAttemptAt = state.nextAttemptAt;
  if (state.lastError !== undefined) out.emailLastError = state.lastError;
  return out;
}

/** Alerts the system raises and clears for an operator (docs/OPERATIONS.md "Alerts"). */
export function createAlertRepository(db: DbOrTx) {
  const where = (f: AlertFilter): SQL | undefined => (f.state === 'open' ? isNull(alerts.clearedAt) : undefined);
  return {
    /**
     * Raises each alert unless one with its dedup key exists, or one of its
     * kind and cause is open (either unique index: concurrent raises of one
     * cause leave one row); returns the ones raised now.
     */
    async raise(inputs: AlertInput[]): Promise<AlertRow[]> {
      if (inputs.length === 0) return [];
      return db
        .insert(alerts)
        .values(
          inputs.map((a) => ({
            ...a,
            details: a.details ?? {},
            chargerId: a.chargerId ?? null,
            connectorId: a.connectorId ?? null,
            transactionId: a.transactionId ?? null,
            dedupKey: a.dedupKey ?? null,
            cause: a.cause ?? null,
          })),
        )
        .onConflictDoNothing()
        .returning();
    },

    /** Ends the open alerts of a condition; returns the ones cleared now (none when nothing was open). */
    async clear(scope: ClearScope, at: Date): Promise<AlertRow[]> {
      if (scope.causes && scope.causes.length === 0) return [];
      const kinds = typeof scope.kind === 'string' ? [scope.kind] : scope.kind;
      const conds: SQL[] = [inArray(alerts.kind, kinds), isNull(alerts.clearedAt), isNotNull(alerts.cause)];
      if (scope.causes) conds.push(inArray(alerts.cause, scope.causes));
      if (scope.keep) conds.push(not(and(eq(alerts.kind, scope.keep.kind), eq(alerts.cause, scope.keep.cause))!));
      if (scope.chargerId !== undefined) conds.push(eq(alerts.chargerId, scope.chargerId));
      if (scope.connectorId !== undefined) conds.push(eq(alerts.connectorId, scope.connectorId));
      return db
        .update(alerts)
        .set({ clearedAt: at })
        .where(and(...conds))
        .returning();
    },

    /** The causes of a kind's open alerts. */
    async openCauses(kind: string): Promise<string[]> {
      const rows = await db
        .select({ cause: alerts.cause })
        .from(alerts)
        .where(and(eq(alerts.kind, kind), isNull(alerts.clearedAt), isNotNull(alerts.cause)));
      return rows.map((r) => r.cause!);
    },

    async get(id: number): Promise<AlertRow | undefined> {
      const [row] = await db.select().from(alerts).where(eq(alerts.id, id));
      return row;
    },

    /** Newest first (alerts_at_idx; alerts_open_idx for the open ones). */
    async page(offset: number, limit: number, filter: AlertFilter = { state: 'all' }): Promise<AlertRow[]> {
      return db
        .select()
        .from(alerts)
        .where(where(filter))
        .orderBy(desc(alerts.at), desc(alerts.id))
        .offset(offset)
        .limit(limit);
    },

    async count(filter: AlertFilter = { state: 'all' }): Promise<number> {
      const [row] = await db.select({ n: count() }).from(alerts).where(where(filter));
      return Number(row?.n ?? 0);
    },

    /** Open and not acknowledged: what the dashboard's bell counts. */
    async countUnacknowledged(): Promise<number> {
      const [row] = await db
        .select({ n: count() })
        .from(alerts)
        .where(and(isNull(alerts.clearedAt), isNull(alerts.acknowledgedAt)));
      return Number(row?.n ?? 0);
    },

    /**
     * An operator acknowledges an alert: the first acknowledgement is kept
     * (repeating it changes nothing). A one-time notice (no cause, not a
     * meter anomaly) has nothing left to clear it, so it is cleared too.
     * Undefined when there is no such alert.
     */
    async acknowledge(id: number, by: string, at: Date): Promise<AlertRow | undefined> {
      const [row] = await db
        .update(alerts)
        .set({
          acknowledgedAt: at,
          acknowledgedBy: by,
          clearedAt: sql`case when ${alerts.clearedAt} is null and not ${CLEARED_ELSEWHERE} then ${at.toISOString()}::timestamptz else ${alerts.clearedAt} end`,
        })
        .where(and(eq(alerts.id, id), isNull(alerts.acknowledgedAt)))
        .returning();
      return row ?? this.get(id);
    },

    async forTransaction(transactionId: number): Promise<AlertRow[]> {
      return db.select().from(alerts).where(eq(alerts.transactionId, transactionId)).orderBy(alerts.id);
    },

    /** Acknowledges and clears a session's open alerts of these kinds (the operator decided on them). */
    async acknowledgeForTransaction(transactionId: number, kinds: string[], by: string, at: Date): Promise<number> {
      const rows = await db
        .update(alerts)
        .set({
          acknowledgedAt: at,
          acknowledgedBy: by,
          clearedAt: sql`coalesce(${alerts.clearedAt}, ${at.toISOString()}::timestamptz)`,
        })
        .where(and(eq(alerts.transactionId, transactionId), inArray(alerts.kind, kinds), isNull(alerts.acknowledgedAt)))
        .returning({ id: alerts.id });
      return rows.length;
    },

    /**
     * Takes the raises and clears not yet announced, oldest first, marking
     * them announced at `at` (SKIP LOCKED: with several processes each is
     * taken by one). They are marked delivered too on each channel of
     * `settle`: the ones this process has no receiver for, so that a
     * receiver configured later does not get the past.
     */
    async takeUnpublished(at: Date, limit: number, settle: readonly AlertChannel[]): Promise<OutboxEntry[]> {
      const stamp = sql`${at.toISOString()}::timestamptz`;
      const settles = settle.map((c) => {
        const col = CHANNEL_COLUMNS[c].settled;
        return sql`, ${col} = coalesce(${col}, ${stamp})`;
      });
      const taken = await rawRows<{ id: string | number }>(
        db,
        sql`
        update ${alertOutbox} set published_at = ${stamp}${sql.join(settles)}
        where id in (
          select id from ${alertOutbox} where published_at is null order by id limit ${limit}
          for update skip locked)
        returning id`,
      );
      return this.entries(taken.map((r) => Number(r.id)));
    },

    /**
     * Takes up to `limit` notices undelivered on `channel` due at `now` for an
     * attempt, pushing their next attempt on it to `now + leaseMs` so that
     * another process (or this one after a crash) tries again only after it.
     * FOR UPDATE without SKIP LOCKED: the channels share the outbox row, and
     * skipping a row the other channel's statement holds would leave it unsent
     * until the next poll; the wait is one short statement (no attempt runs
     * inside one), and PostgreSQL re-checks the due condition after it, so a
     * row another process just took is not taken twice. Locked in id order
     * whatever the channel, so two channels' takes cannot deadlock.
     */
    async takeDue(channel: AlertChannel, now: Date, leaseMs: number, limit: number): Promise<OutboxEntry[]> {
      const { settled, next } = CHANNEL_COLUMNS[channel];
      const taken = await rawRows<{ id: string | number }>(
        db,
        sql`
        update ${alertOutbox} set ${next} = ${new Date(now.getTime() + leaseMs).toISOString()}::timestamptz
        where id in (
          select id from ${alertOutbox}
          where ${settled} is null and ${next} <= ${now.toISOString()}::timestamptz
          order by id limit ${limit}
          for update)
        returning id`,
      );
      return this.entries(taken.map((r) => Number(r.id)));
    },

    async entries(ids: number[]): Promise<OutboxEntry[]> {
      if (ids.length === 0) return [];
      const rows = await db
        .select({ entry: alertOutbox, alert: alerts })
        .from(alertOutbox)
        .innerJoin(alerts, eq(alerts.id, alertOutbox.alertId))
        .where(inArray(alertOutbox.id, ids))
        .orderBy(asc(alertOutbox.id));
      return rows;
    },

    async delivered(channel: AlertChannel, id: number, at: Date, attempts: number): Promise<void> {
      await db
        .update(alertOutbox)
        .set(setChannel(channel, { settledAt: at, attempts, lastError: null }))
        .where(eq(alertOutbox.id, id));
    },

    /** No more attempts on `channel`: its receiver failed for longer than the give-up period. */
    async givenUp(channel: AlertChannel, id: number, at: Date, attempts: number, error: string): Promise<void> {
      await db
        .update(alertOutbox)
        .set(setChannel(channel, { settledAt: at, attempts, lastError: `given up: ${error}`.slice(0, 500) }))
        .where(eq(alertOutbox.id, id));
    },

    async deliveryFailed(
      channel: AlertChannel,
      id: number,
      attempts: number,
      nextAttemptAt: Date,
      error: string,
    ): Promise<void> {
      await db
        .update(alertOutbox)
        .set(setChannel(channel, { attempts, nextAttemptAt, lastError: error.slice(0, 500) }))
        .where(eq(alertOutbox.id, id));
    },

    /**
     * charger.offline for every charger offline (silent, or its socket gone)
     * for `intervals` × its heartbeat interval since it was last seen (the
     * threshold of server/ocpp/offline.ts); never-seen chargers raise nothing.
     * Returns how many were raised.
     */
    async raiseOffline(now: Date, intervals: number): Promise<number> {
      const at = now.toISOString();
      const rows = await rawRows<{ id: number }>(
        db,
        sql`insert into alerts (at, kind, severity, charger_id, message, details, cause)
          select ${at}::timestamptz, 'charger.offline', 'warning', c.id,
            'Charger ' || c.id || ' has sent nothing since '
              || to_char(c.last_seen_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
            jsonb_build_object('lastSeenAt', c.last_seen_at, 'heartbeatInterval', c.heartbeat_interval), c.id
          from chargers c
          where not c.online and c.last_seen_at is not null
            and c.last_seen_at + make_interval(secs => c.heartbeat_interval * ${intervals}::int) < ${at}::timestamptz
            and not exists (select 1 from alerts a
              where a.kind = 'charger.offline' and a.cause = c.id and a.cleared_at is null)
          on conflict do nothing
          returning id`,
      );
      return rows.length;
    },

    /** Clears charger.offline of every charger online again; returns how many. */
    async clearOnline(now: Date): Promise<number> {
      const rows = await rawRows<{ id: number }>(
        db,
        sql`update alerts set cleared_at = ${now.toISOString()}::timestamptz
          where kind = 'charger.offline' and cleared_at is null
            and charger_id in (select id from chargers where online)
          returning id`,
      );
      return rows.length;
    },

    /** Notices still to deliver on `channel` (the webhook unless said), oldest first; the whole row. */
    async undelivered(now: Date, channel: AlertChannel = 'webhook'): Promise<AlertOutboxRow[]> {
      return db
        .select()
        .from(alertOutbox)
        .where(and(isNull(CHANNEL_COLUMNS[channel].settledAt), lte(alertOutbox.createdAt, now)))
        .orderBy(alertOutbox.id);
    },
  };
}

export type AlertRepository = ReturnType<typeof createAlertRepository>;
export type { AlertNotice };
