import { sql } from 'drizzle-orm';
import { bigserial, check, index, integer, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

export const MESSAGE_DIRECTIONS = ['in', 'out'] as const;
export type MessageDirection = (typeof MESSAGE_DIRECTIONS)[number];
/** OCPP-J 1.6 §4.1.3 message types; INVALID: a frame that is none of them (unparsable, not an array). */
export const MESSAGE_TYPES = ['CALL', 'CALLRESULT', 'CALLERROR', 'INVALID'] as const;
export type MessageType = (typeof MESSAGE_TYPES)[number];

/**
 * Every OCPP frame a charger sent (`in`) or was sent (`out`), as written by the
 * message log (server/ocpp/message-log/, docs/OPERATIONS.md "OCPP message log").
 * No foreign key to chargers: the log is written off the message path in
 * batches, and what a charger id said stays readable until retention prunes it.
 * `id` orders the frames of a charger as they crossed its socket.
 */
export const ocppMessages = pgTable(
  'ocpp_messages',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    chargerId: text('charger_id').notNull(),
    at: timestamp('at', { withTimezone: true, precision: 3 }).notNull(),
    direction: text('direction').$type<MessageDirection>().notNull(),
    messageType: text('message_type').$type<MessageType>().notNull(),
    messageId: text('message_id'),
    // An answer carries its call's action (when the log saw the call).
    action: text('action'),
    // The CALL's payload, the CALLRESULT's, or a CALLERROR's {errorCode, errorDescription, errorDetails};
    // secrets redacted (server/ocpp/message-log/redact.ts), null when too large or unparsable.
    payload: jsonb('payload'),
    errorCode: text('error_code'),
    // An answer: milliseconds since its call crossed the socket.
    durationMs: integer('duration_ms'),
    // The frame's size in UTF-16 code units as ocpp-rpc read or wrote it.
    size: integer('size').notNull(),
  },
  (t) => [
    index('ocpp_messages_charger_idx').on(t.chargerId, t.id),
    index('ocpp_messages_at_idx').on(t.at),
    check('ocpp_messages_direction', sql`${t.direction} in ('in','out')`),
    check('ocpp_messages_type', sql`${t.messageType} in ('CALL','CALLRESULT','CALLERROR','INVALID')`),
  ],
);

export type OcppMessageRow = typeof ocppMessages.$inferSelect;
export type OcppMessageInsert = typeof ocppMessages.$inferInsert;
