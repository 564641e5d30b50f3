import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestApp, type TestApp } from '../../helpers/app.ts';
import { engineName } from '../../helpers/db.ts';

/**
 * A JSON body is validated as sent (server/body-validation.ts): a value of the wrong
 * type is a 400 naming its field and changes nothing, never coerced into another value
 * that happens to fit (false into the text "false", "" into null, "16" into 16).
 */
describe(`JSON bodies are not coerced on ${engineName}`, () => {
  let t: TestApp;
  let admin: Record<string, string>;
  before(async () => {
    t = await createTestApp();
    admin = await t.as('admin');
    await t.app.repos.chargers.create({ id: 'CP1' }, new Date());
    const circuit = await t.app.inject({
      method: 'POST',
      url: '/api/circuits',
      headers: admin,
      payload: { name: 'Level 1', limits: { A: 63, B: 63, C: 63 } },
    });
    assert.equal(circuit.statusCode, 201, circuit.body);
    const set = await t.app.inject({
      method: 'PATCH',
      url: '/api/chargers/CP1',
      headers: admin,
      payload: { description: 'Bay 1', maxCurrent: 32, circuitId: circuit.json().id },
    });
    assert.equal(set.statusCode, 200, set.body);
  });
  after(() => t.close());

  const cases: [string, Record<string, unknown>][] = [
    ['a boolean for a text', { description: false }],
    ['a number for a text', { description: 0 }],
    ['a string for a number', { maxCurrent: '16' }],
    ['an empty string for a nullable id', { circuitId: '' }],
    ['false for a nullable id', { circuitId: false }],
    ['0 for a nullable rotation', { phaseRotation: 0 }],
  ];
  for (const [what, payload] of cases) {
    it(`${what} is 400 naming the field, and the charger is unchanged`, async () => {
      const before = (await t.app.inject({ url: '/api/chargers/CP1', headers: admin })).json();
      const res = await t.app.inject({ method: 'PATCH', url: '/api/chargers/CP1', headers: admin, payload });
      assert.equal(res.statusCode, 400, res.body);
      const field = Object.keys(payload)[0]!;
      assert.ok(field in res.json().fields, `${field} named in ${res.body}`);
      const after = (await t.app.inject({ url: '/api/chargers/CP1', headers: admin })).json();
      assert.deepEqual(after, before);
    });
  }

  it('a query string is still read as text and converted (?page=2)', async () => {
    const res = await t.app.inject({ url: '/api/alerts?page=2&pageSize=10', headers: admin });
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.json().page, 2);
  });
});
