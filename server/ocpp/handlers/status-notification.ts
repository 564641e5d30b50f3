import { closeOrphanSessions } from '../close-sessions.ts';
import type { OcppHandler } from '../context.ts';
import { effectiveState } from '../context.ts';
import { measureSkew } from '../clock-skew.ts';

type Params = {
  connectorId: number;
  errorCode: string;
  status: string;
  info?: string;
  timestamp?: string;
  vendorId?: string;
  vendorErrorCode?: string;
};

/**
 * StatusNotification (OCPP 1.6 §4.9): per connector with its error code; the
 * charger's legacy `vchstate` becomes this status (docs/PRODUCT.md §3). The status
 * counts from its receive time, so the optional timestamp only measures the
 * charger's clock skew (clock-skew.ts). A connector
 * that reports Available has no transaction (§3.7 ChargePointStatus): a
 * session still open on it lost its StopTransaction and is closed with
 * reason Other (§7.34), at the status's timestamp when it is a plausible
 * one (not ahead of our clock), else now.
 */
export const statusNotification: OcppHandler<Params> = async (ctx, p) => {
  const { app, chargerId, now } = ctx;
  // Group-committed with other chargers' statuses (live-writes.ts).
  const written = await app.ocpp.live.status(
    chargerId,
    {
      connectorId: p.connectorId,
      status: p.status,
      errorCode: p.errorCode,
      info: p.info,
      vendorId: p.vendorId,
      vendorErrorCode: p.vendorErrorCode,
    },
    now,
  );
  if (p.timestamp) await measureSkew(ctx, [new Date(p.timestamp)]);
  let state = written.found ? effectiveState(written) : p.status;
  if (written.openConnectors.includes(p.connectorId)) {
    const told = p.timestamp ? new Date(p.timestamp) : undefined;
    const at = told && !Number.isNaN(told.getTime()) && told <= now ? told : now;
    await closeOrphanSessions(
      app,
      chargerId,
      { connectorId: p.connectorId, cause: 'connector-available', reason: 'Other', at },
      now,
    );
    const row = await app.repos.chargers.get(chargerId);
    if (row) state = effectiveState(row);
  }
  app.events.publish({
    type: 'status',
    chargerId,
    at: now.toISOString(),
    connectorId: p.connectorId,
    status: p.status,
    errorCode: p.errorCode,
    state,
  });
  return {};
};
