import { sql, type SQL } from 'drizzle-orm';
import type { DbOrTx } from '../client.ts';
import { rawRows } from '../raw.ts';
import { updateUnlocked } from './update-unlocked.ts';
import type { RegistrationState } from '../schema/index.ts';

/** What a BootNotification says the charger is (OCPP 1.6 §4.2); an absent field keeps the stored one. */
export interface BootInfo {
  vendor: string;
  model: string;
  serialNumber?: string | undefined;
  chargeBoxSerialNumber?: string | undefined;
  firmwareVersion?: string | undefined;
  iccid?: string | undefined;
  imsi?: string | undefined;
  meterType?: string | undefined;
  meterSerialNumber?: string | undefined;
}

export interface ConnectorStatus {
  connectorId: number;
  status: string;
  errorCode: string;
  info?: string | undefined;
  vendorId?: string | undefined;
  vendorErrorCode?: string | undefined;
}

/**
 * The writes a charger's messages make to its live state, the ones every
 * charger makes at once after a restart (its socket opened, it booted, a
 * connector's status, any other message seen) or when a site's network
 * drops (its socket closed).
 */
export type LiveWrite =
  | { kind: 'connected'; chargerId: string; at: Date }
  /** Its socket closed (and no other replaced it): offline until it is back. */
  | { kind: 'disconnected'; chargerId: string; at: Date }
  /** `interval`: the heartbeat interval to hand out, by the registration the row has when written; absent keeps it. */
  | {
      kind: 'boot';
      chargerId: string;
      at: Date;
      info: BootInfo;
      interval?: { accepted: number; pending: number } | undefined;
    }
  | { kind: 'status'; chargerId: string; at: Date; status: ConnectorStatus }
  | { kind: 'seen'; chargerId: string; at: Date; action: string };

/** The charger row after the write, as far as the message's answer and event need it. */
export interface LiveResult {
  /** false: there is no such charger (removed since it connected); nothing was written. */
  found: boolean;
  registration: RegistrationState | null;
  heartbeatInterval: number | null;
  state: string | null;
  transitionalState: string | null;
  /** boot, and status Available on connector > 0: the connectors with a session still open (close-sessions.ts). */
  openConnectors: number[];
}

type Row = {
  id: string;
  registration: RegistrationState;
  heartbeat_interval: number;
  state: string | null;
  transitional_state: string | null;
  open_connectors: number[] | null;
};

const list = (rows: SQL[]) => sql.join(rows, sql`, `);
const ts = (d: Date) => sql`${d.toISOString()}::timestamptz`;
const text = (s: string | undefined | null) => sql`${s ?? null}::text`;
const ROW = 'c.id, c.registration, c.heartbeat_interval, c.state, c.transitional_state';
const RETURNING = sql.raw(`returning ${ROW}, null::int[] as open_connectors`);
/** The connectors with a session still open, from the partial index transactions_open_idx. */
const RETURNING_OPEN = sql.raw(
  `returning ${ROW}, (select array_agg(t.connector_id) from transactions t where t.charger_id = c.id and t.stopped_at is null) as open_connectors`,
);

function ofKind<K extends LiveWrite['kind']>(writes: LiveWrite[], kind: K) {
  return writes.filter((w): w is Extract<LiveWrite, { kind: K }> => w.kind === kind);
}

/**
 * One statement for the whole batch: a data-modifying CTE per kind of write,
 * each covering every charger of that kind, and their rows as its result. A
 * single statement is atomic without BEGIN and COMMIT, and costs one round
 * trip (on PGlite one pass through its query queue) however many chargers
 * and kinds it holds. The CTEs touch disjoint rows (one write per charger),
 * which is what makes several updates of one table in one statement sound.
 */
