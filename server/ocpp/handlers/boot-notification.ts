import type { BootInfo } from '../../../db/repositories/chargers.ts';
import { closeOrphanSessions } from '../close-sessions.ts';
import type { OcppHandler } from '../context.ts';

type Params = { chargePointVendor: string; chargePointModel: string } & Partial<
  Record<
    | 'chargePointSerialNumber'
    | 'chargeBoxSerialNumber'
    | 'firmwareVersion'
    | 'iccid'
    | 'imsi'
    | 'meterType'
    | 'meterSerialNumber',
    string
  >
>;
type Result = { status: 'Accepted' | 'Pending' | 'Rejected'; currentTime: string; interval: number };

/** While Pending, the charger retries its BootNotification after this many seconds (OCPP 1.6 §4.2). */
const PENDING_RETRY_S = 60;

/**
 * BootNotification (OCPP 1.6 §4.2): store what the charger says it is, answer
 * its registration status. Accepted hands out the heartbeat interval that
 * offline detection counts in; the legacy state is BootUp until the first
 * StatusNotification (docs/PRODUCT.md §3), and a Reset's "Reboot" ends here. A
 * session still open across the reboot is over: it is closed with reason
 * Reboot (§7.34) until the charger's queued StopTransaction, delivered after
 * this boot (§4.10, §3.16), replaces the close with the real figures.
 */
export const bootNotification: OcppHandler<Params, Result> = async ({ app, conn, chargerId, now }, p) => {
  const info: BootInfo = {
    vendor: p.chargePointVendor,
    model: p.chargePointModel,
    serialNumber: p.chargePointSerialNumber,
    chargeBoxSerialNumber: p.chargeBoxSerialNumber,
    firmwareVersion: p.firmwareVersion,
    iccid: p.iccid,
    imsi: p.imsi,
    meterType: p.meterType,
    meterSerialNumber: p.meterSerialNumber,
  };
  // Group-committed with other chargers' boots (live-writes.ts); the interval is
  // chosen by the registration the row has as it is written.
  const hb = app.config.ocppHeartbeatInterval;
  const written = await app.ocpp.live.boot(
    chargerId,
    info,
    { accepted: hb, pending: Math.min(PENDING_RETRY_S, hb) },
    now,
  );
  if (!written.found) throw new Error(`charger ${chargerId} vanished`);
  if (written.openConnectors.length)
    await closeOrphanSessions(app, chargerId, { cause: 'boot', reason: 'Reboot', at: now }, now);
  const registration = written.registration!;
  conn.registration = registration;
  // The charger may set its clock from currentTime below: measure its skew afresh.
  conn.clockSkew = undefined;
  conn.sessions.reset();
  app.events.publish({ type: 'boot', chargerId, at: now.toISOString(), registration });
  return { status: registration, currentTime: app.clock.now().toISOString(), interval: written.heartbeatInterval! };
};
