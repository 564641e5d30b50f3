import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { SampleInput } from '../../../db/repositories/transactions.ts';
import { ManualClock } from '../../../server/clock.ts';
import { createTestApp, type TestApp } from '../../helpers/app.ts';
import { chargingFixtures } from '../../helpers/charging-fixtures.ts';
import { engineName } from '../../helpers/db.ts';

const TZ = 'Europe/Berlin';
const NOW = new Date('2026-03-15T08:00:00Z');
const START = Date.parse('2026-03-15T06:00:00Z');
const SAMPLES = 600; // 10 s apart: 100 minutes

interface Sample {
  timestamp: string;
  measurand: string;
  phase: string | null;
  unit: string;
  value: number;
  context: string;
}

/** Power rises and falls with one spike at sample 321; current per phase; the register; SoC. */
function samplesOf(chargerId: string, transactionId: number): SampleInput[] {
  const rows: SampleInput[] = [];
  const base = { chargerId, connectorId: 1, transactionId, location: 'Outlet', format: 'Raw' };
  for (let i = 0; i < SAMPLES; i++) {
    const timestamp = new Date(START + i * 10_000);
    const context = i === 0 ? 'Transaction.Begin' : 'Sample.Periodic';
    const w = i === 321 ? 22_000 : 7000 + Math.round(3000 * Math.sin(i / 50));
    rows.push({
      ...base,
      timestamp,
      context,
      measurand: 'Power.Active.Import',
      phase: '',
      unit: 'W',
      value: String(w),
    });
    rows.push({
      ...base,
      timestamp,
      context,
      measurand: 'Energy.Active.Import.Register',
      phase: '',
      unit: 'Wh',
      value: String(1000 + i * 20),
    });
    for (const phase of ['L1', 'L2', 'L3'])
      rows.push({
        ...base,
        timestamp,
        context,
        measurand: 'Current.Import',
        phase,
        unit: 'A',
        value: (10 + (i % 7)).toFixed(1),
      });
    if (i % 6 === 0)
      rows.push({
        ...base,
        timestamp,
        context,
        measurand: 'SoC',
        phase: '',
        unit: 'Percent',
        location: 'EV',
        value: String(20 + i / 10),
      });
  }
  // A signed reading is not part of the curve.
  rows.push({
    ...base,
    timestamp: new Date(START),
    context: 'Transaction.Begin',
    measurand: 'Energy.Active.Import.Register',
    phase: '',
    unit: 'Wh',
    format: 'SignedData',
    value: 'OCMF|{}|{}',
  });
  return rows;
}

/** Raw values as chargers write them, numbers or not: only the numbers belong in a curve. */
const ODD = [
  '12.5',
  ' 7 ',
  '',
  'n/a',
  '1e3',
  '-0.25',
  'NaN',
  'Infinity',
  '+4',
  '.5',
  '3.',
  '0x10x',
  '1,5',
  '-',
  '1e500',
];
function oddSamples(chargerId: string, transactionId: number): SampleInput[] {
  return ODD.map((value, i) => ({
    chargerId,
    connectorId: 1,
    transactionId,
    timestamp: new Date(Date.parse('2026-03-14T10:00:00Z') + i * 60_000),
    measurand: 'Power.Active.Import',
    phase: '',
    location: 'Outlet',
    context: 'Sample.Periodic',
    unit: 'W',
    format: 'Raw',
    value,
  }));
}

const keyOf = (s: Sample) => `${s.measurand}|${s.phase}|${s.unit}`;
function seriesOf(list: readonly Sample[]): Map<string, Sample[]> {
  const m = new Map<string, Sample[]>();
  for (const s of list) m.set(keyOf(s), [...(m.get(keyOf(s)) ?? []), s]);
  return m;
}

/**
 * The downsampling rule in plain JS over the full answer (what
 * db/repositories/session-curve.ts downsampled() does in SQL): a series of at
 * most `points` samples whole; else floor((points - 2) / 2) time buckets over
 * the session's span, each keeping the series' lowest and highest sample (the
 * earlier on a tie), plus the series' first and last sample.
 */
