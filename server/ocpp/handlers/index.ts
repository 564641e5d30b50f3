import type { OcppHandler } from '../context.ts';
import { assertStorable } from '../storable.ts';
import { authorize } from './authorize.ts';
import { bootNotification } from './boot-notification.ts';
import { dataTransfer } from './data-transfer.ts';
import { diagnosticsStatusNotification } from './diagnostics-status-notification.ts';
import { firmwareStatusNotification } from './firmware-status-notification.ts';
import { heartbeat } from './heartbeat.ts';
import { meterValues } from './meter-values.ts';
import { startTransaction } from './start-transaction.ts';
import { statusNotification } from './status-notification.ts';
import { stopTransaction } from './stop-transaction.ts';

const handlers: Record<string, OcppHandler<never>> = {
  Authorize: authorize,
  BootNotification: bootNotification,
  DataTransfer: dataTransfer,
  DiagnosticsStatusNotification: diagnosticsStatusNotification,
  FirmwareStatusNotification: firmwareStatusNotification,
  Heartbeat: heartbeat,
  MeterValues: meterValues,
  StartTransaction: startTransaction,
  StatusNotification: statusNotification,
  StopTransaction: stopTransaction,
} as Record<string, OcppHandler<never>>;

/**
 * Every Charge Point → Central System action of OCPP 1.6 §4, by name, each
 * behind the storable check (storable.ts): a value no column can hold is
 * refused before the handler writes anything.
 */
export const chargerHandlers: Record<string, OcppHandler<never>> = Object.fromEntries(
  Object.entries(handlers).map(([action, handler]) => [
    action,
    (async (ctx, params) => {
      assertStorable(action, params);
      return handler(ctx, params);
    }) as OcppHandler<never>,
  ]),
);
