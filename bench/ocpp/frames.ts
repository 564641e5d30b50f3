/**
 * Hand-made OCPP 1.6J CALL frames for the load generator: [2, id, action,
 * payload] (OCPP-J §4.2.1). Payloads follow the official 1.6 schemas, so a
 * strict server accepts them; one charger's script cycles through a session.
 */
export type Frame = [2, string, string, Record<string, unknown>];

export interface ChargerScript {
  step: number;
  meterWh: number;
  transactionId?: number;
}

/** One charger's next call: a session with MeterValues dominating, and a Heartbeat per cycle. */
export function nextCall(s: ChargerScript, now: Date): [string, Record<string, unknown>] {
  const ts = now.toISOString();
  const cycle = [
    'Heartbeat',
    'Preparing',
    'Authorize',
    'StartTransaction',
    'Charging',
    'MeterValues',
    'MeterValues',
    'MeterValues',
    'MeterValues',
    'MeterValues',
    'MeterValues',
    'StopTransaction',
    'Available',
  ];
  const what = cycle[s.step++ % cycle.length]!;
  switch (what) {
    case 'Preparing':
    case 'Charging':
    case 'Available':
      return ['StatusNotification', { connectorId: 1, errorCode: 'NoError', status: what, timestamp: ts }];
    case 'Authorize':
      return ['Authorize', { idTag: 'BENCH001' }];
    case 'StartTransaction':
      return ['StartTransaction', { connectorId: 1, idTag: 'BENCH001', meterStart: s.meterWh, timestamp: ts }];
    case 'MeterValues':
      s.meterWh += 120;
      return [
        'MeterValues',
        {
          connectorId: 1,
          ...(s.transactionId !== undefined ? { transactionId: s.transactionId } : {}),
          meterValue: [
            {
              timestamp: ts,
              sampledValue: [
                {
                  value: String(s.meterWh),
                  context: 'Sample.Periodic',
                  measurand: 'Energy.Active.Import.Register',
                  unit: 'Wh',
                },
                { value: '31.8', context: 'Sample.Periodic', measurand: 'Current.Import', phase: 'L1', unit: 'A' },
                { value: '7240', context: 'Sample.Periodic', measurand: 'Power.Active.Import', unit: 'W' },
              ],
            },
          ],
        },
      ];
    case 'StopTransaction':
      return [
        'StopTransaction',
        { transactionId: s.transactionId ?? 0, meterStop: s.meterWh, timestamp: ts, reason: 'EVDisconnected' },
      ];
    default:
      return ['Heartbeat', {}];
  }
}

export const BOOT: Record<string, unknown> = {
  chargePointVendor: 'evpower',
  chargePointModel: 'Amos_EVG-32N',
  firmwareVersion: '2',
};
