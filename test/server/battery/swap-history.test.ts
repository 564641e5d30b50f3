import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ManualClock } from '../../../server/clock.ts';
import { createTestApp, type TestApp } from '../../helpers/app.ts';
import { engineName } from '../../helpers/db.ts';
import { seedApi } from './fixtures.ts';

const V1 = 'LLV2ANB22F0000001';
const V2 = 'LLV2ANB22F0000002';
const pack = (n: number) => ({ batteryNo: `P${n}`, bmsNo: `B${n}`, batteryType: 2 });

describe(`swaps and history on ${engineName}`, () => {
  let t: TestApp;
  let api: ReturnType<typeof seedApi>;
  const clock = () => t.clock as ManualClock;
  before(async () => {
    t = await createTestApp();
    api = seedApi(t);
    await api.putVehicle(V1, { batteryGroupNo: 'G1', batteryInfo: [pack(1), pack(2)] });
    await api.putVehicle(V2, { batteryGroupNo: 'G2', batteryInfo: [pack(3), pack(4)] });
  });
  after(() => t.close());

  const packsOf = async (vin: string) =>
    (await api.byVin(vin)).json().data.batteryInfo.map((p: { batteryNo: string }) => p.batteryNo);

  it('a swap between two vehicles moves each pack out of its old vehicle', async () => {
    clock().advance(60_000);
    assert.equal((await api.putByNo('P2', { vinCode: V2 })).statusCode, 200);
    clock().advance(60_000);
    assert.equal((await api.putByBms('B3', { vinCode: V1 })).statusCode, 200);
    assert.deepEqual(await packsOf(V1), ['P1', 'P3']);
    assert.deepEqual(await packsOf(V2), ['P4', 'P2']);
    assert.deepEqual((await api.byBms('B2')).json().data, { ...pack(2), vinCode: V2, batteryGroupNo: 'G2' });
    assert.deepEqual((await api.byNo('P3')).json().data, { ...pack(3), vinCode: V1, batteryGroupNo: 'G1' });
  });

  it('a whole-set update takes a pack from another vehicle and unassigns the packs left out', async () => {
    clock().advance(60_000);
    assert.equal((await api.putVehicle(V1, { batteryInfo: [pack(4), pack(1)] })).statusCode, 200);
    assert.deepEqual(await packsOf(V1), ['P4', 'P1']);
    assert.deepEqual(await packsOf(V2), ['P2']);
    assert.deepEqual((await api.byNo('P3')).json().data, { ...pack(3), vinCode: null, batteryGroupNo: null });
    assert.equal((await api.byVin(V1)).json().data.batteryGroupNo, 'G1', 'an absent batteryGroupNo is left as it was');
  });

  it('vinCode null takes a pack out; a move creates a missing vehicle', async () => {
    const V3 = 'LLV2ANB22F0000003';
    assert.equal((await api.putByNo('P2', { vinCode: null })).statusCode, 200);
    assert.deepEqual(await packsOf(V2), []);
    assert.equal((await api.putByNo('P2', { vinCode: V3.toLowerCase(), batteryGroupNo: 'G3' })).statusCode, 200);
    assert.deepEqual((await api.byVin(V3)).json().data, {
      vinCode: V3,
      batteryGroupNo: 'G3',
      batteryInfo: [pack(2)],
      createTime: clock().now().getTime(),
    });
  });

  it('history reads back who, when, before and after, per vehicle and per pack, newest first', async () => {
    const h = await t.as('viewer');
    const byPack = await t.app.inject({ url: '/api/batteries/history?batteryNo=P3', headers: h });
    assert.equal(byPack.statusCode, 200);
    const items = byPack.json().items;
    assert.deepEqual(
      items.map((i: { action: string }) => i.action),
      ['pack.move', 'pack.move', 'pack.create'],
    );
    assert.deepEqual(items[0].before, { ...pack(3), vinCode: V1 });
    assert.deepEqual(items[0].after, { ...pack(3), vinCode: null });
    assert.deepEqual(items[1].before, { ...pack(3), vinCode: V2 });
    assert.deepEqual(items[1].after, { ...pack(3), vinCode: V1 });
    assert.equal(items[1].actor, 'user:operator-user');
    assert.equal(items[1].at, '2026-03-15T08:02:00.000Z');
    assert.equal(items[2].before, null);

    const byVin = await t.app.inject({ url: `/api/batteries/history?vin=${V2}&pageSize=2`, headers: h });
    const v = byVin.json();
    assert.equal(v.pageSize, 2);
    assert.equal(v.items.length, 2);
    assert.ok(v.total > 2);
    assert.deepEqual(v.items[0].after, { vinCode: V2, batteryGroupNo: 'G2', batteryNos: [] });
    assert.deepEqual(v.items[0].before, { vinCode: V2, batteryGroupNo: 'G2', batteryNos: ['P2'] });
    const page2 = (
      await t.app.inject({ url: `/api/batteries/history?vin=${V2}&pageSize=2&page=2`, headers: h })
    ).json();
    assert.notDeepEqual(page2.items[0], v.items[0]);
    assert.equal((await t.app.inject({ url: '/api/batteries/history', headers: h })).statusCode, 400);
  });

  it('vehicle and pack lists for the dashboard', async () => {
    const h = await t.as('viewer');
    const vs = (await t.app.inject({ url: '/api/batteries/vehicles?q=llv2anb22f000000', headers: h })).json();
    assert.deepEqual(
      vs.items.map((v: { vinCode: string; packs: number }) => [v.vinCode, v.packs]),
      [
        [V1, 2],
        [V2, 0],
        ['LLV2ANB22F0000003', 1],
      ],
    );
    assert.equal(vs.total, 3);
    const ps = (await t.app.inject({ url: `/api/batteries/packs?vin=${V1}`, headers: h })).json();
    assert.deepEqual(
      ps.items.map((p: { batteryNo: string }) => p.batteryNo),
      ['P1', 'P4'],
    );
    const q = (await t.app.inject({ url: '/api/batteries/packs?q=b3', headers: h })).json();
    assert.deepEqual(q.items, [{ ...pack(3), vinCode: null, batteryGroupNo: null }]);
    assert.equal((await t.app.inject({ url: '/api/batteries/packs' })).statusCode, 401);
  });
});
