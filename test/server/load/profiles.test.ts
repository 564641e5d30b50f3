import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkRequest } from '../../../server/ocpp/protocol.ts';
import { ChargingProfiles, type ChargingProfile } from '../../../sim/charging-profiles.ts';
import {
  clearById,
  limitOf,
  maxStackLevel,
  sampleInterval,
  TX_DEFAULT_PROFILE_ID,
  txDefaultProfile,
  txProfile,
  txProfileId,
} from '../../../server/load/profiles.ts';

/** The payloads of server/load/profiles.ts against the official OCPP 1.6 schemas (the ones strict mode applies). */
describe('load profiles', () => {
  const now = new Date('2026-03-15T08:00:00Z');

  it('TxProfile, TxDefaultProfile and the clear pass the OCPP 1.6 schemas', () => {
    for (const limit of [0, 6, 10.6, 16.3, 31.99]) {
      assert.equal(
        checkRequest(
          'SetChargingProfile',
          txProfile({
            connectorId: 2,
            transactionId: 7,
            stackLevel: 8,
            limit,
            numberPhases: 3,
            safeShare: 10.6,
            now,
            leaseSeconds: 600,
          }),
        ),
        null,
      );
      assert.equal(
        checkRequest(
          'SetChargingProfile',
          txDefaultProfile({ stackLevel: 0, limit, numberPhases: 1, leaseSeconds: 600 }),
        ),
        null,
      );
    }
    assert.equal(checkRequest('ClearChargingProfile', clearById(TX_DEFAULT_PROFILE_ID)), null);
  });

  it('ids are fixed per purpose and connector, and limits are floored to 0.1 A', () => {
    const p = txProfile({
      connectorId: 2,
      transactionId: 7,
      stackLevel: 8,
      limit: 16.39,
      numberPhases: 3,
      safeShare: 10.66,
      now,
      leaseSeconds: 600,
    }).csChargingProfiles;
    assert.equal(p.chargingProfileId, txProfileId(2));
    assert.notEqual(txProfileId(1), TX_DEFAULT_PROFILE_ID);
    // The lease, then the lower of the allowance and the safe share for as long as the transaction lasts.
    assert.deepEqual(p.chargingSchedule, {
      startSchedule: now.toISOString(),
      chargingRateUnit: 'A',
      chargingSchedulePeriod: [
        { startPeriod: 0, limit: 16.3, numberPhases: 3 },
        { startPeriod: 600, limit: 10.6, numberPhases: 3 },
      ],
    });
    const low = txProfile({
      connectorId: 1,
      transactionId: 7,
      stackLevel: 8,
      limit: 6,
      numberPhases: 1,
      safeShare: 10.6,
      now,
      leaseSeconds: 600,
    }).csChargingProfiles;
    assert.deepEqual(
      low.chargingSchedule.chargingSchedulePeriod.map((x) => x.limit),
      [6, 6],
    );
    assert.deepEqual([limitOf(6.3), limitOf(10.66), limitOf(-1)], [6.3, 10.6, 0]);
  });

  it('reads the stack level and sample interval the charger reports, with fallbacks', () => {
    const answer = {
      configurationKey: [
        { key: 'ChargeProfileMaxStackLevel', readonly: true, value: '10' },
        { key: 'MeterValueSampleInterval', readonly: false, value: '15' },
      ],
    };
    assert.deepEqual([maxStackLevel(answer), sampleInterval(answer)], [10, 15]);
    assert.deepEqual(
      [maxStackLevel({ configurationKey: [], unknownKey: ['ChargeProfileMaxStackLevel'] }), sampleInterval({})],
      [0, 60],
    );
    assert.equal(
      maxStackLevel({ configurationKey: [{ key: 'ChargeProfileMaxStackLevel', readonly: true, value: 'lots' }] }),
      0,
    );
    assert.equal(
      sampleInterval({ configurationKey: [{ key: 'MeterValueSampleInterval', readonly: false, value: '0' }] }),
      60,
    );
  });

  it('leases that end at different instants never add up to more than the allowances did', () => {
    // Limit 32 A: A is allowed 8 A (its car takes little) from t = 0, B 24 A from t = 300 s;
    // both chargers' safe share is 16 A. Nobody renews: chargeops has stopped.
    const start = now.getTime();
    const charger = (limit: number, grantedAfterS: number) => {
      const profiles = new ChargingProfiles();
      profiles.set(
        0,
        txDefaultProfile({ stackLevel: 8, limit: 16, numberPhases: 1, leaseSeconds: 600 })
          .csChargingProfiles as ChargingProfile,
        now,
      );
      const grantedAt = new Date(start + grantedAfterS * 1000);
      profiles.set(
        1,
        txProfile({
          connectorId: 1,
          transactionId: 1,
          stackLevel: 8,
          limit,
          numberPhases: 1,
          safeShare: 16,
          now: grantedAt,
          leaseSeconds: 600,
        }).csChargingProfiles as ChargingProfile,
        grantedAt,
      );
      return (at: Date) => profiles.limitAmps(1, at, { id: 1, start: new Date(start - 3_600_000) }, 1);
    };
    const a = charger(8, 0);
    const b = charger(24, 300);
    const seen = new Set<string>();
    for (let s = 300; s <= 2000; s += 10) {
      const at = new Date(start + s * 1000);
      assert.ok(a(at) + b(at) <= 32, `${s} s: ${a(at)} + ${b(at)}`);
      seen.add(`${a(at)}/${b(at)}`);
    }
    // A stays at 8 A when its lease ends (not its safe share of 16 A while B still holds 24 A); B comes down to 16 A at its own.
    assert.deepEqual([...seen], ['8/24', '8/16']);
  });
});
