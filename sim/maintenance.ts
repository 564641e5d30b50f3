import type { ChargePoint } from './charge-point.ts';
import { meterSample } from './meter.ts';

/** TriggerMessage (§5.17): the requested message, sent after the answer. */
export async function sendTriggered(cp: ChargePoint, what: string, connectorId: number | undefined): Promise<void> {
  const now = () => cp.clock.now();
  const send = (action: string, params: Record<string, unknown>) =>
    cp.call(action, params).catch((err) => cp.emit('error', `${action}: ${(err as Error).message}`));
  switch (what) {
    case 'BootNotification':
      await send('BootNotification', {
        chargePointVendor: cp.opts.vendor ?? 'evpower',
        chargePointModel: cp.opts.model ?? 'Amos_EVG-32N',
        chargePointSerialNumber: cp.opts.serialNumber ?? cp.id,
        firmwareVersion: cp.firmwareVersion,
      });
      return;
    case 'Heartbeat':
      await send('Heartbeat', {});
      return;
    case 'FirmwareStatusNotification':
      await send('FirmwareStatusNotification', { status: cp.firmwareStatus });
      return;
    case 'DiagnosticsStatusNotification':
      await send('DiagnosticsStatusNotification', { status: cp.diagnosticsStatus });
      return;
    case 'StatusNotification':
      if (connectorId === undefined || connectorId === 0) await cp.sendStatus(0, cp.status0, cp.clock).catch(() => {});
      for (const c of cp.connectors)
        if (connectorId === undefined || connectorId === c.id)
          await cp.sendStatus(c.id, c.status, cp.clock).catch(() => {});
      return;
    case 'MeterValues':
      for (const c of cp.connectors) {
        if (connectorId !== undefined && connectorId !== 0 && connectorId !== c.id) continue;
        const s = c.session;
        if (s) s.draw.update(s.clock.now());
        await send('MeterValues', {
          connectorId: c.id,
          ...(s?.transactionId !== undefined ? { transactionId: s.transactionId } : {}),
          meterValue: [
            meterSample({
              registerWh: c.meterWh,
              amps: s?.draw.amps ?? [0, 0, 0],
              offeredA: s?.draw.offeredA ?? 0,
              phases: cp.phases,
              at: now(),
              context: 'Trigger',
            }),
          ],
        });
      }
      return;
  }
}

/**
 * UpdateFirmware (§5.19, §4.5): wait for retrieveDate, then Downloading,
 * Downloaded, Installing, Installed, each a FirmwareStatusNotification, and
 * reboot into the new version (named after the file in `location`).
 */
export async function runFirmwareUpdate(cp: ChargePoint, location: string, retrieveDate: Date): Promise<void> {
  const signal = cp.lifeSignal;
  const step = async (status: string, waitMs: number) => {
    if (signal.aborted) return;
    cp.firmwareStatus = status;
    cp.emit('firmware', status);
    await cp.call('FirmwareStatusNotification', { status }).catch(() => {});
    await cp.clock.sleep(waitMs, signal);
  };
  await cp.clock.sleep(retrieveDate.getTime() - cp.clock.now().getTime(), signal);
  await step('Downloading', 20_000);
  await step('Downloaded', 1_000);
  await step('Installing', 30_000);
  await step('Installed', 0);
  if (signal.aborted) return;
  const name = location.split('/').pop() ?? '';
  cp.firmwareVersion = /(\d+(\.\d+)*)/.exec(name)?.[1] ?? `${cp.firmwareVersion}.1`;
  await cp.reboot('Soft');
}

/** GetDiagnostics (§5.9, §4.4): Uploading, then Uploaded. */
export async function runDiagnosticsUpload(cp: ChargePoint): Promise<void> {
  for (const status of ['Uploading', 'Uploaded']) {
    if (cp.lifeSignal.aborted) return;
    cp.diagnosticsStatus = status;
    await cp.call('DiagnosticsStatusNotification', { status }).catch(() => {});
    await cp.clock.sleep(15_000, cp.lifeSignal);
  }
}
