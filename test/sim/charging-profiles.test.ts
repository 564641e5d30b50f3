import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ChargingProfiles, type ChargingProfile } from '../../sim/charging-profiles.ts';

// The simulator's profile store against the OCPP 1.6 §3.13 rules the load controller relies on:
// a Relative TxDefaultProfile that holds 0 A for a lease after each transaction start,
// TxProfiles that are leases (Absolute, startSchedule now, duration), stack levels, clearing.
const T0 = Date.parse('2026-12-02T08:00:00Z');
const at = (s: number) => new Date(T0 + s * 1000);
const iso = (s: number) => at(s).toISOString();

function profile(
  p: Partial<ChargingProfile> & Pick<ChargingProfile, 'chargingProfileId' | 'chargingProfilePurpose'>,
  schedule: Partial<ChargingProfile['chargingSchedule']> = {},
): ChargingProfile {
  return {
    stackLevel: 0,
    chargingProfileKind: 'Absolute',
    ...p,
    chargingSchedule: { chargingRateUnit: 'A', chargingSchedulePeriod: [{ startPeriod: 0, limit: 16 }], ...schedule },
  };
}

/** The controller's boot default: 0 A for the first 600 s of every transaction, then the safe share. */
const holdThenShare = (share: number, id = 900) =>
  profile(
    {
      chargingProfileId: id,
      chargingProfilePurpose: 'TxDefaultProfile',
      chargingProfileKind: 'Relative',
      stackLevel: 8,
    },
    {
      chargingSchedulePeriod: [
        { startPeriod: 0, limit: 0 },
        { startPeriod: 600, limit: share },
      ],
    },
  );
/** A lease: Absolute from `fromS` for `durationS`, for one transaction. */
const lease = (id: number, transactionId: number, limit: number, fromS: number, durationS = 600) =>
  profile(
    { chargingProfileId: id, chargingProfilePurpose: 'TxProfile', transactionId, stackLevel: 8 },
    {
      startSchedule: iso(fromS),
      duration: durationS,
      chargingSchedulePeriod: [{ startPeriod: 0, limit, numberPhases: 3 }],
    },
  );

test('a Relative TxDefaultProfile counts from each transaction start, not from when it was set', () => {
  const p = new ChargingProfiles();
  p.set(0, holdThenShare(10), at(0));
  assert.equal(p.limitAmps(1, at(5), undefined, 3), Infinity, 'no transaction: a Tx profile limits nothing');
  const tx = { id: 7, start: at(1000) };
  assert.equal(p.limitAmps(1, at(1000), tx, 3), 0, 'held at 0 A when the transaction starts');
  assert.equal(p.limitAmps(1, at(1599), tx, 3), 0);
  assert.equal(p.limitAmps(1, at(1600), tx, 3), 10, 'the safe share after the hold');
  assert.equal(p.limitAmps(1, at(90_000), tx, 3), 10, 'the last period continues without a duration');
  assert.equal(p.nextChange(1, at(1000), tx), at(1600).getTime(), 'the simulator wakes when the hold ends');
  const later = { id: 8, start: at(5000) };
  assert.equal(p.limitAmps(1, at(5300), later, 3), 0, 'a later transaction is held again');
});

test('a TxProfile past its duration no longer applies: the TxDefaultProfile takes over at that instant', () => {
  const p = new ChargingProfiles();
  p.set(0, holdThenShare(10), at(0));
  const tx = { id: 7, start: at(0) };
  p.set(1, lease(101, 7, 24, 2), at(2));
  assert.equal(p.limitAmps(1, at(1), tx, 3), 0, 'before the lease starts, the hold');
  assert.equal(p.limitAmps(1, at(2), tx, 3), 24);
  assert.equal(p.limitAmps(1, at(601), tx, 3), 24, 'beyond the default hold, the lease still rules');
  assert.equal(
    p.nextChange(1, at(400), tx),
    at(600).getTime(),
    'next: the default hold ends (shadowed, but a boundary)',
  );
  assert.equal(p.nextChange(1, at(600), tx), at(602).getTime(), 'then the lease runs out');
  assert.equal(p.limitAmps(1, at(602), tx, 3), 10, 'the lease ran out: the safe share');
  // Renewed at half-life with the same id: it replaces the old one and the session keeps its allowance.
  p.set(1, lease(101, 7, 20, 302), at(302));
  assert.equal(p.size, 2, 'the same id replaced, not added');
  assert.equal(p.limitAmps(1, at(700), tx, 3), 20);
  assert.equal(p.limitAmps(1, at(902), tx, 3), 10);
});

