import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestApp, type TestApp } from '../../helpers/app.ts';
import { engineName } from '../../helpers/db.ts';

describe(`chargers API on ${engineName}`, () => {
  let t: TestApp;
  let admin: Record<string, string>;
  before(async () => {
    t = await createTestApp();
    admin = await t.as('admin');
  });
  after(() => t.close());

  it('an admin registers a charger with its secret; the answer never holds the hash', async () => {
    const res = await t.app.inject({
      method: 'POST', url: '/api/chargers', headers: admin,
      payload: { id: '10245006', secret: 'basic-auth-secret', socketType: 'GBT', maxCurrent: 32, minCurrent: 8, maxPhase: 1, description: 'Bay 1' },
    });
    assert.equal(res.statusCode, 201, res.body);
    const body = res.json();
    assert.equal(body.id, '10245006');
    assert.equal(body.registration, 'Accepted');
    assert.equal(body.hasSecret, true);
    assert.equal(body.online, false);
    assert.equal(body.connected, false);
    assert.deepEqual(body.connectors, []);
    assert.ok(!res.body.includes('scrypt'), 'no hash in the answer');
    const stored = await t.app.repos.chargers.get('10245006');
    assert.match(stored!.secretHash!, /^scrypt\$/);
    const audit = await t.app.repos.audit.recent(1);
    assert.equal(audit[0]!.action, 'charger.create');
    assert.ok(!JSON.stringify(audit[0]).includes('basic-auth-secret'), 'the secret is not audited');
  });

  it('refuses a duplicate id (409), a short secret and a bad current range (400)', async () => {
    assert.equal((await t.app.inject({ method: 'POST', url: '/api/chargers', headers: admin, payload: { id: '10245006', secret: 'another-secret' } })).statusCode, 409);
    assert.equal((await t.app.inject({ method: 'POST', url: '/api/chargers', headers: admin, payload: { id: 'X1', secret: 'short' } })).statusCode, 400);
    const bad = await t.app.inject({ method: 'POST', url: '/api/chargers', headers: admin, payload: { id: 'X2', secret: 'long-enough-1', maxCurrent: 6, minCurrent: 8 } });
    assert.equal(bad.statusCode, 400);
    assert.ok(bad.json().fields.minCurrent);
  });

  it('edits metadata and registration; viewers read, only admins write', async () => {
    const viewer = await t.as('viewer');
    const operator = await t.as('operator');
    assert.equal((await t.app.inject({ method: 'PATCH', url: '/api/chargers/10245006', headers: operator, payload: { ip: '10.0.0.5' } })).statusCode, 403);
    const res = await t.app.inject({ method: 'PATCH', url: '/api/chargers/10245006', headers: admin, payload: { ip: '10.0.0.5', mac: '00:11:22:33:44:55', maxPhase: 3, registration: 'Pending' } });
    assert.equal(res.statusCode, 200);
    const got = await t.app.inject({ url: '/api/chargers/10245006', headers: viewer });
    assert.deepEqual([got.json().ip, got.json().mac, got.json().maxPhase, got.json().registration], ['10.0.0.5', '00:11:22:33:44:55', 3, 'Pending']);
    const list = await t.app.inject({ url: '/api/chargers', headers: viewer });
    assert.deepEqual(list.json().map((c: { id: string }) => c.id), ['10245006']);
    assert.equal((await t.app.inject({ method: 'PATCH', url: '/api/chargers/NOPE', headers: admin, payload: { ip: 'x' } })).statusCode, 404);
  });

  it('deletes a charger', async () => {
    assert.equal((await t.app.inject({ method: 'DELETE', url: '/api/chargers/10245006', headers: admin })).statusCode, 204);
    assert.equal((await t.app.inject({ url: '/api/chargers/10245006', headers: admin })).statusCode, 404);
    assert.equal((await t.app.inject({ method: 'DELETE', url: '/api/chargers/10245006', headers: admin })).statusCode, 404);
  });
});
