import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { ChargerEvent } from '../../contracts/events.ts';
import { ChargePoint } from '../../sim/charge-point.ts';
import type { Ev } from '../../sim/ev-model.ts';
import { Rng } from '../../sim/random.ts';
import { createOcppTestApp, nextEvent, registerCharger, SECRET, type OcppTestApp } from '../helpers/ocpp.ts';
import { SteppedClock } from '../helpers/stepped-clock.ts';

// The simulated car draws min(what the charger offers, its own maximum) on the phases it has,
// stops at 0 below the charger's minimum (SuspendedEVSE) and resumes, and meters what it drew:
// profiles sent through the real server's command API (OCPP 1.6 §5.16) on one clock shared by both.
const T0 = Date.parse('2026-12-02T08:00:00Z');
const clock = new SteppedClock(new Date(T0));
let t: OcppTestApp;
let operator: Record<string, string>;
const chargePoints: ChargePoint[] = [];
/** Upper bound for an awaited event: generous, as the first ones wait behind a charger's registration (scrypt) on a busy machine. */
const WAIT_MS = 30_000;
const event = (match: (e: ChargerEvent) => boolean) => nextEvent(t, match, WAIT_MS);

const car = (over: Partial<Ev>): Ev => ({
  capacityWh: 60_000,
  socPercent: 30,
  targetSoc: 100,
  maxAmps: 32,
  phases: 3,
  reportsSoc: false,
  imbalance: [1, 1, 1],
  jitterA: 0,
  ...over,
});

before(async () => {
  t = await createOcppTestApp({ clock });
  const admin = await t.as('admin');
  operator = await t.as('operator');
  // Steering off: only the profiles these tests send act on the chargers.
  const off = await t.app.inject({
    method: 'POST',
    url: '/api/basic/settings/',
    headers: admin,
    payload: { blncurrentdistribution: 0 },
  });
  assert.equal(off.statusCode, 200, off.body);
});
after(async () => {
  await Promise.all(chargePoints.map((cp) => cp.stop()));
  await t.close();
});

/** A simulated charger on the real server, booted, with a session of `ev` running and its transactionId known. */
async function charging(id: string, phases: 1 | 3, ev: Ev) {
  await registerCharger(t, id, { maxPhase: phases });
  const idTag = `TAG-${id}`;
  const tag = await t.app.inject({
    method: 'POST',
    url: '/api/id-tags',
    headers: await t.as('admin'),
    payload: { idTag },
  });
  assert.equal(tag.statusCode, 201, tag.body);
  const cp = new ChargePoint({
    id,
    url: t.endpoint,
    secret: SECRET,
    clock,
    rng: new Rng(id),
    phases,
    maxAmps: 32,
    minAmps: 6,
    meterStartWh: 1000,
  });
  chargePoints.push(cp);
  const booted = event((e) => e.type === 'status' && e.chargerId === id && e.connectorId === 1);
  await cp.start();
  await booted;
  const started = event((e) => e.type === 'transaction.started' && e.chargerId === id);
  const c = cp.connectors[0]!;
  void cp.startSession(c, { idTag, plugS: 8 * 3600, ev });
  const tx = (await started) as Extract<ChargerEvent, { type: 'transaction.started' }>;
  await until(() => c.session?.transactionId === tx.transactionId);
  return { cp, transactionId: tx.transactionId, draw: () => cp.presentDraw()[0]! };
}

async function setProfile(id: string, connectorId: number, csChargingProfiles: Record<string, unknown>) {
  const res = await t.app.inject({
    method: 'POST',
    url: `/api/chargers/${id}/commands/SetChargingProfile`,
    headers: operator,
    payload: { connectorId, csChargingProfiles },
  });
  assert.equal(res.statusCode, 200, res.body);
  return (res.json() as { response: { status: string } }).response.status;
}

/** The controller's kind of allowance: Absolute from now for `durationS`, for the transaction. */
const allowance = (transactionId: number, limit: number, numberPhases = 3, durationS = 600) => ({
  chargingProfileId: 1000 + transactionId,
  transactionId,
  stackLevel: 8,
  chargingProfilePurpose: 'TxProfile',
  chargingProfileKind: 'Absolute',
  chargingSchedule: {
    startSchedule: clock.now().toISOString(),
    duration: durationS,
    chargingRateUnit: 'A',
    chargingSchedulePeriod: [{ startPeriod: 0, limit, numberPhases }],
  },
});