test('a TxProfile applies only to the transaction it names', () => {
  const p = new ChargingProfiles();
  p.set(0, holdThenShare(10), at(0));
  p.set(1, lease(101, 7, 24, 0), at(0));
  assert.equal(p.limitAmps(1, at(10), { id: 7, start: at(0) }, 3), 24);
  assert.equal(p.limitAmps(1, at(10), { id: 8, start: at(0) }, 3), 0, 'another transaction: the default');
  assert.equal(
    p.limitAmps(1, at(10), { id: undefined, start: at(0) }, 3),
    0,
    'a transaction whose id is not known yet: the default',
  );
  p.dropTxProfiles(1);
  assert.equal(
    p.limitAmps(1, at(10), { id: 7, start: at(0) }, 3),
    0,
    'TxProfiles end with their transaction (§3.13.1)',
  );
  assert.equal(p.size, 1);
});

test("the highest stack level with a period in force wins; a connector's own profile beats connector 0 at the same level", () => {
  const p = new ChargingProfiles();
  const tx = { id: 1, start: at(0) };
  p.set(
    0,
    profile(
      { chargingProfileId: 1, chargingProfilePurpose: 'TxDefaultProfile', stackLevel: 1 },
      { chargingSchedulePeriod: [{ startPeriod: 0, limit: 20 }] },
    ),
    at(0),
  );
  assert.equal(p.limitAmps(1, at(10), tx, 3), 20);
  p.set(
    0,
    profile(
      { chargingProfileId: 2, chargingProfilePurpose: 'TxDefaultProfile', stackLevel: 3, validFrom: iso(100) },
      { chargingSchedulePeriod: [{ startPeriod: 0, limit: 12 }] },
    ),
    at(0),
  );
  assert.equal(p.limitAmps(1, at(50), tx, 3), 20, 'the higher level is not valid yet');
  assert.equal(p.limitAmps(1, at(100), tx, 3), 12, 'now it is, and it wins');
  assert.equal(p.nextChange(1, at(50), tx), at(100).getTime());
  p.set(
    1,
    profile(
      { chargingProfileId: 3, chargingProfilePurpose: 'TxDefaultProfile', stackLevel: 3 },
      { chargingSchedulePeriod: [{ startPeriod: 0, limit: 14 }] },
    ),
    at(0),
  );
  assert.equal(p.limitAmps(1, at(200), tx, 3), 14, "same level, the connector's own");
  assert.equal(p.limitAmps(2, at(200), tx, 3), 12, "another connector keeps connector 0's");
  // Same purpose and stack level on the same connector: replaced (§3.13.2).
  p.set(
    1,
    profile(
      { chargingProfileId: 4, chargingProfilePurpose: 'TxDefaultProfile', stackLevel: 3 },
      { chargingSchedulePeriod: [{ startPeriod: 0, limit: 9 }] },
    ),
    at(0),
  );
  assert.equal(p.size, 3);
  assert.equal(p.limitAmps(1, at(200), tx, 3), 9);
});

test('ChargePointMaxProfile caps every profile and is shared by the connectors in a session', () => {
  const p = new ChargingProfiles();
  const tx = { id: 1, start: at(0) };
  p.set(1, lease(10, 1, 32, 0), at(0));
  p.set(
    0,
    profile(
      { chargingProfileId: 5, chargingProfilePurpose: 'ChargePointMaxProfile' },
      { startSchedule: iso(0), chargingSchedulePeriod: [{ startPeriod: 0, limit: 20 }] },
    ),
    at(0),
  );
  assert.equal(p.limitAmps(1, at(10), tx, 3), 20, 'the cap below the TxProfile');
  assert.equal(p.limitAmps(1, at(10), undefined, 3), 20, 'also without a transaction');
  assert.equal(p.limit(1, at(10), tx, 3, 2).amps, 10, 'two connectors charging share it');
});

