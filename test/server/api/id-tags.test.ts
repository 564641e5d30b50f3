import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestApp, type TestApp } from '../../helpers/app.ts';
import { engineName } from '../../helpers/db.ts';

describe(`id tags API on ${engineName}`, () => {
  let t: TestApp;
  let admin: Record<string, string>;
  before(async () => {
    t = await createTestApp();
    admin = await t.as('admin');
  });
  after(() => t.close());

  it('creates tags with expiry, blocking and a parent that must exist', async () => {
    const parent = await t.app.inject({
      method: 'POST',
      url: '/api/id-tags',
      headers: admin,
      payload: { idTag: 'FLEET', description: 'company cars' },
    });
    assert.equal(parent.statusCode, 201);
    const child = await t.app.inject({
      method: 'POST',
      url: '/api/id-tags',
      headers: admin,
      payload: { idTag: 'CAR-7', parentIdTag: 'FLEET', expiryDate: '2026-12-31T16:00:00Z' },
    });
    assert.equal(child.statusCode, 201);
    assert.deepEqual(
      { ...(child.json() as object), createdAt: undefined },
      {
        idTag: 'CAR-7',
        parentIdTag: 'FLEET',
        expiryDate: '2026-12-31T16:00:00.000Z',
        blocked: false,
        description: null,
        createdAt: undefined,
      },
    );
    const orphan = await t.app.inject({
      method: 'POST',
      url: '/api/id-tags',
      headers: admin,
      payload: { idTag: 'X', parentIdTag: 'NOPE' },
    });
    assert.equal(orphan.statusCode, 400);
    assert.ok(orphan.json().fields.parentIdTag);
    assert.equal(
      (await t.app.inject({ method: 'POST', url: '/api/id-tags', headers: admin, payload: { idTag: 'FLEET' } }))
        .statusCode,
      409,
    );
    // IdToken is a CiString (OCPP 1.6 §7.29): another case is the same tag, and finds it.
    assert.equal(
      (await t.app.inject({ method: 'POST', url: '/api/id-tags', headers: admin, payload: { idTag: 'fleet' } }))
        .statusCode,
      409,
    );
    const lower = await t.app.inject({
      method: 'POST',
      url: '/api/id-tags',
      headers: admin,
      payload: { idTag: 'CAR-8', parentIdTag: 'fleet' },
    });
    assert.equal(lower.json().parentIdTag, 'FLEET', 'the parent as registered');
    assert.equal((await t.app.inject({ method: 'DELETE', url: '/api/id-tags/car-8', headers: admin })).statusCode, 204);
    assert.equal(
      (await t.app.inject({ method: 'POST', url: '/api/id-tags', headers: admin, payload: { idTag: 'T'.repeat(21) } }))
        .statusCode,
      400,
      'IdToken is CiString20',
    );
  });

  it('blocks, changes expiry, lists for viewers, deletes for admins', async () => {
    const viewer = await t.as('viewer');
    assert.equal(
      (await t.app.inject({ method: 'PATCH', url: '/api/id-tags/CAR-7', headers: viewer, payload: { blocked: true } }))
        .statusCode,
      403,
    );
    const res = await t.app.inject({
      method: 'PATCH',
      url: '/api/id-tags/CAR-7',
      headers: admin,
      payload: { blocked: true, expiryDate: null },
    });
    assert.equal(res.statusCode, 200);
    assert.equal(res.json().blocked, true);
    assert.equal(res.json().expiryDate, null);
    const list = await t.app.inject({ url: '/api/id-tags', headers: viewer });
    assert.deepEqual(
      list.json().map((r: { idTag: string; blocked: boolean }) => [r.idTag, r.blocked]),
      [
        ['CAR-7', true],
        ['FLEET', false],
      ],
    );
    assert.equal((await t.app.inject({ method: 'DELETE', url: '/api/id-tags/CAR-7', headers: admin })).statusCode, 204);
    assert.equal(
      (await t.app.inject({ method: 'PATCH', url: '/api/id-tags/CAR-7', headers: admin, payload: { blocked: false } }))
        .statusCode,
      404,
    );
  });
});
