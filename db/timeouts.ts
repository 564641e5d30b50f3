/**
 * PostgreSQL connection limits (README "configuration"). Without them a
 * black-holed network (no RST, no FIN) holds a query, its pooled connection
 * and its caller forever.
 */
export interface PgTimeouts {
  /** Opening a connection, or waiting for a free one in a full pool (pg-pool connectionTimeoutMillis). */
  connectMs: number;
  /** Client side: a query with no answer by then fails and its connection is destroyed (guarded-pool.ts). */
  queryMs: number;
  /** Server side statement_timeout: the server cancels a slow statement (lock waits included). */
  statementMs: number;
  /** Server side idle_in_transaction_session_timeout: ends a session whose client vanished mid-transaction, releasing its locks. */
  idleInTransactionMs: number;
  /** An idle pooled connection is closed after this (pg-pool idleTimeoutMillis). */
  idleMs: number;
  /** TCP keepalive starts probing an idle socket after this (keepAliveInitialDelayMillis). */
  keepAliveDelayMs: number;
}

export const DEFAULT_PG_TIMEOUTS: PgTimeouts = {
  connectMs: 5_000,
  queryMs: 10_000,
  statementMs: 8_000,
  idleInTransactionMs: 15_000,
  idleMs: 30_000,
  keepAliveDelayMs: 10_000,
};
