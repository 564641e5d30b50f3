import { createRequire } from 'node:module';
import { RPCError, createRPCError, createValidator } from './rpc.ts';

const require = createRequire(import.meta.url);

/**
 * The official OCPP 1.6 JSON schemas as bundled with ocpp-rpc: the same
 * validator strict mode applies to every frame, used directly to check a
 * command's payload before it is sent (docs/PRODUCT.md §8: 400 if it breaks the schema).
 */
export const ocpp16Validator = createValidator('ocpp1.6', require('ocpp-rpc/lib/schemas/ocpp1_6.json'));

/** Charge Point → Central System (OCPP 1.6 §4). */
export const CHARGER_ACTIONS = [
  'Authorize',
  'BootNotification',
  'DataTransfer',
  'DiagnosticsStatusNotification',
  'FirmwareStatusNotification',
  'Heartbeat',
  'MeterValues',
  'StartTransaction',
  'StatusNotification',
  'StopTransaction',
] as const;

/** Central System → Charge Point (OCPP 1.6 §5), all reachable from the REST API (docs/PRODUCT.md §5). */
export const COMMAND_ACTIONS = [
  'RemoteStartTransaction',
  'RemoteStopTransaction',
  'Reset',
  'UnlockConnector',
  'ChangeAvailability',
  'GetConfiguration',
  'ChangeConfiguration',
  'ClearCache',
  'TriggerMessage',
  'UpdateFirmware',
  'GetDiagnostics',
  'DataTransfer',
  'ReserveNow',
  'CancelReservation',
  'SetChargingProfile',
  'ClearChargingProfile',
  'GetCompositeSchedule',
  'SendLocalList',
  'GetLocalListVersion',
] as const;
export type CommandAction = (typeof COMMAND_ACTIONS)[number];

export function isCommandAction(action: string): action is CommandAction {
  return (COMMAND_ACTIONS as readonly string[]).includes(action);
}

export interface SchemaProblem {
  rpcErrorCode: string;
  message: string;
  fields: Record<string, string>;
}

/** Checks a request payload against `urn:<Action>.req`; null when valid. */
export function checkRequest(action: string, payload: unknown): SchemaProblem | null {
  try {
    ocpp16Validator.validate(`urn:${action}.req`, payload);
    return null;
  } catch (err) {
    const e = err as RPCError & {
      details?: { errors?: { instancePath: string; message?: string; params?: Record<string, unknown> }[] };
    };
    const fields: Record<string, string> = {};
    for (const v of e.details?.errors ?? []) {
      const missing = v.params?.missingProperty as string | undefined;
      const extra = v.params?.additionalProperty as string | undefined;
      const base = v.instancePath.replace(/^\//, '').replace(/\//g, '.');
      const name = [base, missing ?? extra].filter(Boolean).join('.') || 'payload';
      fields[name] = missing ? 'is required' : extra ? 'is not an OCPP 1.6 field' : (v.message ?? 'is invalid');
    }
    return { rpcErrorCode: e.rpcErrorCode ?? 'FormationViolation', message: e.message, fields };
  }
}

export function rpcError(code: string, message: string, details: Record<string, unknown> = {}): Error {
  return createRPCError(code, message, details) as unknown as Error;
}

export function isRpcError(err: unknown): err is RPCError {
  return err instanceof RPCError;
}
