import type { Static } from '@sinclair/typebox';
import type { CloseTransactionBody, TransactionItem } from '../../../server/api/transactions/schemas.ts';
import { post } from './client.ts';

/** A session as /api/transactions answers it (the server's TypeBox schema, server/api/transactions/schemas.ts). */
export type Transaction = Static<typeof TransactionItem>;
export type CloseTransaction = Static<typeof CloseTransactionBody>;

export const transactionsApi = {
  /** An operator closes a session its charger never stopped; a repeat answers the closed session again. */
  close: (id: number, body: CloseTransaction) => post<Transaction>(`/api/transactions/${id}/close`, body),
};
