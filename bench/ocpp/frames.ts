/**
 * Hand-made OCPP 1.6J CALL payloads for the load generators (OCPP-J §4.2.1
 * frames are [2, id, action, payload]). They follow the official 1.6
 * schemas, so a strict server accepts them.
 */
export const BOOT: Record<string, unknown> = {
  chargePointVendor: 'evpower',
  chargePointModel: 'Amos_EVG-32N',
  firmwareVersion: '2',
};

export const status = (status: string, timestamp: string, connectorId = 1) => ({
  connectorId,
  errorCode: 'NoError',
  status,
  timestamp,
});

export const start = (idTag: string, meterStart: number, timestamp: string) => ({
  connectorId: 1,
  idTag,
  meterStart,
  timestamp,
});

export const stop = (transactionId: number, meterStop: number, timestamp: string) => ({
  transactionId,
  meterStop,
  timestamp,
  reason: 'EVDisconnected',
});

/**
 * A periodic sample of a 3-phase 22 kW session (OCPP 1.6 §4.7, §7.31): the
 * energy register, current per phase and the power, as real chargers send
 * with MeterValuesSampledData = Energy.Active.Import.Register,Current.Import,Power.Active.Import.
 */
export function meterValues(transactionId: number | undefined, energyWh: number, timestamp: string) {
  const sample = (measurand: string, value: string, unit: string, phase?: string) => ({
    value,
    context: 'Sample.Periodic',
    measurand,
    ...(phase ? { phase } : {}),
    unit,
  });
  return {
    connectorId: 1,
    ...(transactionId !== undefined ? { transactionId } : {}),
    meterValue: [
      {
        timestamp,
        sampledValue: [
          sample('Energy.Active.Import.Register', String(energyWh), 'Wh'),
          sample('Current.Import', '31.8', 'A', 'L1'),
          sample('Current.Import', '31.6', 'A', 'L2'),
          sample('Current.Import', '31.9', 'A', 'L3'),
          sample('Power.Active.Import', '21950', 'W'),
        ],
      },
    ],
  };
}
