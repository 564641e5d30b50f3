import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { meterPoint } from '../../web/src/live/meter.ts';

const at = '2026-03-15T08:00:00.000Z';
const event = (extra: object = {}) => ({
  type: 'meter' as const,
  chargerId: 'CP',
  at,
  connectorId: 1,
  transactionId: 7,
  timestamp: at,
  values: [
    { measurand: 'Current.Import', phase: 'L1', unit: 'A', value: 16 },
    { measurand: 'Energy.Active.Import.Register', unit: 'Wh', value: 812_400 },
  ],
  ...extra,
});

describe('the details chart reads a live meter event (OCPP 1.6 §7.43 sampled values)', () => {
  it("plots the session's energy when the event carries it, not the charger's lifetime register", () => {
    assert.deepEqual(meterPoint(event({ sessionEnergyWh: 2_400 })), {
      at: Date.parse(at),
      current: 16,
      energyKwh: 2.4,
    });
  });

  it('falls back to the register outside a session', () => {
    assert.equal(meterPoint(event({ transactionId: null }))?.energyKwh, 812.4);
  });

  it('reads a measurand sent in W and kW at once only once', () => {
    const both = event({
      values: [
        { measurand: 'Power.Active.Import', phase: 'L1', unit: 'W', value: 3_700 },
        { measurand: 'Power.Active.Import', phase: 'L1', unit: 'kW', value: 3.7 },
        { measurand: 'Power.Active.Import', phase: 'L2', unit: 'W', value: 3_600 },
        { measurand: 'Power.Active.Import', phase: 'L2', unit: 'kW', value: 3.6 },
      ],
    });
    assert.ok(Math.abs(meterPoint(both)!.powerKw! - 7.3) < 1e-9, String(meterPoint(both)?.powerKw));
  });
});
