import type { OcppHandler } from '../context.ts';
import { effectiveState } from '../context.ts';

type Params = { connectorId: number; errorCode: string; status: string; info?: string; timestamp?: string; vendorId?: string; vendorErrorCode?: string };

/**
 * StatusNotification (OCPP 1.6 §4.9): per connector with its error code; the
 * charger's legacy `vchstate` becomes this status (SPEC §3).
 */
export const statusNotification: OcppHandler<Params> = async ({ app, chargerId, now }, p) => {
  await app.repos.chargers.recordStatus(
    chargerId,
    { connectorId: p.connectorId, status: p.status, errorCode: p.errorCode, info: p.info, vendorId: p.vendorId, vendorErrorCode: p.vendorErrorCode },
    now,
  );
  const row = await app.repos.chargers.get(chargerId);
  app.events.publish({
    type: 'status',
    chargerId,
    at: now.toISOString(),
    connectorId: p.connectorId,
    status: p.status,
    errorCode: p.errorCode,
    state: row ? effectiveState(row) : p.status,
  });
  return {};
};
