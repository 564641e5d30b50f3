import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestApp, type TestApp } from '../../helpers/app.ts';
import { engineName } from '../../helpers/db.ts';
import { OK_EMPTY, SEED_GROUP, SEED_PACK, SEED_PACKS, SEED_VIN, seedApi } from './fixtures.ts';

describe(`battery API seed examples (seed 000) on ${engineName}`, () => {
  let t: TestApp;
  let api: ReturnType<typeof seedApi>;
  before(async () => {
    t = await createTestApp();
    api = seedApi(t);
  });
  after(() => t.close());

  it('§2 writes the seed vehicle; §1, §3 and §5 read it back in the seed shapes', async () => {
    const put = await api.putVehicle(SEED_VIN, { batteryGroupNo: SEED_GROUP, batteryInfo: SEED_PACKS });
    assert.equal(put.statusCode, 200, put.body);
    assert.deepEqual(put.json(), OK_EMPTY);
    assert.equal(put.body, '{"code":"1000","msg":null,"data":null}');

    const res = await api.byVin(SEED_VIN);
    assert.equal(res.statusCode, 200);
    const createTime = new Date('2026-03-15T08:00:00Z').getTime();
    assert.deepEqual(res.json(), {
      code: '1000',
      msg: null,
      data: { vinCode: SEED_VIN, batteryGroupNo: SEED_GROUP, batteryInfo: SEED_PACKS, createTime },
    });
    assert.deepEqual(Object.keys(res.json().data), ['vinCode', 'batteryGroupNo', 'batteryInfo', 'createTime']);
    assert.deepEqual(Object.keys(res.json().data.batteryInfo[0]), ['batteryNo', 'bmsNo', 'batteryType']);

    for (const p of SEED_PACKS) {
      const expected = { code: '1000', msg: null, data: { ...p, vinCode: SEED_VIN, batteryGroupNo: SEED_GROUP } };
      assert.deepEqual((await api.byBms(p.bmsNo)).json(), expected);
      assert.deepEqual((await api.byNo(p.batteryNo)).json(), expected);
    }
    assert.deepEqual(Object.keys((await api.byBms(SEED_PACKS[0]!.bmsNo)).json().data), [
      'batteryNo',
      'bmsNo',
      'batteryType',
      'vinCode',
      'batteryGroupNo',
    ]);
  });

  it('paths answer with and without the trailing slash, and a lower-case VIN is read as upper case', async () => {
    const h = await t.as('viewer');
    const slash = await t.app.inject({ url: `/batteryInfo/getBatteryInfoEsbpByVin/${SEED_VIN}/`, headers: h });
    assert.equal(slash.statusCode, 200);
    const lower = await api.byVin(SEED_VIN.toLowerCase());
    assert.equal(lower.json().data.vinCode, SEED_VIN);
  });

  it('§4 creates the second example by BMS number; §6 and §3/§5 agree', async () => {
    const { bmsNo, ...body } = SEED_PACK;
    const put = await api.putByBms(bmsNo, body);
    assert.equal(put.statusCode, 200, put.body);
    assert.deepEqual(put.json(), OK_EMPTY);
    assert.deepEqual((await api.byBms(bmsNo)).json(), { code: '1000', msg: null, data: SEED_PACK });
    assert.deepEqual((await api.byNo(SEED_PACK.batteryNo)).json(), { code: '1000', msg: null, data: SEED_PACK });
    const vehicle = (await api.byVin(SEED_PACK.vinCode)).json().data;
    assert.equal(vehicle.batteryGroupNo, SEED_PACK.batteryGroupNo);
    assert.deepEqual(vehicle.batteryInfo, [{ batteryNo: 'M15027249', bmsNo: 'C02500007407', batteryType: 2 }]);

    const upd = await api.putByNo(SEED_PACK.batteryNo, { batteryType: 3, batteryGroupNo: '02312-A00927' });
    assert.deepEqual(upd.json(), OK_EMPTY);
    assert.deepEqual((await api.byBms(bmsNo)).json().data, {
      ...SEED_PACK,
      batteryType: 3,
      batteryGroupNo: '02312-A00927',
    });
  });

  it('§6 creates a pack by battery number, changes its BMS number and frees the old one', async () => {
    assert.equal((await api.putByNo('B-100', { bmsNo: 'BMS-100', batteryType: 1 })).statusCode, 200);
    assert.equal((await api.putByNo('B-100', { bmsNo: 'BMS-101' })).statusCode, 200);
    assert.equal((await api.byBms('BMS-100')).statusCode, 404);
    assert.deepEqual((await api.byBms('BMS-101')).json().data, {
      batteryNo: 'B-100',
      bmsNo: 'BMS-101',
      batteryType: 1,
      vinCode: null,
      batteryGroupNo: null,
    });
    assert.equal((await api.putByNo('B-100', { bmsNo: null })).statusCode, 200);
    assert.equal((await api.byNo('B-100')).json().data.bmsNo, null);
  });

  it('unknown keys answer 1002 with 404 in the envelope', async () => {
    for (const res of [await api.byVin('LLV2ANB22F0000999'), await api.byBms('NOPE'), await api.byNo('NOPE')]) {
      assert.equal(res.statusCode, 404);
      assert.equal(res.json().code, '1002');
      assert.equal(res.json().data, null);
      assert.match(res.json().msg, /No (vehicle|battery)/);
    }
  });
});
