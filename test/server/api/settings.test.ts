import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { SETTINGS_KEYS } from '../../../contracts/settings.ts';
import { createTestApp, type TestApp } from '../../helpers/app.ts';
import { engineName } from '../../helpers/db.ts';

// Seed 004 §2.4: the example answer, which is also our default.
const SEED = {
  vchcardreadercom: 'Com10',
  yeainstallyear: '2013',
  intinstallmonth: 100,
  blncurrentdistribution: 1,
  vchpowermetercom: 'Com4',
  vchpowersequence: 'ABC',
  intcurrency: 86,
  dblchargingdeductionpower: 3.0,
  intchargingdeductionminute: 120,
  intdeductionprioritypower: 2,
  intdeductionpriorityminute: 1,
  dblpowercoefficient: 0.001,
  blninternaltesting: 1,
  intmaxcurrenta: 32,
  intmaxcurrentb: 32,
  intmaxcurrentc: 32,
};

describe(`basic settings (seed 2.4/2.5) on ${engineName}`, () => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp();
  });
  after(() => t.close());

  const get = async () => t.app.inject({ method: 'GET', url: '/api/basic/settings/', headers: await t.as('viewer') });

  it('GET answers the seed example with its keys in order and its JSON types', async () => {
    const res = await get();
    assert.equal(res.statusCode, 200);
    assert.deepEqual(res.json(), SEED);
    assert.deepEqual(Object.keys(res.json()), [...SETTINGS_KEYS]);
    assert.equal(typeof res.json().yeainstallyear, 'string');
  });

  it('answers with and without the trailing slash', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/basic/settings', headers: await t.as('viewer') });
    assert.equal(res.statusCode, 200);
  });

  it('POST JSON saves and answers the whole set', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/basic/settings/',
      headers: await t.as('admin'),
      payload: { intmaxcurrenta: 40, vchpowersequence: 'CAB', dblpowercoefficient: 0.002 },
    });
    assert.equal(res.statusCode, 200);
    assert.deepEqual(res.json(), { ...SEED, intmaxcurrenta: 40, vchpowersequence: 'CAB', dblpowercoefficient: 0.002 });
    assert.deepEqual((await get()).json(), res.json());
  });

  it('POST form fields are accepted like the legacy form', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/basic/settings/',
      headers: { ...(await t.as('admin')), 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'intmaxcurrentb=25&yeainstallyear=2019&vchcardreadercom=COM3',
    });
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.json().intmaxcurrentb, 25);
    assert.equal(res.json().yeainstallyear, '2019');
  });

  it('a bad field answers 400 naming every bad field and changes nothing', async () => {
    const before = (await get()).json();
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/basic/settings/',
      headers: await t.as('admin'),
      payload: {
        intmaxcurrenta: 12,
        intmaxcurrentb: 'lots',
        vchpowersequence: 'ABD',
        blninternaltesting: 2,
        dblpowercoefficient: 0,
        yeainstallyear: '13',
        intinstallmonth: 1.5,
        colour: 'red',
      },
    });
    assert.equal(res.statusCode, 400);
    const body = res.json();
    assert.equal(body.code, 'VALIDATION_FAILED');
    assert.deepEqual(Object.keys(body.fields).sort(), [
      'blninternaltesting',
      'colour',
      'dblpowercoefficient',
      'intinstallmonth',
      'intmaxcurrentb',
      'vchpowersequence',
      'yeainstallyear',
    ]);
    assert.match(body.fields.intmaxcurrentb, /integer from 0 to 2000/);
    assert.deepEqual((await get()).json(), before, 'the valid intmaxcurrenta was not saved either');
  });

  it('the two deduction priorities must differ', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/basic/settings/',
      headers: await t.as('admin'),
      payload: { intdeductionpriorityminute: 2 },
    });
    assert.equal(res.statusCode, 400);
    assert.ok(res.json().fields.intdeductionpriorityminute);
    const swap = await t.app.inject({
      method: 'POST',
      url: '/api/basic/settings/',
      headers: await t.as('admin'),
      payload: { intdeductionpriorityminute: 2, intdeductionprioritypower: 1 },
    });
    assert.equal(swap.statusCode, 200);
  });

  for (const [what, payload, type] of [
    ['an array', '[1,2]', 'application/json'],
    ['malformed JSON', '{"intmaxcurrenta":', 'application/json'],
    ['an empty object', '{}', 'application/json'],
    ['plain text', 'intmaxcurrenta=1', 'text/plain'],
  ] as const) {
    it(`refuses ${what} with a 4xx error body`, async () => {
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/basic/settings/',
        headers: { ...(await t.as('admin')), 'content-type': type },
        payload,
      });
      assert.ok(res.statusCode === 400 || res.statusCode === 415, `${res.statusCode} ${res.body}`);
      assert.ok(res.json().message);
    });
  }

  it('a save publishes settings.changed, JSON and form alike; a refused one publishes nothing', async () => {
    const seen: unknown[] = [];
    const off = t.app.events.subscribe((e) => e.type === 'settings.changed' && seen.push(e));
    const admin = await t.as('admin');
    const json = await t.app.inject({
      method: 'POST',
      url: '/api/basic/settings/',
      headers: admin,
      payload: { intmaxcurrentc: 50 },
    });
    assert.equal(json.statusCode, 200);
    const form = await t.app.inject({
      method: 'POST',
      url: '/api/basic/settings/',
      headers: { ...admin, 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'blncurrentdistribution=0',
    });
    assert.equal(form.statusCode, 200, form.body);
    const bad = await t.app.inject({
      method: 'POST',
      url: '/api/basic/settings/',
      headers: admin,
      payload: { intmaxcurrentc: 5000 },
    });
    assert.equal(bad.statusCode, 400);
    off();
    const at = t.clock.now().toISOString();
    assert.deepEqual(seen, [
      { type: 'settings.changed', at },
      { type: 'settings.changed', at },
    ]);
  });

  it('viewers and operators may read but not change settings', async () => {
    for (const role of ['viewer', 'operator'] as const) {
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/basic/settings/',
        headers: await t.as(role),
        payload: { intmaxcurrenta: 1 },
      });
      assert.equal(res.statusCode, 403);
    }
  });
});
