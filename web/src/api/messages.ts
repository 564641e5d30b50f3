import type { Static } from '@sinclair/typebox';
import type { MessageItem, MessagePage, MessageQuery } from '../../../server/api/messages/schemas.ts';
import { get } from './client.ts';

/** One logged OCPP frame (server/api/messages/schemas.ts MessageItem). */
export type OcppMessage = Static<typeof MessageItem>;
export type OcppMessagePage = Static<typeof MessagePage>;
/** The log's filters; limit and before page it. */
export type OcppMessageFilter = Partial<Static<typeof MessageQuery>>;

export const messagesApi = {
  /** GET /api/chargers/<id>/messages: newest first, keyset paged by `before`. */
  page: (chargerId: string, filter: OcppMessageFilter, signal?: AbortSignal) =>
    get<OcppMessagePage>(
      `/api/chargers/${encodeURIComponent(chargerId)}/messages`,
      {
        action: filter.action,
        direction: filter.direction,
        errors: filter.errors === undefined ? undefined : String(filter.errors),
        messageId: filter.messageId,
        before: filter.before,
        limit: filter.limit,
      },
      signal,
    ),
};
