/**
 * The 19 system-to-charger commands of docs/PRODUCT.md §5 with the fields of their OCPP 1.6
 * request (OCPP 1.6 §5, JSON schemas *.req). The Devices page draws a small
 * form from each entry; `buildPayload` turns the form into the request body.
 */
export type FieldKind = 'int' | 'text' | 'url' | 'datetime' | 'select' | 'json' | 'list';

export interface CommandField {
  name: string;
  kind: FieldKind;
  required?: boolean;
  options?: readonly string[];
  /** Pre-filled value, e.g. a sample charging profile. */
  initial?: string;
}

export interface CommandSpec {
  action: string;
  fields: CommandField[];
}

const connector = (required = true): CommandField => ({ name: 'connectorId', kind: 'int', required });

const SAMPLE_PROFILE = JSON.stringify({
  chargingProfileId: 1,
  stackLevel: 0,
  chargingProfilePurpose: 'TxDefaultProfile',
  chargingProfileKind: 'Absolute',
  chargingSchedule: { chargingRateUnit: 'A', chargingSchedulePeriod: [{ startPeriod: 0, limit: 16 }] },
});

export const COMMANDS: CommandSpec[] = [
  { action: 'RemoteStartTransaction', fields: [{ name: 'idTag', kind: 'text', required: true }, connector(false)] }, // §5.11
  { action: 'RemoteStopTransaction', fields: [{ name: 'transactionId', kind: 'int', required: true }] }, // §5.12
  { action: 'Reset', fields: [{ name: 'type', kind: 'select', required: true, options: ['Soft', 'Hard'] }] }, // §5.14
  { action: 'UnlockConnector', fields: [connector()] }, // §5.18
  {
    action: 'ChangeAvailability',
    fields: [connector(), { name: 'type', kind: 'select', required: true, options: ['Operative', 'Inoperative'] }],
  }, // §5.2
  { action: 'GetConfiguration', fields: [{ name: 'key', kind: 'list' }] }, // §5.8
  {
    action: 'ChangeConfiguration',
    fields: [
      { name: 'key', kind: 'text', required: true },
      { name: 'value', kind: 'text', required: true },
    ],
  }, // §5.3
  { action: 'ClearCache', fields: [] }, // §5.4
  {
    action: 'TriggerMessage',
    fields: [
      {
        name: 'requestedMessage',
        kind: 'select',
        required: true,
        options: [
          'BootNotification',
          'DiagnosticsStatusNotification',
          'FirmwareStatusNotification',
          'Heartbeat',
          'MeterValues',
          'StatusNotification',
        ],
      },
      connector(false),
    ],
  }, // §5.17
  {
    action: 'UpdateFirmware',
    fields: [
      { name: 'location', kind: 'url', required: true },
      { name: 'retrieveDate', kind: 'datetime', required: true },
      { name: 'retries', kind: 'int' },
      { name: 'retryInterval', kind: 'int' },
    ],
  }, // §5.19
  {
    action: 'GetDiagnostics',
    fields: [
      { name: 'location', kind: 'url', required: true },
      { name: 'retries', kind: 'int' },
      { name: 'retryInterval', kind: 'int' },
      { name: 'startTime', kind: 'datetime' },
      { name: 'stopTime', kind: 'datetime' },
    ],
  }, // §5.9
  {
    action: 'DataTransfer',
    fields: [
      { name: 'vendorId', kind: 'text', required: true },
      { name: 'messageId', kind: 'text' },
      { name: 'data', kind: 'text' },
    ],
  }, // §5.6
  {
    action: 'ReserveNow',
    fields: [
      connector(),
      { name: 'expiryDate', kind: 'datetime', required: true },
      { name: 'idTag', kind: 'text', required: true },
      { name: 'parentIdTag', kind: 'text' },
      { name: 'reservationId', kind: 'int', required: true },
    ],
  }, // §5.13
  { action: 'CancelReservation', fields: [{ name: 'reservationId', kind: 'int', required: true }] }, // §5.1
  {
    action: 'SetChargingProfile',
    fields: [connector(), { name: 'csChargingProfiles', kind: 'json', required: true, initial: SAMPLE_PROFILE }],
  }, // §5.16
  {
    action: 'ClearChargingProfile',
    fields: [
      { name: 'id', kind: 'int' },
      connector(false),
      {
        name: 'chargingProfilePurpose',
        kind: 'select',
        options: ['', 'ChargePointMaxProfile', 'TxDefaultProfile', 'TxProfile'],
      },
      { name: 'stackLevel', kind: 'int' },
    ],
  }, // §5.5
  {
    action: 'GetCompositeSchedule',
    fields: [
      connector(),
      { name: 'duration', kind: 'int', required: true },
      { name: 'chargingRateUnit', kind: 'select', options: ['', 'A', 'W'] },
    ],
  }, // §5.7
  {
    action: 'SendLocalList',
    fields: [
      { name: 'listVersion', kind: 'int', required: true },
      { name: 'updateType', kind: 'select', required: true, options: ['Full', 'Differential'] },
      { name: 'localAuthorizationList', kind: 'json', initial: '[]' },
    ],
  }, // §5.15
  { action: 'GetLocalListVersion', fields: [] }, // §5.10
];

export type FieldProblem = 'required' | 'int' | 'json' | 'url';

/** Form values to the OCPP request; empty optional fields are left out, problems named per field. */
export function buildPayload(
  spec: CommandSpec,
  values: Record<string, string>,
): { payload: Record<string, unknown> } | { problems: Record<string, FieldProblem> } {
  const payload: Record<string, unknown> = {};
  const problems: Record<string, FieldProblem> = {};
  for (const f of spec.fields) {
    const raw = (values[f.name] ?? f.initial ?? (f.kind === 'select' && f.required ? f.options?.[0] : '') ?? '').trim();
    if (raw === '') {
      if (f.required) problems[f.name] = 'required';
      continue;
    }
    switch (f.kind) {
      case 'int':
        if (!/^-?\d+$/.test(raw)) problems[f.name] = 'int';
        else payload[f.name] = Number(raw);
        break;
      case 'json':
        try {
          payload[f.name] = JSON.parse(raw);
        } catch {
          problems[f.name] = 'json';
        }
        break;
      case 'url':
        if (!/^[a-z][a-z0-9+.-]*:\/\/\S+$/i.test(raw)) problems[f.name] = 'url';
        else payload[f.name] = raw;
        break;
      case 'datetime':
        // <input type=datetime-local> gives local wall time; OCPP wants an absolute dateTime.
        payload[f.name] = new Date(raw).toISOString();
        break;
      case 'list':
        payload[f.name] = raw
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean);
        break;
      default:
        payload[f.name] = raw;
    }
  }
  return Object.keys(problems).length ? { problems } : { payload };
}
