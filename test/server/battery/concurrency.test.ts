import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestApp, type TestApp } from '../../helpers/app.ts';
import { engineName } from '../../helpers/db.ts';
import { rows, seedApi } from './fixtures.ts';

const VINS = ['LLV2ANB22F0000010', 'LLV2ANB22F0000011', 'LLV2ANB22F0000012', 'LLV2ANB22F0000013'];
const PACKS = Array.from({ length: 10 }, (_, i) => ({ batteryNo: `P${i}`, bmsNo: `B${i}`, batteryType: 2 }));
const WRITERS = 160;

/** A small deterministic PRNG (mulberry32), so a failure can be replayed. */
function rng(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe(`many concurrent conflicting writers on ${engineName}`, () => {
  let t: TestApp;
  let api: ReturnType<typeof seedApi>;
  before(async () => {
    t = await createTestApp();
    api = seedApi(t);
    await t.as('operator');
    await t.as('viewer');
    // Register every pack first, so a stolen BMS number always has an owner and must conflict.
    assert.equal((await api.putVehicle(VINS[0]!, { batteryInfo: PACKS })).statusCode, 200);
  });
  after(() => t.close());

  it(`${WRITERS} interleaved whole-set updates, moves, unassignments and BMS conflicts leave every invariant holding`, async () => {
    const r = rng(4242);
    const pick = <T>(xs: T[]) => xs[Math.floor(r() * xs.length)]!;
    const ops: { kind: string; run: () => ReturnType<typeof api.byVin> }[] = [];
    for (let i = 0; i < WRITERS; i++) {
      const k = r();
      if (k < 0.35) {
        const set = [...PACKS].sort(() => r() - 0.5).slice(0, 1 + Math.floor(r() * 4));
        const vin = pick(VINS);
        ops.push({ kind: 'vehicle', run: () => api.putVehicle(vin, { batteryGroupNo: `G-${i}`, batteryInfo: set }) });
      } else if (k < 0.65) {
        const p = pick(PACKS),
          vin = pick(VINS);
        ops.push({
          kind: 'move',
          run: () => api.putByNo(p.batteryNo, { vinCode: vin, batteryType: 2, bmsNo: p.bmsNo }),
        });
      } else if (k < 0.8) {
        const p = pick(PACKS);
        ops.push({
          kind: 'unassign',
          run: () => api.putByBms(p.bmsNo, { batteryNo: p.batteryNo, batteryType: 2, vinCode: null }),
        });
      } else {
        const a = pick(PACKS),
          b = pick(PACKS.filter((x) => x !== a));
        ops.push({ kind: 'steal-bms', run: () => api.putByNo(a.batteryNo, { bmsNo: b.bmsNo, batteryType: 2 }) });
      }
    }
    const results = await Promise.all(ops.map((o) => o.run()));
    const statuses = new Map<string, number>();
    results.forEach((res, i) => {
      const key = `${ops[i]!.kind} ${res.statusCode} ${res.json().code}`;
      statuses.set(key, (statuses.get(key) ?? 0) + 1);
    });
    for (const key of statuses.keys()) {
      // Stealing a BMS number conflicts (its owner exists); everything else succeeds, whatever the
      // interleaving. Nothing may end in an internal error or a retry that gave up.
      assert.match(
        key,
        /^(vehicle|move|unassign) 200 1000$|^steal-bms 409 1003$/,
        `unexpected outcome: ${key} (${[...statuses].join('; ')})`,
      );
    }

    // Invariant: the three look-ups agree. Every pack a vehicle lists points back at it by both keys.
    const seen = new Set<string>();
    for (const vin of VINS) {
      const v = await api.byVin(vin);
      if (v.statusCode === 404) continue;
      for (const p of v.json().data.batteryInfo) {
        assert.ok(!seen.has(p.batteryNo), `${p.batteryNo} listed in two vehicles`);
        seen.add(p.batteryNo);
        assert.equal((await api.byNo(p.batteryNo)).json().data.vinCode, vin);
        if (p.bmsNo) assert.equal((await api.byBms(p.bmsNo)).json().data.vinCode, vin);
      }
    }
    // ...and every pack that names a vehicle is listed by it.
    for (const p of PACKS) {
      const res = await api.byNo(p.batteryNo);
      if (res.statusCode === 404) continue;
      const vin = res.json().data.vinCode;
      assert.equal(
        vin === null ? false : seen.has(p.batteryNo),
        vin !== null,
        `${p.batteryNo} names ${vin} but is not listed there`,
      );
    }
    // No BMS number on two packs, and the history's last word on each pack is its present state.
    const dupBms = await rows(
      t,
      'select bms_no from battery_packs where bms_no is not null group by bms_no having count(*) > 1',
    );
    assert.deepEqual(dupBms, []);
    const packs = await rows(t, 'select battery_no, bms_no, battery_type, vin from battery_packs order by battery_no');
    for (const p of packs) {
      const last = await rows(
        t,
        `select after from battery_history where battery_no = '${p.battery_no}' order by id desc limit 1`,
      );
      assert.deepEqual(last[0]?.after, {
        batteryNo: p.battery_no,
        bmsNo: p.bms_no,
        batteryType: p.battery_type,
        vinCode: p.vin,
      });
    }
    // Each vehicle's last history row lists exactly its present packs.
    for (const vin of VINS) {
      const last = await rows(
        t,
        `select after from battery_history where vin = '${vin}' and battery_no is null order by id desc limit 1`,
      );
      if (!last[0]) continue;
      const now = await rows(t, `select battery_no from battery_packs where vin = '${vin}' order by slot, battery_no`);
      assert.deepEqual(
        (last[0].after as { batteryNos: string[] }).batteryNos,
        now.map((x) => x.battery_no),
      );
    }
  });
});
