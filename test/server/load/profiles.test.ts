import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkRequest } from '../../../server/ocpp/protocol.ts';
import { clearById, limitOf, maxStackLevel, sampleInterval, TX_DEFAULT_PROFILE_ID, txDefaultProfile, txProfile, txProfileId } from '../../../server/load/profiles.ts';

/** The payloads of server/load/profiles.ts against the official OCPP 1.6 schemas (the ones strict mode applies). */
describe('load profiles', () => {
  const now = new Date('2026-03-15T08:00:00Z');

  it('TxProfile, TxDefaultProfile and the clear pass the OCPP 1.6 schemas', () => {
    for (const limit of [0, 6, 10.6, 16.3, 31.99]) {
      assert.equal(checkRequest('SetChargingProfile', txProfile({ connectorId: 2, transactionId: 7, stackLevel: 8, limit, numberPhases: 3, now, leaseSeconds: 600 })), null);
      assert.equal(checkRequest('SetChargingProfile', txDefaultProfile({ stackLevel: 0, limit, numberPhases: 1, leaseSeconds: 600 })), null);
    }
    assert.equal(checkRequest('ClearChargingProfile', clearById(TX_DEFAULT_PROFILE_ID)), null);
  });

  it('ids are fixed per purpose and connector, and limits are floored to 0.1 A', () => {
    const p = txProfile({ connectorId: 2, transactionId: 7, stackLevel: 8, limit: 16.39, numberPhases: 3, now, leaseSeconds: 600 }).csChargingProfiles;
    assert.equal(p.chargingProfileId, txProfileId(2));
    assert.notEqual(txProfileId(1), TX_DEFAULT_PROFILE_ID);
    assert.deepEqual(p.chargingSchedule, { duration: 600, startSchedule: now.toISOString(), chargingRateUnit: 'A', chargingSchedulePeriod: [{ startPeriod: 0, limit: 16.3, numberPhases: 3 }] });
    assert.deepEqual([limitOf(6.3), limitOf(10.66), limitOf(-1)], [6.3, 10.6, 0]);
  });

  it('reads the stack level and sample interval the charger reports, with fallbacks', () => {
    const answer = { configurationKey: [{ key: 'ChargeProfileMaxStackLevel', readonly: true, value: '10' }, { key: 'MeterValueSampleInterval', readonly: false, value: '15' }] };
    assert.deepEqual([maxStackLevel(answer), sampleInterval(answer)], [10, 15]);
    assert.deepEqual([maxStackLevel({ configurationKey: [], unknownKey: ['ChargeProfileMaxStackLevel'] }), sampleInterval({})], [0, 60]);
    assert.equal(maxStackLevel({ configurationKey: [{ key: 'ChargeProfileMaxStackLevel', readonly: true, value: 'lots' }] }), 0);
    assert.equal(sampleInterval({ configurationKey: [{ key: 'MeterValueSampleInterval', readonly: false, value: '0' }] }), 60);
  });
});
