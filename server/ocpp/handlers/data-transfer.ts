import type { OcppHandler } from '../context.ts';
import { markSeen } from '../mark-seen.ts';

type Params = { vendorId: string; messageId?: string; data?: string };

/**
 * DataTransfer from the charger (OCPP 1.6 §4.3): kept in charger_events for
 * the operator. Only vendors configured in OCPP_DATA_TRANSFER_VENDORS are
 * understood; others get UnknownVendorId, as the spec asks.
 */
export const dataTransfer: OcppHandler<Params, { status: 'Accepted' | 'UnknownVendorId' }> = async (ctx, p) => {
  const { app, chargerId, now } = ctx;
  await app.repos.chargerEvents.add(chargerId, 'DataTransfer', p, now);
  await markSeen(ctx, 'DataTransfer');
  return { status: app.config.ocppDataTransferVendors.includes(p.vendorId) ? 'Accepted' : 'UnknownVendorId' };
};