function statement(writes: LiveWrite[]): SQL {
  const ctes: SQL[] = [];
  const results: string[] = [];

  const connected = ofKind(writes, 'connected');
  if (connected.length) {
    ctes.push(sql`connected as (
      update chargers as c set online = true, last_seen_at = v.at
      from (values ${list(connected.map((w) => sql`(${w.chargerId}::text, ${ts(w.at)})`))}) as v(id, at)
      where c.id = v.id ${RETURNING})`);
    results.push('connected');
  }

  const disconnected = ofKind(writes, 'disconnected');
  if (disconnected.length) {
    ctes.push(sql`disconnected as (
      update chargers as c set online = false
      where c.id in (${list(disconnected.map((w) => sql`${w.chargerId}`))}) ${RETURNING})`);
    results.push('disconnected');
  }

  // BootNotification (OCPP 1.6 §4.2): the legacy state is BootUp until the first
  // StatusNotification, and a Reset's "Reboot" ends here because the charger is back.
  const boots = ofKind(writes, 'boot');
  if (boots.length) {
    const rows = boots.map(
      ({ chargerId, at, info: i, interval }) =>
        sql`(${chargerId}::text, ${ts(at)}, ${text(i.vendor)}, ${text(i.model)}, ${text(i.serialNumber)}, ${text(i.chargeBoxSerialNumber)},
        ${text(i.firmwareVersion)}, ${text(i.iccid)}, ${text(i.imsi)}, ${text(i.meterType)}, ${text(i.meterSerialNumber)},
        ${interval?.accepted ?? null}::int, ${interval?.pending ?? null}::int)`,
    );
    ctes.push(sql`boot as (
      update chargers as c set
        vendor = v.vendor, model = v.model,
        serial_number = coalesce(v.serial_number, c.serial_number),
        charge_box_serial_number = coalesce(v.charge_box_serial_number, c.charge_box_serial_number),
        firmware_version = coalesce(v.firmware_version, c.firmware_version),
        iccid = coalesce(v.iccid, c.iccid), imsi = coalesce(v.imsi, c.imsi),
        meter_type = coalesce(v.meter_type, c.meter_type), meter_serial_number = coalesce(v.meter_serial_number, c.meter_serial_number),
        heartbeat_interval = coalesce(case when c.registration = 'Accepted' then v.accepted else v.pending end, c.heartbeat_interval),
        state = 'BootUp',
        transitional_state = case when c.transitional_state in ('Reboot') then null else c.transitional_state end,
        last_command = 'BootNotification', last_boot_at = v.at, last_seen_at = v.at, online = true, updated_at = v.at
      from (values ${list(rows)}) as v(id, at, vendor, model, serial_number, charge_box_serial_number, firmware_version, iccid, imsi, meter_type, meter_serial_number, accepted, pending)
      where c.id = v.id ${RETURNING_OPEN})`);
    results.push('boot');
  }

  // StatusNotification (OCPP 1.6 §4.9): per connector, and the charger's legacy state.
  // A removed charger's connector breaks the foreign key (23503) and fails the
  // whole statement; db/batcher.ts then retries each write alone, so only it fails.
  const statuses = ofKind(writes, 'status');
  if (statuses.length) {
    const rows = statuses.map(
      ({ chargerId, at, status: x }) =>
        sql`(${chargerId}::text, ${x.connectorId}::int, ${text(x.status)}, ${text(x.errorCode)}, ${text(x.info)}, ${text(x.vendorId)}, ${text(x.vendorErrorCode)}, ${ts(at)})`,
    );
    ctes.push(
      sql`sv(id, connector_id, status, error_code, info, vendor_id, vendor_error_code, at) as (values ${list(rows)})`,
    );
    ctes.push(sql`upsert as (
      insert into connectors (charger_id, connector_id, status, error_code, info, vendor_id, vendor_error_code, status_at, status_since, preparing_since)
      select id, connector_id, status, error_code, info, vendor_id, vendor_error_code, at, at, case when status = 'Preparing' then at end from sv
      on conflict (charger_id, connector_id) do update set
        status = excluded.status, error_code = excluded.error_code, info = excluded.info,
        vendor_id = excluded.vendor_id, vendor_error_code = excluded.vendor_error_code, status_at = excluded.status_at,
        -- a repeated status (same status and error code) keeps the moment it began
        status_since = case when connectors.status = excluded.status and connectors.error_code = excluded.error_code
          then connectors.status_since else excluded.status_at end,
        -- keep the first moment of a Preparing spell: it is the seed's dttstartqueue
        preparing_since = case when excluded.status = 'Preparing' then coalesce(connectors.preparing_since, excluded.preparing_since) else connectors.preparing_since end)`);
    ctes.push(sql`status as (
      update chargers as c set state = v.status, last_command = 'StatusNotification', last_seen_at = v.at, online = true
      from sv as v where c.id = v.id ${RETURNING_OPEN})`);
    results.push('status');
  }

  // Any other message: the charger is online, and `vchcommand` is the last action received.
  const seen = ofKind(writes, 'seen');
  if (seen.length) {
    ctes.push(sql`seen as (
      update chargers as c set last_command = v.action, last_seen_at = v.at, online = true
      from (values ${list(seen.map((w) => sql`(${w.chargerId}::text, ${text(w.action)}, ${ts(w.at)})`))}) as v(id, action, at)
      where c.id = v.id ${RETURNING})`);
    results.push('seen');
  }
  return sql`with ${list(ctes)} ${sql.raw(results.map((r) => `select * from ${r}`).join(' union all '))}`;
}

