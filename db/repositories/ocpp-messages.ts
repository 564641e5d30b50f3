import { and, desc, eq, lt, sql, type SQL } from 'drizzle-orm';
import type { DbOrTx } from '../client.ts';
import { rawRows } from '../raw.ts';
import { ocppMessages, type MessageDirection, type OcppMessageInsert, type OcppMessageRow } from '../schema/index.ts';

export interface MessageFilter {
  chargerId: string;
  action?: string | undefined;
  direction?: MessageDirection | undefined;
  /** Only CALLERROR frames. */
  errors?: boolean | undefined;
  messageId?: string | undefined;
  /** Keyset: rows with a smaller id (older). */
  before?: number | undefined;
  limit: number;
}

/** The OCPP message log (db/schema/ocpp-messages.ts), written by server/ocpp/message-log/. */
export function createOcppMessageRepository(db: DbOrTx) {
  return {
    /**
     * One multi-row statement; the rows keep their order in `id`. They travel
     * as one JSON parameter, as the meter ingest's do (meter-ingest.ts): a
     * builder insert binds eight parameters a row, and building that
     * statement cost the busiest server a fifth of its core.
     */
    async insertMany(rows: OcppMessageInsert[]): Promise<void> {
      if (rows.length === 0) return;
      const json = JSON.stringify(
        rows.map((r) => ({
          charger_id: r.chargerId,
          at: r.at.toISOString(),
          direction: r.direction,
          message_type: r.messageType,
          message_id: r.messageId ?? null,
          action: r.action ?? null,
          payload: r.payload ?? null,
          error_code: r.errorCode ?? null,
          duration_ms: r.durationMs ?? null,
          size: r.size,
        })),
      );
      await db.execute(sql`insert into ocpp_messages
        (charger_id, at, direction, message_type, message_id, action, payload, error_code, duration_ms, size)
        select charger_id, at, direction, message_type, message_id, action, payload, error_code, duration_ms, size
        from rows from (jsonb_to_recordset(${json}::jsonb) as (
          charger_id text, at timestamptz, direction text, message_type text, message_id text, action text,
          payload jsonb, error_code text, duration_ms int, size int
        )) with ordinality as x(charger_id, at, direction, message_type, message_id, action, payload, error_code,
          duration_ms, size, n)
        order by n`);
    },

    /** Newest first, keyset paged by id (index ocpp_messages_charger_idx). */
    async page(f: MessageFilter): Promise<OcppMessageRow[]> {
      const where: SQL[] = [eq(ocppMessages.chargerId, f.chargerId)];
      if (f.action !== undefined) where.push(eq(ocppMessages.action, f.action));
      if (f.direction !== undefined) where.push(eq(ocppMessages.direction, f.direction));
      if (f.errors === true) where.push(eq(ocppMessages.messageType, 'CALLERROR'));
      if (f.errors === false) where.push(sql`${ocppMessages.messageType} <> 'CALLERROR'`);
      if (f.messageId !== undefined) where.push(eq(ocppMessages.messageId, f.messageId));
      if (f.before !== undefined) where.push(lt(ocppMessages.id, f.before));
      return db
        .select()
        .from(ocppMessages)
        .where(and(...where))
        .orderBy(desc(ocppMessages.id))
        .limit(f.limit);
    },

    /** Deletes up to `batch` rows logged before `cutoff`; returns how many went. */
    async pruneOlderThan(cutoff: Date, batch: number): Promise<number> {
      const rows = await rawRows<{ id: number }>(
        db,
        sql`delete from ocpp_messages where id in (
          select id from ocpp_messages where at < ${cutoff.toISOString()}::timestamptz limit ${batch}
        ) returning id`,
      );
      return rows.length;
    },

    /**
     * Deletes up to `batch` of a charger's oldest rows beyond its newest `keep`;
     * returns how many went.
     */
    async pruneBeyond(chargerId: string, keep: number, batch: number): Promise<number> {
      const rows = await rawRows<{ id: number }>(
        db,
        sql`delete from ocpp_messages where id in (
          select id from ocpp_messages where charger_id = ${chargerId} and id <= (
            select id from ocpp_messages where charger_id = ${chargerId} order by id desc offset ${keep} limit 1
          ) order by id limit ${batch}
        ) returning id`,
      );
      return rows.length;
    },
  };
}
export type OcppMessageRepository = ReturnType<typeof createOcppMessageRepository>;
