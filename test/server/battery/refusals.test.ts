import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestApp, type TestApp } from '../../helpers/app.ts';
import { engineName } from '../../helpers/db.ts';
import { dump, SEED_GROUP, SEED_PACKS, SEED_VIN, seedApi } from './fixtures.ts';

const OTHER_VIN = 'MMV2ARB25G0000926';

describe(`battery API refusals change nothing, on ${engineName}`, () => {
  let t: TestApp;
  let api: ReturnType<typeof seedApi>;
  before(async () => {
    t = await createTestApp();
    api = seedApi(t);
    assert.equal(
      (await api.putVehicle(SEED_VIN, { batteryGroupNo: SEED_GROUP, batteryInfo: SEED_PACKS })).statusCode,
      200,
    );
    assert.equal(
      (
        await api.putVehicle(OTHER_VIN, {
          batteryGroupNo: 'G-2',
          batteryInfo: [{ batteryNo: 'X1', bmsNo: 'XB1', batteryType: 1 }],
        })
      ).statusCode,
      200,
    );
  });
  after(() => t.close());

  /** Sends a request that must be refused with this code and status, and checks the registry is untouched. */
  async function refused(
    send: () => Promise<{ statusCode: number; json(): { code: string; msg: string; data: unknown } }>,
    status: number,
    code: string,
    msg: RegExp,
  ) {
    const before = await dump(t);
    const res = await send();
    assert.equal(res.statusCode, status);
    const body = res.json();
    assert.equal(body.code, code);
    assert.equal(body.data, null);
    assert.match(body.msg, msg);
    assert.equal(await dump(t), before, 'the registry changed');
  }

  it('conflicts (1003): a BMS number already on another pack', async () => {
    const pack = { batteryNo: 'NEW-1', bmsNo: SEED_PACKS[0]!.bmsNo, batteryType: 2 };
    await refused(
      () => api.putVehicle(OTHER_VIN, { batteryInfo: [{ batteryNo: 'X1', bmsNo: 'XB1', batteryType: 1 }, pack] }),
      409,
      '1003',
      /bmsNo C2AB0000018C belongs to battery 4017052327/,
    );
    await refused(
      () => api.putByNo('X1', { bmsNo: SEED_PACKS[1]!.bmsNo }),
      409,
      '1003',
      /belongs to battery 4017052065/,
    );
    await refused(
      () => api.putByBms(SEED_PACKS[2]!.bmsNo, { batteryNo: 'X1' }),
      409,
      '1003',
      /belongs to battery 4017052437/,
    );
    await refused(
      () => api.putByBms('FRESH-BMS', { batteryNo: 'X1', batteryType: 1 }),
      409,
      '1003',
      /battery X1 has bmsNo XB1/,
    );
  });

  it('bad parameters (1001): the same pack or BMS twice in one request, bad fields, each named', async () => {
    const twice = [SEED_PACKS[0]!, { ...SEED_PACKS[0]!, bmsNo: 'OTHER' }];
    await refused(
      () => api.putVehicle(SEED_VIN, { batteryInfo: twice }),
      400,
      '1001',
      /batteryInfo\[1\]\.batteryNo repeats batteryInfo\[0\]/,
    );
    await refused(
      () =>
        api.putVehicle(SEED_VIN, { batteryInfo: [SEED_PACKS[0]!, { ...SEED_PACKS[1]!, bmsNo: SEED_PACKS[0]!.bmsNo }] }),
      400,
      '1001',
      /batteryInfo\[1\]\.bmsNo repeats/,
    );
    await refused(
      () => api.putVehicle('LLV2ANB22F000067', { batteryInfo: [] }),
      400,
      '1001',
      /vinCode must be a 17-character VIN/,
    );
    await refused(
      () => api.putVehicle('LLV2ANB22F000067O', { batteryInfo: [] }),
      400,
      '1001',
      /vinCode .*without I, O, Q/,
    );
    await refused(
      () => api.putVehicle(SEED_VIN, { batteryInfo: [{ ...SEED_PACKS[0]!, batteryType: '2' }] }),
      400,
      '1001',
      /batteryInfo\[0\]\.batteryType must be an integer/,
    );
    await refused(
      () => api.putVehicle(SEED_VIN, { batteryInfo: [{ ...SEED_PACKS[0]!, batteryType: 2.5 }] }),
      400,
      '1001',
      /batteryType/,
    );
    await refused(
      () => api.putVehicle(SEED_VIN, { batteryGroupNo: 'a b', batteryInfo: [] }),
      400,
      '1001',
      /batteryGroupNo must be 1-32 characters/,
    );
    await refused(() => api.putVehicle(SEED_VIN, { batteryGroupNo: 'G' }), 400, '1001', /batteryInfo must be an array/);
    await refused(
      () => api.putVehicle(SEED_VIN, { batteryInfo: [], colour: 'red' }),
      400,
      '1001',
      /colour is not an accepted field/,
    );
    await refused(
      () => api.putVehicle(SEED_VIN, { vinCode: OTHER_VIN, batteryInfo: [] }),
      400,
      '1001',
      /vinCode differs from the VIN in the path/,
    );
    await refused(() => api.putVehicle(SEED_VIN, [1, 2]), 400, '1001', /body must be a JSON object/);
    await refused(() => api.putByNo('X1', { vinCode: 'short' }), 400, '1001', /vinCode must be a 17-character VIN/);
    await refused(
      () => api.putByNo('X1', { batteryType: -1 }),
      400,
      '1001',
      /batteryType must be an integer from 0 to 999/,
    );
    await refused(
      () => api.putByNo('x'.repeat(33), { batteryType: 1 }),
      400,
      '1001',
      /batteryNo must be 1-32 characters/,
    );
    await refused(
      () => api.putByNo('NEW-2', { bmsNo: 'NEW-BMS-2' }),
      400,
      '1001',
      /batteryType is required to register the new battery NEW-2/,
    );
    await refused(
      () => api.putByBms('NEW-BMS-3', { batteryType: 1 }),
      400,
      '1001',
      /batteryNo is required to register the new bmsNo NEW-BMS-3/,
    );
    await refused(
      () => api.putByNo('NEW-4', { batteryType: 1, batteryGroupNo: 'G' }),
      400,
      '1001',
      /batteryGroupNo belongs to a vehicle/,
    );
    await refused(() => api.putByBms('XB1', { bmsNo: 'XB2' }), 400, '1001', /bmsNo differs from the one in the path/);
  });

  it('malformed JSON, a wrong content type and an oversized body get the envelope', async () => {
    const h = await t.as('operator');
    const url = `/batteryInfo/updateBatteryInfoByVinCode/${SEED_VIN}`;
    await refused(
      () =>
        t.app.inject({
          method: 'POST',
          url,
          headers: { ...h, 'content-type': 'application/json' },
          payload: '{"batteryInfo": [',
        }),
      400,
      '1001',
      /not valid JSON/,
    );
    await refused(
      () =>
        t.app.inject({
          method: 'POST',
          url,
          headers: { ...h, 'content-type': 'application/x-www-form-urlencoded' },
          payload: 'batteryGroupNo=x',
        }),
      415,
      '1001',
      /Unsupported content type/,
    );
    const big = JSON.stringify({ batteryInfo: [], pad: 'x'.repeat(70 * 1024) });
    await refused(
      () => t.app.inject({ method: 'POST', url, headers: { ...h, 'content-type': 'application/json' }, payload: big }),
      413,
      '1001',
      /too large/,
    );
    await refused(() => t.app.inject({ method: 'POST', url, headers: h }), 400, '1001', /body must be a JSON object/);
  });

  it('authentication and roles answer 1004 in the envelope; unknown paths 1002', async () => {
    await refused(
      () => t.app.inject({ url: `/batteryInfo/getBatteryInfoEsbpByVin/${SEED_VIN}` }),
      401,
      '1004',
      /Authentication required/,
    );
    await refused(
      () =>
        t.app.inject({
          url: `/batteryInfo/getBatteryInfoEsbpByVin/${SEED_VIN}`,
          headers: { authorization: 'Bearer co_wrong' },
        }),
      401,
      '1004',
      /Authentication required/,
    );
    const viewer = await t.as('viewer');
    await refused(
      () =>
        t.app.inject({
          method: 'POST',
          url: `/batteryInfo/updateBatteryInfoBybatteryNo/X1`,
          headers: viewer,
          payload: { batteryType: 5 },
        }),
      403,
      '1004',
      /operator role/,
    );
    await refused(() => t.app.inject({ url: '/batteryInfo/noSuchThing' }), 401, '1004', /Authentication required/);
    await refused(
      () => t.app.inject({ url: '/batteryInfo/noSuchThing', headers: viewer }),
      404,
      '1002',
      /No battery API GET \/batteryInfo\/noSuchThing/,
    );
  });

  it('a bearer token of an operator may write', async () => {
    const admin = await t.as('admin');
    const tok = await t.app.inject({
      method: 'POST',
      url: '/api/tokens',
      headers: admin,
      payload: { name: 'station-7', role: 'operator' },
    });
    const headers = { authorization: `Bearer ${tok.json().token}` };
    const res = await t.app.inject({
      method: 'POST',
      url: '/batteryInfo/updateBatteryInfoBybatteryNo/X1',
      headers,
      payload: { batteryType: 4 },
    });
    assert.equal(res.statusCode, 200, res.body);
    assert.equal((await api.byNo('X1')).json().data.batteryType, 4);
  });
});
