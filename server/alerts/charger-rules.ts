import type { FastifyInstance } from 'fastify';
import type { ChargerEvent } from '../../contracts/events.ts';
import { clearCondition, raiseCondition } from './conditions.ts';
import { checkOffline } from './offline-check.ts';

/** FirmwareStatus values of a failed update (OCPP 1.6 §7.25). */
const FIRMWARE_FAILED = new Set(['DownloadFailed', 'InstallationFailed']);
/** Command outcomes that raise command.failed (server/ocpp/commands/send.ts): a CALLERROR or no answer. */
const COMMAND_FAILED = new Set(['error', 'timeout']);

const where = (chargerId: string, connectorId: number) =>
  connectorId === 0 ? `Charger ${chargerId}` : `Connector ${connectorId} of charger ${chargerId}`;

/**
 * What one charger event means for the alerts of its charger (contracts/alerts.ts
 * CONDITION_ALERT_SEVERITY): raises the conditions it begins and clears those
 * it ends. Resolves true when it raised or cleared anything.
 */
export async function applyChargerEvent(app: FastifyInstance, e: ChargerEvent): Promise<boolean> {
  switch (e.type) {
    case 'status':
      return connectorStatus(app, e.chargerId, e.connectorId, e.status, e.errorCode);
    case 'offline':
    case 'disconnected':
    case 'connected':
      return checkOffline(app);
    case 'command': {
      const cause = `${e.chargerId}:${e.action}`;
      if (COMMAND_FAILED.has(e.outcome)) {
        const why =
          e.outcome === 'timeout' ? 'was not answered in time' : `was answered with ${e.errorCode ?? 'an error'}`;
        return changed(
          await raiseCondition(app, {
            kind: 'command.failed',
            cause,
            chargerId: e.chargerId,
            message: `${e.action} to charger ${e.chargerId} ${why}`,
            details: { action: e.action, outcome: e.outcome, errorCode: e.errorCode ?? null, commandId: e.commandId },
          }),
        );
      }
      if (e.outcome === 'answered')
        return changed(await clearCondition(app, { kind: 'command.failed', causes: [cause] }));
      return false;
    }
    case 'firmware':
      if (FIRMWARE_FAILED.has(e.status))
        return changed(
          await raiseCondition(app, {
            kind: 'firmware.failed',
            cause: e.chargerId,
            chargerId: e.chargerId,
            message: `Firmware update of charger ${e.chargerId} failed: ${e.status}`,
            details: { status: e.status },
          }),
        );
      if (e.status === 'Installed')
        return changed(await clearCondition(app, { kind: 'firmware.failed', causes: [e.chargerId] }));
      return false;
    case 'diagnostics':
      if (e.status === 'UploadFailed')
        return changed(
          await raiseCondition(app, {
            kind: 'diagnostics.failed',
            cause: e.chargerId,
            chargerId: e.chargerId,
            message: `Diagnostics upload of charger ${e.chargerId} failed`,
            details: { status: e.status },
          }),
        );
      if (e.status === 'Uploaded')
        return changed(await clearCondition(app, { kind: 'diagnostics.failed', causes: [e.chargerId] }));
      return false;
    default:
      return false;
  }
}

/**
 * A StatusNotification (OCPP 1.6 §4.9): Faulted raises charger.faulted with
 * its error code; another status with an error code other than NoError
 * raises connector.error; either is cleared by the next status of the
 * connector that no longer reports it (a changed code clears the old one
 * and raises the new one). Cause: charger, connector, error code.
 */
async function connectorStatus(
  app: FastifyInstance,
  chargerId: string,
  connectorId: number,
  status: string,
  errorCode: string,
): Promise<boolean> {
  const cause = `${chargerId}:${connectorId}:${errorCode}`;
  const kind = status === 'Faulted' ? 'charger.faulted' : errorCode !== 'NoError' ? 'connector.error' : undefined;
  const cleared = await clearCondition(app, {
    kind: ['charger.faulted', 'connector.error'],
    chargerId,
    connectorId,
    keep: kind ? { kind, cause } : undefined,
  });
  const any = cleared.length > 0;
  if (!kind) return any;
  const message =
    kind === 'charger.faulted'
      ? `${where(chargerId, connectorId)} is Faulted (${errorCode})`
      : `${where(chargerId, connectorId)} reports ${errorCode} (status ${status})`;
  const row = await raiseCondition(app, {
    kind,
    cause,
    chargerId,
    connectorId,
    message,
    details: { status, errorCode },
  });
  return any || row !== undefined;
}

function changed(result: unknown): boolean {
  return Array.isArray(result) ? result.length > 0 : result !== undefined;
}
