import type { Static } from '@sinclair/typebox';
import type {
  CloseTransactionBody,
  TransactionItem,
  TransactionPage,
  TransactionQuery,
} from '../../../server/api/transactions/schemas.ts';
import type { MeterValuesAnswer, SessionAnswer } from '../../../server/api/transactions/session-schemas.ts';
import { get, post, withQuery } from './client.ts';

/** A session as /api/transactions answers it (the server's TypeBox schema, server/api/transactions/schemas.ts). */
export type Transaction = Static<typeof TransactionItem>;
export type CloseTransaction = Static<typeof CloseTransactionBody>;
export type TransactionList = Static<typeof TransactionPage>;
/** The list's filters and order (every query field but paging and format). */
export type SessionFilter = Omit<Partial<Static<typeof TransactionQuery>>, 'page' | 'pageSize' | 'format' | 'after'>;
/** GET /api/transactions/<id>: the session with its allowances and commands (server/api/transactions/session-schemas.ts). */
export type Session = Static<typeof SessionAnswer>;
export type MeterValues = Static<typeof MeterValuesAnswer>;
export type MeterSample = MeterValues['items'][number];

export const transactionsApi = {
  /** An operator closes a session its charger never stopped; a repeat answers the closed session again. */
  close: (id: number, body: CloseTransaction) => post<Transaction>(`/api/transactions/${id}/close`, body),
  /** One page of the sessions list, after the previous page's `next` (keyset paging). */
  list: (filter: SessionFilter, pageSize: number, after?: string) =>
    get<TransactionList>('/api/transactions', { ...filter, pageSize, after }),
  /** The CSV export of exactly the filtered rows, in the list's order. */
  csvUrl: (filter: SessionFilter) => withQuery('/api/transactions', { ...filter, format: 'csv' }),
  session: (id: number) => get<Session>(`/api/transactions/${id}`),
  meterValues: (id: number, points?: number) => get<MeterValues>(`/api/transactions/${id}/meter-values`, { points }),
};
