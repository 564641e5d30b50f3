import type { Static } from '@sinclair/typebox';
import type { Alert, AlertState } from '../../../contracts/alerts.ts';
import type { AlertPage } from '../../../server/api/alerts/schemas.ts';
import { get, post } from './client.ts';

/** A page of alerts as GET /api/alerts answers it (server/api/alerts/schemas.ts). */
export type AlertList = Static<typeof AlertPage>;
export type { Alert, AlertState };

/** Fired on the window when this page changed an alert (an acknowledgement), so the bell counts again. */
export const ALERTS_CHANGED = 'chargeops:alerts-changed';

export const alertsApi = {
  list: (query: { state: AlertState; page?: number; pageSize?: number }) => get<AlertList>('/api/alerts', query),
  ack: (id: number) => post<Alert>(`/api/alerts/${id}/ack`),
};