function reference(all: readonly Sample[], points: number): Sample[] {
  if (all.length === 0) return [];
  const at = (s: Sample) => Date.parse(s.timestamp);
  const buckets = Math.max(0, Math.floor((points - 2) / 2));
  const lo = at(all[0]!);
  const width = Math.max(at(all[all.length - 1]!) - lo, 1) / Math.max(buckets, 1);
  const kept = new Set<Sample>();
  for (const list of seriesOf(all).values()) {
    if (list.length <= points) {
      for (const s of list) kept.add(s);
      continue;
    }
    kept.add(list[0]!).add(list[list.length - 1]!);
    const picks = new Map<number, { min: Sample; max: Sample }>();
    for (const s of buckets > 0 ? list : []) {
      const b = Math.min(buckets - 1, Math.floor((at(s) - lo) / width));
      const p = picks.get(b);
      if (!p) picks.set(b, { min: s, max: s });
      else {
        if (s.value < p.min.value) p.min = s;
        if (s.value > p.max.value) p.max = s;
      }
    }
    for (const p of picks.values()) kept.add(p.min).add(p.max);
  }
  return all.filter((s) => kept.has(s));
}

describe(`a session and its curve: GET /api/transactions/<id> and /meter-values on ${engineName}`, () => {
  let t: TestApp;
  let h: Record<string, string>;
  let running: number;
  let finished: number;
  before(async () => {
    t = await createTestApp({ config: { siteTz: TZ }, clock: new ManualClock(NOW) });
    const f = chargingFixtures(t.app.repos, TZ);
    await f.charger('CP-C', { boot: '2026-03-01T00:00:00Z', status: 'Charging' });
    finished = await f.session('CP-C', '2026-03-14T10:00:00Z', '2026-03-14T11:30:00Z', 9000, { idTag: 'CARD-F' });
    running = await f.running('CP-C', '2026-03-15T06:00:00Z', { currentA: 16, energyWh: 11_980 });
    for (let i = 0; i < SAMPLES * 6; i += 500)
      await t.app.repos.transactions.addSamples(samplesOf('CP-C', running).slice(i, i + 500));
    await t.app.repos.transactions.addSamples(oddSamples('CP-C', finished));
    const record = (at: string, by: string, action: string, payload: unknown, response: unknown) =>
      t.app.repos.commands.record({
        chargerId: 'CP-C',
        action,
        payload,
        requestedBy: by,
        requestedAt: new Date(at),
        outcome: 'answered',
        response,
        answeredAt: new Date(at),
        durationMs: 40,
      });
    const profile = (transactionId: number, limit: number) => ({
      connectorId: 1,
      csChargingProfiles: {
        chargingProfileId: 101,
        transactionId,
        stackLevel: 1,
        chargingProfilePurpose: 'TxProfile',
        chargingProfileKind: 'Absolute',
        chargingSchedule: { chargingRateUnit: 'A', chargingSchedulePeriod: [{ startPeriod: 0, limit }] },
      },
    });
    await record('2026-03-15T05:00:00Z', 'system:load', 'SetChargingProfile', profile(running, 8), {
      status: 'Accepted',
    });
    await record('2026-03-15T06:01:00Z', 'system:load', 'SetChargingProfile', profile(running, 16), {
      status: 'Accepted',
    });
    await record('2026-03-15T06:20:00Z', 'system:load', 'SetChargingProfile', profile(running, 10.5), {
      status: 'Rejected',
    });
    await record('2026-03-15T06:30:00Z', 'system:load', 'SetChargingProfile', profile(finished, 6), {
      status: 'Accepted',
    });
    await record('2026-03-15T06:40:00Z', 'system:load', 'SetChargingProfile', profile(running, 12.5), {
      status: 'Accepted',
    });
    await record(
      '2026-03-15T07:00:00Z',
      'operator-user',
      'TriggerMessage',
      { requestedMessage: 'MeterValues' },
      { status: 'Accepted' },
    );
    h = await t.as('viewer');
  });
  after(() => t.close());
  const get = (url: string) => t.app.inject({ url, headers: h });

  it('answers a running session with its allowances and the commands sent while it ran', async () => {
    const res = await get(`/api/transactions/${running}`);
    assert.equal(res.statusCode, 200, res.body);
    const s = res.json();
    assert.equal(s.running, true);
    assert.equal(s.startedAtIso, '2026-03-15T06:00:00.000Z');
    assert.equal(s.stoppedAtIso, null);
    assert.equal(s.durationSeconds, 7200, 'until now while running');
    assert.equal(s.liveEnergyKWh, 11.98);
    assert.deepEqual(s.allowances, [
      { at: '2026-03-15T06:01:00.000Z', limitA: 16 },
      { at: '2026-03-15T06:40:00.000Z', limitA: 12.5 },
    ]);
    assert.deepEqual(
      s.commands.map((c: { action: string; requestedBy: string; status: string }) => [
        c.action,
        c.requestedBy,
        c.status,
      ]),
      [
        ['SetChargingProfile', 'system:load', 'Accepted'],
        ['SetChargingProfile', 'system:load', 'Rejected'],
        ['SetChargingProfile', 'system:load', 'Accepted'],
        ['SetChargingProfile', 'system:load', 'Accepted'],
        ['TriggerMessage', 'operator-user', 'Accepted'],
      ],
      'from its start on, not before',
    );
  });

  it('answers a finished session with site-local times, duration, meter start and stop, reason', async () => {
    const s = (await get(`/api/transactions/${finished}`)).json();
    assert.deepEqual(
      [
        s.running,
        s.startedAt,
        s.stoppedAt,
        s.durationSeconds,
        s.meterStart,
        s.meterStop,
        s.energyKWh,
        s.stopReason,
        s.idTag,
      ],
      [false, '2026-03-14 11:00:00', '2026-03-14 12:30:00', 5400, 100_000, 109_000, 9, 'EVDisconnected', 'CARD-F'],
    );
    assert.deepEqual(s.commands, [], 'nothing was sent between its start and stop');
    assert.equal((await get('/api/transactions/999999')).statusCode, 404);
  });

  it('answers every numeric sample in time order without points, signed readings left out', async () => {
    const body = (await get(`/api/transactions/${running}/meter-values`)).json();
    const items = body.items as Sample[];
    assert.equal(body.downsampled, false);
    assert.equal(body.meterStart, 5000);
    assert.equal(items.length, SAMPLES * 5 + SAMPLES / 6);
    assert.equal(body.stored, items.length, 'Raw samples only');
    assert.deepEqual(items[0], {
      timestamp: '2026-03-15T06:00:00.000Z',
      measurand: 'Current.Import',
      phase: 'L1',
      unit: 'A',
      value: 10,
      context: 'Transaction.Begin',
    });
    for (let i = 1; i < items.length; i++) assert.ok(items[i]!.timestamp >= items[i - 1]!.timestamp);
  });

  it("?points=N keeps at most about N per series, with every series' extremes and its first and last value", async () => {
    const all = (await get(`/api/transactions/${running}/meter-values`)).json().items as Sample[];
    const res = await get(`/api/transactions/${running}/meter-values?points=100`);
    assert.equal(res.statusCode, 200, res.body);
    const body = res.json();
    assert.equal(body.downsampled, true);
    const series = (list: Sample[]) => {
      const m = new Map<string, Sample[]>();
      for (const s of list) {
        const k = `${s.measurand}|${s.phase}|${s.unit}`;
        m.set(k, [...(m.get(k) ?? []), s]);
      }
      return m;
    };
    const full = series(all);
    const down = series(body.items as Sample[]);
    assert.deepEqual([...down.keys()].sort(), [...full.keys()].sort());
    for (const [k, list] of down) {
      const whole = full.get(k)!;
      assert.ok(list.length <= 100, `${k}: ${list.length}`);
      assert.ok(list.length >= Math.min(whole.length, 50), `${k}: ${list.length}`);
      const values = whole.map((s) => s.value);
      const kept = list.map((s) => s.value);
      assert.equal(Math.max(...kept), Math.max(...values), `${k} max`);
      assert.equal(Math.min(...kept), Math.min(...values), `${k} min`);
      for (let i = 1; i < list.length; i++) assert.ok(list[i]!.timestamp >= list[i - 1]!.timestamp);
    }
    const power = down.get('Power.Active.Import|null|W')!;
    assert.ok(
      power.some((s) => s.value === 22_000 && s.timestamp === new Date(START + 3_210_000).toISOString()),
      'the spike survives',
    );
    const energy = down.get('Energy.Active.Import.Register|null|Wh')!;
    assert.deepEqual([energy[0]!.value, energy[energy.length - 1]!.value], [1000, 1000 + (SAMPLES - 1) * 20]);
  });

  it('?points=N in the database: each series at most N, its first and last sample, its extremes', async () => {
    const full = (await get(`/api/transactions/${running}/meter-values`)).json();
    const whole = seriesOf(full.items as Sample[]);
    for (const points of [4, 5, 10, 100, 599, 2000]) {
      const res = await get(`/api/transactions/${running}/meter-values?points=${points}`);
      assert.equal(res.statusCode, 200, res.body);
      const body = res.json();
      assert.equal(body.downsampled, true);
      assert.equal(body.stored, full.stored, 'stored counts every numeric sample');
      assert.deepEqual(body.items, reference(full.items as Sample[], points), `points=${points}: the rule`);
      const down = seriesOf(body.items as Sample[]);
      assert.deepEqual([...down.keys()], [...whole.keys()], `points=${points}: every series`);
      for (const [k, all] of whole) {
        const list = down.get(k)!;
        assert.ok(list.length <= points, `points=${points} ${k}: ${list.length}`);
        assert.deepEqual(list[0], all[0], `points=${points} ${k}: first`);
        assert.deepEqual(list[list.length - 1], all[all.length - 1], `points=${points} ${k}: last`);
        const values = all.map((s) => s.value);
        for (const extreme of [Math.min(...values), Math.max(...values)])
          assert.deepEqual(
            list.find((s) => s.value === extreme),
            all.find((s) => s.value === extreme),
            `points=${points} ${k}: the earliest sample of ${extreme}`,
          );
      }
    }
    const two = (await get(`/api/transactions/${running}/meter-values?points=2`)).json();
    for (const [k, list] of seriesOf(two.items as Sample[])) {
      const all = whole.get(k)!;
      assert.deepEqual(list, [all[0], all[all.length - 1]], `points=2 ${k}: first and last only`);
    }
  });

  it('?points=N at or above the stored count answers what no points does', async () => {
    const full = (await get(`/api/transactions/${running}/meter-values`)).json();
    for (const points of [full.stored, full.stored + 1, 20_000]) {
      const body = (await get(`/api/transactions/${running}/meter-values?points=${points}`)).json();
      assert.deepEqual({ ...body, downsampled: false }, full, `points=${points}`);
    }
    // Only numbers count, the same ones on both paths (100,000: the fixture's meter start).
    const odd = (await get(`/api/transactions/${finished}/meter-values`)).json();
    assert.deepEqual(
      (odd.items as Sample[]).map((s) => s.value),
      [100_000, 12.5, 7, 1000, -0.25, 4, 0.5, 3],
    );
    const oddDown = (await get(`/api/transactions/${finished}/meter-values?points=100`)).json();
    assert.deepEqual({ ...oddDown, downsampled: false }, odd);
    const none = (await get(`/api/transactions/999999/meter-values?points=10`)).statusCode;
    assert.equal(none, 404);
  });

  it('refuses points out of range and unknown fields, naming them', async () => {
    for (const [q, field] of [
      ['points=1', 'points'],
      ['points=many', 'points'],
      ['limit=5', 'limit'],
    ]) {
      const res = await get(`/api/transactions/${running}/meter-values?${q}`);
      assert.equal(res.statusCode, 400, q);
      assert.ok(field! in (res.json().fields ?? {}), `${q}: ${res.body}`);
    }
    assert.equal((await get('/api/transactions/999999/meter-values')).statusCode, 404);
  });
});