/** Whether the caller needs the open sessions: a boot closes all of them, an Available connector its own. */
const asksOpen = (w: LiveWrite) =>
  w.kind === 'boot' || (w.kind === 'status' && w.status.status === 'Available' && w.status.connectorId > 0);

function results(writes: LiveWrite[], rows: Map<string, Row>): LiveResult[] {
  return writes.map((w) => {
    const r = rows.get(w.chargerId);
    if (!r)
      return {
        found: false,
        registration: null,
        heartbeatInterval: null,
        state: null,
        transitionalState: null,
        openConnectors: [],
      };
    return {
      found: true,
      registration: r.registration,
      heartbeatInterval: r.heartbeat_interval,
      state: r.state,
      transitionalState: r.transitional_state,
      openConnectors: asksOpen(w) ? (r.open_connectors ?? []) : [],
    };
  });
}

/**
 * The live writes as a repository. `apply` writes many chargers at once in
 * one statement, all or nothing (server/ocpp/live-writes.ts batches them).
 * At most one write per charger: two writes of one charger in one statement
 * would have no order. The columns and rules are those of the single writes
 * they replace, so one row or a thousand store the same.
 */
export function createChargerLiveRepository(db: DbOrTx) {
  return {
    async apply(writes: LiveWrite[]): Promise<LiveResult[]> {
      if (writes.length === 0) return [];
      if (new Set(writes.map((w) => w.chargerId)).size !== writes.length)
        throw new Error('chargerLive.apply: at most one write per charger');
      const rows = await rawRows<Row>(db, statement(writes));
      return results(writes, new Map(rows.map((r) => [r.id, r])));
    },
    /**
     * Last-seen times kept in memory (server/ocpp/seen-buffer.ts), many
     * chargers in one statement and one JSON parameter. A time older than
     * the stored one leaves the row alone: a write that went straight to the
     * database after the buffered message is newer and stands. With
     * `skipLocked`, rows other transactions hold are left alone and their
     * ids answered (updateUnlocked).
     */
    async seenMany(entries: { chargerId: string; action: string; at: Date }[], skipLocked = false): Promise<string[]> {
      const json = JSON.stringify(entries.map((e) => ({ id: e.chargerId, action: e.action, at: e.at.toISOString() })));
      if (entries.length === 0) return [];
      return updateUnlocked(
        db,
        sql`jsonb_to_recordset(${json}::jsonb) as x(id text, action text, at timestamptz)`,
        sql`last_command = x.action, last_seen_at = x.at, online = true`,
        sql`(c.last_seen_at is null or c.last_seen_at <= x.at)`,
        skipLocked,
      );
    },
  };
}
export type ChargerLiveRepository = ReturnType<typeof createChargerLiveRepository>;