const meterOf = (id: string, atMs: number) =>
  event((e) => e.type === 'meter' && e.chargerId === id && Date.parse(e.timestamp) === atMs) as Promise<
    Extract<ChargerEvent, { type: 'meter' }>
  >;
const value = (m: Extract<ChargerEvent, { type: 'meter' }>, measurand: string, phase?: string) =>
  m.values.find((v) => v.measurand === measurand && v.phase === phase)?.value;
const statusOf = (id: string, status: string) =>
  event((e) => e.type === 'status' && e.chargerId === id && e.connectorId === 1 && e.status === status);

test('a 16 A single-phase car on a 32 A three-phase charger: min(offer, car), on L1 only; a profile lowers it at once and the next MeterValues says so', async () => {
  const id = 'EVD0001';
  const firstMeter = meterOf(id, T0);
  const { cp, transactionId, draw } = await charging(id, 3, car({ maxAmps: 16, phases: 1 }));
  assert.deepEqual(draw().amps, [16, 0, 0], "the car's own maximum, on the first phase");
  assert.equal(draw().offeredA, 32, 'no profile: the charger offers its maximum');
  const begin = await firstMeter;
  assert.equal(value(begin, 'Current.Import', 'L1'), 16);
  assert.equal(value(begin, 'Current.Import', 'L2'), 0, "the charger's idle phases read 0");
  assert.equal(value(begin, 'Current.Import', 'L3'), 0);
  assert.equal(value(begin, 'Current.Offered'), 32);
  assert.equal(value(begin, 'Power.Active.Import'), Math.round(16 * 230 * 0.99));
  const startWh = value(begin, 'Energy.Active.Import.Register')!;

  await clock.advance(30_000);
  assert.equal(await setProfile(id, 1, allowance(transactionId, 10)), 'Accepted');
  assert.deepEqual(draw().amps, [10, 0, 0], 'lowered before the answer came back');
  assert.equal(draw().offeredA, 10);
  const next = meterOf(id, T0 + 60_000);
  await clock.advance(30_000);
  const m = await next;
  assert.equal(value(m, 'Current.Import', 'L1'), 10);
  assert.equal(value(m, 'Current.Offered'), 10);
  assert.equal(value(m, 'Power.Active.Import'), Math.round(10 * 230 * 0.99));
  // 30 s at 16 A, then 30 s at 10 A, at 230 V and cos φ 0.99
  const wh = ((16 * 30 + 10 * 30) * 230 * 0.99) / 3600;
  assert.equal(
    value(m, 'Energy.Active.Import.Register')! - startWh,
    Math.floor(wh),
    'the register is the integral of the draw',
  );
  assert.equal(cp.connectors[0]!.status, 'Charging');
});

test("a limit of 0, or below the charger's minimum, suspends the car (SuspendedEVSE, 0 A); current back, it charges again", async () => {
  const id = 'EVD0002';
  const { transactionId, draw } = await charging(id, 3, car({ maxAmps: 32, phases: 3 }));
  assert.deepEqual(draw().amps, [32, 32, 32]);
  const suspended = statusOf(id, 'SuspendedEVSE');
  assert.equal(await setProfile(id, 1, allowance(transactionId, 0)), 'Accepted');
  assert.deepEqual(draw().amps, [0, 0, 0]);
  assert.equal(draw().offeredA, 0);
  await suspended;
  const sample = meterOf(id, clock.now().getTime() + 60_000);
  await clock.advance(60_000);
  const m = await sample;
  for (const phase of ['L1', 'L2', 'L3']) assert.equal(value(m, 'Current.Import', phase), 0);
  assert.equal(value(m, 'Current.Offered'), 0);

  assert.equal(await setProfile(id, 1, allowance(transactionId, 4)), 'Accepted');
  assert.deepEqual(draw().amps, [0, 0, 0], "4 A is below the charger's 6 A minimum: still suspended");
  const resumed = statusOf(id, 'Charging');
  assert.equal(await setProfile(id, 1, allowance(transactionId, 20)), 'Accepted');
  assert.deepEqual(draw().amps, [20, 20, 20]);
  await resumed;
});