test('numberPhases: a period may allow fewer phases; W limits are converted over the phases in use', () => {
  const p = new ChargingProfiles();
  const tx = { id: 1, start: at(0) };
  p.set(1, lease(10, 1, 16, 0), at(0));
  assert.deepEqual(p.limit(1, at(1), tx, 3), { amps: 16, phases: 3 });
  assert.deepEqual(p.limit(1, at(1), tx, 1), { amps: 16, phases: 1 }, 'never more phases than the charger has');
  p.set(
    1,
    profile(
      { chargingProfileId: 10, chargingProfilePurpose: 'TxProfile', transactionId: 1 },
      { startSchedule: iso(0), chargingSchedulePeriod: [{ startPeriod: 0, limit: 20, numberPhases: 1 }] },
    ),
    at(0),
  );
  assert.deepEqual(p.limit(1, at(1), tx, 3), { amps: 20, phases: 1 });
  p.set(
    1,
    profile(
      { chargingProfileId: 10, chargingProfilePurpose: 'TxProfile', transactionId: 1 },
      { startSchedule: iso(0), chargingRateUnit: 'W', chargingSchedulePeriod: [{ startPeriod: 0, limit: 11040 }] },
    ),
    at(0),
  );
  assert.deepEqual(p.limit(1, at(1), tx, 3), { amps: 16, phases: 3 }, '11 040 W over 3 phases at 230 V');
  p.set(
    1,
    profile(
      { chargingProfileId: 10, chargingProfilePurpose: 'TxProfile', transactionId: 1 },
      {
        startSchedule: iso(0),
        chargingRateUnit: 'W',
        chargingSchedulePeriod: [{ startPeriod: 0, limit: 3680, numberPhases: 1 }],
      },
    ),
    at(0),
  );
  assert.deepEqual(p.limit(1, at(1), tx, 3), { amps: 16, phases: 1 });
});

test('a Recurring daily profile repeats its periods every day', () => {
  const p = new ChargingProfiles();
  const tx = { id: 1, start: at(0) };
  p.set(
    0,
    profile(
      {
        chargingProfileId: 1,
        chargingProfilePurpose: 'TxDefaultProfile',
        chargingProfileKind: 'Recurring',
        recurrencyKind: 'Daily',
      },
      {
        startSchedule: iso(0),
        chargingSchedulePeriod: [
          { startPeriod: 0, limit: 6 },
          { startPeriod: 3600, limit: 32 },
        ],
      },
    ),
    at(0),
  );
  assert.equal(p.limitAmps(1, at(60), tx, 3), 6);
  assert.equal(p.limitAmps(1, at(3600), tx, 3), 32);
  assert.equal(p.limitAmps(1, at(86_400 + 60), tx, 3), 6, 'the next day starts over');
  assert.equal(p.nextChange(1, at(4000), tx), at(86_400).getTime());
});

test('ClearChargingProfile: by id alone, or by purpose, stack level and connector together; Unknown when nothing matches', () => {
  const fill = () => {
    const p = new ChargingProfiles();
    p.set(0, holdThenShare(10, 900), at(0));
    p.set(1, lease(101, 7, 24, 0), at(0));
    p.set(2, lease(102, 8, 24, 0), at(0));
    p.set(2, profile({ chargingProfileId: 103, chargingProfilePurpose: 'TxDefaultProfile', stackLevel: 2 }), at(0));
    return p;
  };
  let p = fill();
  assert.equal(
    p.clear({ id: 101, chargingProfilePurpose: 'TxDefaultProfile' }),
    true,
    'the id decides; the other fields are not applied',
  );
  assert.equal(p.size, 3);
  assert.equal(p.clear({ id: 101 }), false, 'gone already: Unknown');
  p = fill();
  assert.equal(p.clear({ chargingProfilePurpose: 'TxProfile' }), true);
  assert.equal(p.size, 2);
  p = fill();
  assert.equal(p.clear({ connectorId: 2 }), true);
  assert.equal(p.size, 2, "connector 2's TxProfile and its TxDefaultProfile");
  p = fill();
  assert.equal(p.clear({ chargingProfilePurpose: 'TxDefaultProfile', stackLevel: 8 }), true);
  assert.equal(p.size, 3, 'only the level-8 default');
  assert.equal(p.clear({ chargingProfilePurpose: 'TxDefaultProfile', stackLevel: 5 }), false);
  p = fill();
  assert.equal(p.clear({}), true, 'no criteria: everything');
  assert.equal(p.size, 0);
});

test('a profile that would exceed MaxChargingProfilesInstalled is refused; a replacement is not counted twice', () => {
  const p = new ChargingProfiles();
  assert.equal(p.set(0, holdThenShare(10, 1), at(0), 2), true);
  assert.equal(p.set(1, lease(2, 7, 24, 0), at(0), 2), true);
  assert.equal(p.set(1, lease(2, 7, 20, 300), at(300), 2), true, 'the same id replaces');
  assert.equal(p.set(2, lease(3, 8, 20, 0), at(0), 2), false);
  assert.equal(p.size, 2);
});
