import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestApp, type TestApp } from '../../helpers/app.ts';
import { engineName } from '../../helpers/db.ts';
import { dump, SEED_GROUP, SEED_PACKS, SEED_VIN, seedApi } from './fixtures.ts';

const V2 = 'MMV2ARB25G0000926';

describe(`bulk import of an old registry on ${engineName}`, () => {
  let t: TestApp;
  let api: ReturnType<typeof seedApi>;
  before(async () => {
    t = await createTestApp();
    api = seedApi(t);
  });
  after(() => t.close());

  const post = async (
    body: string | object,
    query = '',
    contentType = 'application/json',
    role: 'operator' | 'viewer' = 'operator',
  ) =>
    t.app.inject({
      method: 'POST',
      url: `/api/batteries/import${query}`,
      headers: { ...(await t.as(role)), 'content-type': contentType },
      payload: typeof body === 'string' ? body : JSON.stringify(body),
    });

  const good = [
    { vinCode: SEED_VIN, batteryGroupNo: SEED_GROUP, batteryInfo: SEED_PACKS, createTime: 1517281617000 },
    {
      vinCode: V2,
      batteryGroupNo: '02312-A00926',
      batteryInfo: [{ batteryNo: 'M15027249', bmsNo: 'C02500007407', batteryType: 2 }],
    },
  ];
  // The old cache disagreed with itself: the same pack in two vehicles.
  const bad = [
    ...good,
    {
      vinCode: 'LLV2ANB22F0000777',
      batteryGroupNo: 'X',
      batteryInfo: [{ batteryNo: 'M15027249', bmsNo: 'OTHER', batteryType: 2 }],
    },
    { vinCode: 'NOT-A-VIN', batteryInfo: [] },
  ];

  it('refuses everything by default when one vehicle is bad, reporting each refused row', async () => {
    const before = await dump(t);
    const res = await post(bad);
    assert.equal(res.statusCode, 422);
    const r = res.json();
    assert.equal(r.committed, false);
    assert.deepEqual(
      r.refused.map((x: { ref: string }) => x.ref),
      ['[2]', '[3]'],
    );
    assert.match(r.refused[0].reason, /batteryNo M15027249 is also listed at \[1\]/);
    assert.match(r.refused[1].reason, /vinCode must be a 17-character VIN/);
    assert.equal(await dump(t), before);
  });

  it('a dry run reports what would happen and writes nothing', async () => {
    const before = await dump(t);
    const res = await post(good, '?dryRun=1');
    assert.equal(res.statusCode, 200);
    assert.deepEqual(res.json(), { dryRun: true, committed: false, vehicles: 2, packs: 13, refused: [] });
    assert.equal(await dump(t), before);
  });

  it('skipRefused=1 imports the good vehicles, which then read back through the seed API', async () => {
    const res = await post(bad, '?skipRefused=1');
    assert.equal(res.statusCode, 200);
    const r = res.json() as Record<string, unknown[]>;
    assert.deepEqual(
      { ...r, refused: r.refused!.length },
      { dryRun: false, committed: true, vehicles: 2, packs: 13, refused: 2 },
    );
    assert.deepEqual((await api.byVin(SEED_VIN)).json().data.batteryInfo, SEED_PACKS);
    assert.equal((await api.byBms('C02500007407')).json().data.vinCode, V2);
  });

  it('CSV: one pack per line, grouped by VIN; a conflict with the registry refuses the vehicle', async () => {
    const csv = [
      'vinCode,batteryGroupNo,batteryNo,bmsNo,batteryType',
      'LLV2ANB22F0000888,G8,C-1,CB-1,3',
      'llv2anb22f0000888,G8,C-2,CB-2,3',
      'LLV2ANB22F0000999,G9,C-3,C02500007407,3',
      'LLV2ANB22F0000555,G5,,,',
    ].join('\n');
    const before = await dump(t);
    const refusedAll = await post(csv, '', 'text/csv');
    assert.equal(refusedAll.statusCode, 422);
    assert.deepEqual(refusedAll.json().refused, [
      { ref: 'line 4', vinCode: 'LLV2ANB22F0000999', reason: 'bmsNo C02500007407 belongs to battery M15027249' },
    ]);
    assert.equal(await dump(t), before);
    const res = await post(csv, '?skipRefused=1', 'text/csv');
    assert.equal(res.statusCode, 200);
    assert.equal(res.json().vehicles, 2);
    assert.deepEqual((await api.byVin('LLV2ANB22F0000888')).json().data.batteryInfo, [
      { batteryNo: 'C-1', bmsNo: 'CB-1', batteryType: 3 },
      { batteryNo: 'C-2', bmsNo: 'CB-2', batteryType: 3 },
    ]);
    assert.deepEqual((await api.byVin('LLV2ANB22F0000555')).json().data.batteryInfo, []);
  });

  it('needs the operator role; a body that is no array is a 400', async () => {
    assert.equal((await post(good, '', 'application/json', 'viewer')).statusCode, 403);
    assert.equal((await post({ vinCode: SEED_VIN })).statusCode, 400);
    assert.equal((await post('vin,x\n1,2', '', 'text/csv')).statusCode, 400);
  });
});