test('numberPhases 1 lets a three-phase car draw on L1 only; a single-phase charger meters L1 alone', async () => {
  const three = 'EVD0003';
  const { transactionId, draw } = await charging(three, 3, car({ maxAmps: 32, phases: 3 }));
  assert.equal(await setProfile(three, 1, allowance(transactionId, 20, 1)), 'Accepted');
  assert.deepEqual(draw().amps, [20, 0, 0]);
  assert.equal(await setProfile(three, 1, allowance(transactionId, 20, 3)), 'Accepted');
  assert.deepEqual(draw().amps, [20, 20, 20]);

  const single = 'EVD0004';
  const sample = meterOf(single, clock.now().getTime());
  const one = await charging(single, 1, car({ maxAmps: 32, phases: 3 }));
  assert.deepEqual(one.draw().amps, [32, 0, 0], 'a three-phase car on a single-phase charger');
  const m = await sample;
  assert.equal(value(m, 'Current.Import', 'L1'), 32);
  assert.deepEqual(
    m.values.filter((v) => v.measurand === 'Current.Import').map((v) => v.phase),
    ['L1'],
  );
});

test('the failsafe over the wire: a Relative default holds a new session at 0 A; its lease charges it; when the lease runs out the default applies again', async () => {
  const id = 'EVD0005';
  await registerCharger(t, id, { maxPhase: 3 });
  const cp = new ChargePoint({
    id,
    url: t.endpoint,
    secret: SECRET,
    clock,
    rng: new Rng(id),
    phases: 3,
    maxAmps: 32,
    minAmps: 6,
  });
  chargePoints.push(cp);
  const booted = event((e) => e.type === 'status' && e.chargerId === id && e.connectorId === 1);
  await cp.start();
  await booted;
  const hold = {
    chargingProfileId: 900,
    stackLevel: 8,
    chargingProfilePurpose: 'TxDefaultProfile',
    chargingProfileKind: 'Relative',
    chargingSchedule: {
      chargingRateUnit: 'A',
      chargingSchedulePeriod: [
        { startPeriod: 0, limit: 0 },
        { startPeriod: 600, limit: 12 },
      ],
    },
  };
  assert.equal(await setProfile(id, 0, hold), 'Accepted');
  const tag = await t.app.inject({
    method: 'POST',
    url: '/api/id-tags',
    headers: await t.as('admin'),
    payload: { idTag: 'TAG-HOLD' },
  });
  assert.equal(tag.statusCode, 201);
  const started = event((e) => e.type === 'transaction.started' && e.chargerId === id);
  const suspended = statusOf(id, 'SuspendedEVSE');
  const c = cp.connectors[0]!;
  void cp.startSession(c, { idTag: 'TAG-HOLD', plugS: 8 * 3600, ev: car({}) });
  const tx = (await started) as Extract<ChargerEvent, { type: 'transaction.started' }>;
  await suspended;
  await until(() => c.session?.transactionId === tx.transactionId);
  const draw = () => cp.presentDraw()[0]!;
  assert.deepEqual(draw().amps, [0, 0, 0], 'held: adds nothing before its allowance');

  const charging = statusOf(id, 'Charging');
  assert.equal(await setProfile(id, 1, allowance(tx.transactionId, 24, 3, 300)), 'Accepted');
  assert.deepEqual(draw().amps, [24, 24, 24]);
  await charging;
  const heldAgain = statusOf(id, 'SuspendedEVSE');
  await clock.advance(299_000);
  assert.deepEqual(draw().amps, [24, 24, 24]);
  await clock.advance(1000);
  await until(() => draw().amps[0] === 0);
  await heldAgain;
  const share = statusOf(id, 'Charging');
  await clock.advance(300_000);
  await until(() => draw().amps[0] === 12);
  assert.deepEqual(draw().amps, [12, 12, 12], "the default's safe share once its hold is over");
  await share;
});

/** Polls a condition on the event loop (no real-time sleeps), failing after WAIT_MS. */
async function until(fn: () => boolean, timeoutMs = WAIT_MS): Promise<void> {
  const started = Date.now();
  while (!fn()) {
    if (Date.now() - started > timeoutMs) throw new Error('condition not met in time');
    await new Promise((r) => setImmediate(r));
  }
}
