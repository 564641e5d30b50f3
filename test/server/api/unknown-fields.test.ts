import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestApp, type TestApp } from '../../helpers/app.ts';
import { engineName } from '../../helpers/db.ts';

/**
 * A field the server does not know is refused with 400 naming it, never
 * dropped in silence: a misspelt field that answers 200 and changes nothing
 * is how an operator believes a setting took effect when it did not.
 */
describe(`unknown fields are refused, not dropped, on ${engineName}`, () => {
  let t: TestApp;
  let admin: Record<string, string>;
  before(async () => {
    t = await createTestApp();
    admin = await t.as('admin');
    await t.app.repos.chargers.create({ id: 'CP1' }, new Date());
    await t.app.repos.idTags.create({ idTag: 'TAG-1' }, new Date());
  });
  after(() => t.close());

  const refused = (
    res: {
      statusCode: number;
      body: string;
      json(): { code: string; fields: Record<string, string>; message: string };
    },
    names: string[],
  ) => {
    assert.equal(res.statusCode, 400, res.body);
    const body = res.json();
    assert.equal(body.code, 'VALIDATION_FAILED');
    for (const n of names) {
      assert.equal(body.fields[n], 'is not an accepted field', `${n} named in ${res.body}`);
      assert.match(body.message, new RegExp(n.replace('.', '\\.')));
    }
  };

  it('PATCH /api/chargers/<id> with a misspelt field is 400 naming it and changes nothing', async () => {
    const res = await t.app.inject({
      method: 'PATCH',
      url: '/api/chargers/CP1',
      headers: admin,
      payload: { descripton: 'Bay 1' },
    });
    refused(res, ['descripton']);
    const charger = (await t.app.inject({ url: '/api/chargers/CP1', headers: admin })).json();
    assert.equal(charger.description, null);
  });

  it('names every unknown field at once, and saves none of the good ones', async () => {
    const res = await t.app.inject({
      method: 'PATCH',
      url: '/api/chargers/CP1',
      headers: admin,
      payload: { description: 'Bay 1', maxcurrent: 16, colour: 'red' },
    });
    refused(res, ['maxcurrent', 'colour']);
    assert.equal(Object.keys(res.json().fields).length, 2);
    const charger = (await t.app.inject({ url: '/api/chargers/CP1', headers: admin })).json();
    assert.equal(charger.description, null);
    assert.equal(charger.maxCurrent, 32);
  });

  it('registering a charger, a user, a token and an id tag, and logging in', async () => {
    refused(
      await t.app.inject({
        method: 'POST',
        url: '/api/chargers',
        headers: admin,
        payload: { id: 'CP2', secret: 'long-enough-1', registraton: 'Pending' },
      }),
      ['registraton'],
    );
    assert.equal(
      (await t.app.inject({ url: '/api/chargers/CP2', headers: admin })).statusCode,
      404,
      'not registered with its other fields',
    );
    refused(
      await t.app.inject({
        method: 'POST',
        url: '/api/users',
        headers: admin,
        payload: { username: 'eve', password: 'long-password-1', role: 'viewer', isAdmin: true },
      }),
      ['isAdmin'],
    );
    refused(
      await t.app.inject({
        method: 'POST',
        url: '/api/tokens',
        headers: admin,
        payload: { name: 'ci', role: 'viewer', expiresAt: '2027-01-01' },
      }),
      ['expiresAt'],
    );
    refused(
      await t.app.inject({
        method: 'PATCH',
        url: '/api/id-tags/TAG-1',
        headers: admin,
        payload: { blocked: true, expiry: '2027-01-01T00:00:00Z' },
      }),
      ['expiry'],
    );
    const tag = (await t.app.inject({ url: '/api/id-tags', headers: admin }))
      .json()
      .find((x: { idTag: string }) => x.idTag === 'TAG-1');
    assert.equal(tag.blocked, false);
    refused(
      await t.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { username: 'admin-user', password: 'correct-horse', remember: true },
      }),
      ['remember'],
    );
  });

  it('the basic settings form names an unknown field too (its own check)', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/basic/settings/',
      headers: admin,
      payload: { intmaxcurrenta: 20, intmaxcurrentd: 20 },
    });
    assert.equal(res.statusCode, 400);
    assert.deepEqual(Object.keys(res.json().fields), ['intmaxcurrentd']);
    assert.equal((await t.app.inject({ url: '/api/basic/settings/', headers: admin })).json().intmaxcurrenta, 32);
  });

  it('a command payload with a field OCPP 1.6 does not define is 400 (the official schema)', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/chargers/CP1/commands/Reset',
      headers: admin,
      payload: { type: 'Hard', delay: 5 },
    });
    assert.equal(res.statusCode, 400, res.body);
    assert.match(res.body, /delay/);
  });

  it('a misspelt query parameter of the REST lists is 400, not ignored', async () => {
    const cmds = await t.app.inject({ url: '/api/commands?chargerId=CP1', headers: admin });
    assert.equal(cmds.statusCode, 400, cmds.body);
    assert.equal(cmds.json().fields.chargerId, 'is not an accepted field');
    assert.equal((await t.app.inject({ url: '/api/chargers/CP1/commands?limt=5', headers: admin })).statusCode, 400);
    const tx = await t.app.inject({ url: '/api/transactions?pagesize=10', headers: admin });
    assert.equal(tx.statusCode, 400, tx.body);
    assert.equal(tx.json().fields.pagesize, 'is not an accepted field');
    assert.equal((await t.app.inject({ url: '/api/batteries/packs?search=x', headers: admin })).statusCode, 400);
    assert.equal(
      (await t.app.inject({ url: '/api/commands?charger_id=CP1&limit=5', headers: admin })).statusCode,
      200,
      'the right names pass',
    );
  });

  it('the seed-compatible API stays lenient with extra query parameters (legacy cache busters)', async () => {
    for (const url of [
      '/api/basic/settings/?_=1700000000000',
      '/api/charging/record/list/?date=2026-03-15&_=1',
      '/bmw/chart/getAllRecentChargerRecords/?mode=2&_=1',
    ]) {
      const res = await t.app.inject({ url, headers: admin });
      assert.equal(res.statusCode, 200, `${url}: ${res.body}`);
    }
  });

  it('the battery API answers an unknown field in its own envelope with 1001', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/batteryInfo/updateBatteryInfoByBmsNo/BMS-1',
      headers: admin,
      payload: { batteryNo: 'B1', batteryType: 1, batterytype: 2 },
    });
    assert.equal(res.statusCode, 400);
    assert.equal(res.json().code, '1001');
    assert.match(res.json().msg, /batterytype is not an accepted field/);
    const lookup = await t.app.inject({ url: '/batteryInfo/getBatteryInfoEsbpBmsNo/BMS-1', headers: admin });
    assert.equal(lookup.json().code, '1002', 'nothing was created');
  });
});
