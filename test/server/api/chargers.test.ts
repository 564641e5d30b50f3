import assert from 'node:assert/strict';
import type { LightMyRequestResponse } from 'fastify';
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
      method: 'POST',
      url: '/api/chargers',
      headers: admin,
      payload: {
        id: '10245006',
        secret: 'basic-auth-secret',
        socketType: 'GBT',
        maxCurrent: 32,
        minCurrent: 8,
        maxPhase: 1,
        description: 'Bay 1',
      },
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
    assert.equal(
      (
        await t.app.inject({
          method: 'POST',
          url: '/api/chargers',
          headers: admin,
          payload: { id: '10245006', secret: 'another-secret' },
        })
      ).statusCode,
      409,
    );
    assert.equal(
      (
        await t.app.inject({
          method: 'POST',
          url: '/api/chargers',
          headers: admin,
          payload: { id: 'X1', secret: 'short' },
        })
      ).statusCode,
      400,
    );
    const bad = await t.app.inject({
      method: 'POST',
      url: '/api/chargers',
      headers: admin,
      payload: { id: 'X2', secret: 'long-enough-1', maxCurrent: 6, minCurrent: 8 },
    });
    assert.equal(bad.statusCode, 400);
    assert.ok(bad.json().fields.minCurrent);
  });

  it('edits metadata and registration; viewers read, only admins write', async () => {
    const viewer = await t.as('viewer');
    const operator = await t.as('operator');
    assert.equal(
      (
        await t.app.inject({
          method: 'PATCH',
          url: '/api/chargers/10245006',
          headers: operator,
          payload: { ip: '10.0.0.5' },
        })
      ).statusCode,
      403,
    );
    const res = await t.app.inject({
      method: 'PATCH',
      url: '/api/chargers/10245006',
      headers: admin,
      payload: { ip: '10.0.0.5', mac: '00:11:22:33:44:55', maxPhase: 3, registration: 'Pending' },
    });
    assert.equal(res.statusCode, 200);
    const got = await t.app.inject({ url: '/api/chargers/10245006', headers: viewer });
    assert.deepEqual(
      [got.json().ip, got.json().mac, got.json().maxPhase, got.json().registration],
      ['10.0.0.5', '00:11:22:33:44:55', 3, 'Pending'],
    );
    const list = await t.app.inject({ url: '/api/chargers', headers: viewer });
    assert.deepEqual(
      list.json().map((c: { id: string }) => c.id),
      ['10245006'],
    );
    assert.equal(
      (await t.app.inject({ method: 'PATCH', url: '/api/chargers/NOPE', headers: admin, payload: { ip: 'x' } }))
        .statusCode,
      404,
    );
  });

  describe('wiring (docs/PRODUCT.md §7)', () => {
    type Res = LightMyRequestResponse;
    const patch = (payload: object, id = '10245006', headers = admin) =>
      t.app.inject({ method: 'PATCH', url: `/api/chargers/${id}`, headers, payload });
    const get = async (id = '10245006') =>
      (await t.app.inject({ url: `/api/chargers/${id}`, headers: await t.as('viewer') })).json();
    const invalid = (res: Res, field: string) => {
      assert.equal(res.statusCode, 400, res.body);
      assert.equal(res.json().code, 'VALIDATION_FAILED');
      assert.deepEqual(Object.keys(res.json().fields), [field], res.body);
    };
    let circuitId: number;
    before(async () => {
      circuitId = (
        await t.app.repos.circuits.create({ name: 'Level 1', limits: { A: 40, B: 40, C: 40 } }, t.clock.now())
      ).id;
    });

    it('GET answers the rotation (null: the site default), the effective one, the loaded phases and the circuit', async () => {
      const c = await get();
      assert.deepEqual(
        [c.phaseRotation, c.effectiveRotation, c.phases, c.circuitId, c.maxPhase],
        [null, 'ABC', ['A', 'B', 'C'], null, 3],
      );
      // The site default is the seed's vchpowersequence.
      assert.equal(
        (
          await t.app.inject({
            method: 'POST',
            url: '/api/basic/settings/',
            headers: admin,
            payload: { vchpowersequence: 'CAB' },
          })
        ).statusCode,
        200,
      );
      const list = (await t.app.inject({ url: '/api/chargers', headers: admin })).json();
      assert.deepEqual([list[0].effectiveRotation, list[0].phases], ['CAB', ['C', 'A', 'B']]);
      await t.app.inject({
        method: 'POST',
        url: '/api/basic/settings/',
        headers: admin,
        payload: { vchpowersequence: 'ABC' },
      });
    });

    it('PATCH sets maxPhase, the currents, the rotation and the circuit; a 1- or 2-phase charger loads the first phases of its rotation', async () => {
      const events: unknown[] = [];
      const off = t.app.events.subscribe((e) => e.type === 'charger.changed' && events.push(e));
      const res = await patch({ maxPhase: 1, minCurrent: 6, maxCurrent: 16, phaseRotation: 'BCA', circuitId });
      off();
      assert.equal(res.statusCode, 200, res.body);
      const c = await get();
      assert.deepEqual(
        [c.maxPhase, c.minCurrent, c.maxCurrent, c.phaseRotation, c.effectiveRotation, c.phases, c.circuitId],
        [1, 6, 16, 'BCA', 'BCA', ['B'], circuitId],
      );
      assert.deepEqual(res.json().phases, ['B']);
      assert.deepEqual(events, [
        { type: 'charger.changed', chargerId: '10245006', at: t.clock.now().toISOString(), change: 'updated' },
      ]);
      const [audit] = await t.app.repos.audit.recent(1);
      assert.equal(audit!.action, 'charger.update');
      assert.deepEqual(audit!.before, {
        registration: 'Pending',
        maxPhase: 3,
        minCurrent: 8,
        maxCurrent: 32,
        phaseRotation: null,
        circuitId: null,
      });
      assert.deepEqual(audit!.after, { maxPhase: 1, minCurrent: 6, maxCurrent: 16, phaseRotation: 'BCA', circuitId });
      assert.deepEqual((await patch({ maxPhase: 2 })).json().phases, ['B', 'C']);
      assert.deepEqual((await t.app.inject({ url: `/api/circuits/${circuitId}`, headers: admin })).json().chargerIds, [
        '10245006',
      ]);
      // Back to the site default and straight under the site.
      const back = (await patch({ phaseRotation: null, circuitId: null })).json();
      assert.deepEqual(
        [back.phaseRotation, back.effectiveRotation, back.phases, back.circuitId],
        [null, 'ABC', ['A', 'B'], null],
      );
    });

    it('refuses a bad rotation, maxPhase or circuit with 400 naming the field, and stores nothing', async () => {
      const before = await get();
      invalid(await patch({ phaseRotation: 'ABD' }), 'phaseRotation');
      invalid(await patch({ phaseRotation: 'abc' }), 'phaseRotation');
      invalid(await patch({ phaseRotation: 3 }), 'phaseRotation');
      invalid(await patch({ maxPhase: 0 }), 'maxPhase');
      invalid(await patch({ maxPhase: 4 }), 'maxPhase');
      invalid(await patch({ circuitId: 0 }), 'circuitId');
      invalid(await patch({ circuitId: 1.5 }), 'circuitId');
      const unknown = await patch({ circuitId: 9999, maxPhase: 3 });
      invalid(unknown, 'circuitId');
      assert.match(unknown.json().fields.circuitId, /no circuit 9999/);
      invalid(await patch({ phaserotation: 'ABC' }), 'phaserotation');
      assert.deepEqual(await get(), before);
      const post = await t.app.inject({
        method: 'POST',
        url: '/api/chargers',
        headers: admin,
        payload: { id: 'W1', secret: 'long-enough-1', circuitId: 9999 },
      });
      invalid(post, 'circuitId');
      assert.equal((await t.app.inject({ url: '/api/chargers/W1', headers: admin })).statusCode, 404);
    });

    it('minCurrent above maxCurrent after the merge with the stored values is 400 naming the field sent', async () => {
      await patch({ minCurrent: 8, maxCurrent: 32 });
      const min = await patch({ minCurrent: 40 });
      invalid(min, 'minCurrent');
      assert.match(min.json().fields.minCurrent, /maxCurrent \(32\)/);
      const max = await patch({ maxCurrent: 6 });
      invalid(max, 'maxCurrent');
      assert.match(max.json().fields.maxCurrent, /minCurrent \(8\)/);
      invalid(await patch({ minCurrent: 20, maxCurrent: 10 }), 'minCurrent');
      const c = await get();
      assert.deepEqual([c.minCurrent, c.maxCurrent], [8, 32]);
      assert.equal((await patch({ minCurrent: 16, maxCurrent: 16 })).statusCode, 200, 'equal is fine');
      await patch({ minCurrent: 8, maxCurrent: 32 });
    });

    it('two edits at once that are each fine but not together (min 20, max 10): one is refused with a 400, never a 500', async () => {
      for (let round = 0; round < 5; round++) {
        await patch({ minCurrent: 8, maxCurrent: 32 });
        const [a, b] = await Promise.all([patch({ minCurrent: 20 }), patch({ maxCurrent: 10 })]);
        assert.deepEqual([a.statusCode, b.statusCode].sort(), [200, 400], `${a.body} ${b.body}`);
        const c = await get();
        assert.ok(c.minCurrent <= c.maxCurrent, `${c.minCurrent} <= ${c.maxCurrent}`);
      }
      await patch({ minCurrent: 8, maxCurrent: 32 });
    });

    it('POST registers a charger with its wiring', async () => {
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/chargers',
        headers: admin,
        payload: {
          id: 'W2',
          secret: 'long-enough-1',
          maxPhase: 1,
          phaseRotation: 'CBA',
          circuitId,
          minCurrent: 6,
          maxCurrent: 20,
        },
      });
      assert.equal(res.statusCode, 201, res.body);
      const c = res.json();
      assert.deepEqual([c.phaseRotation, c.effectiveRotation, c.phases, c.circuitId], ['CBA', 'CBA', ['C'], circuitId]);
      assert.equal((await t.app.inject({ method: 'DELETE', url: '/api/chargers/W2', headers: admin })).statusCode, 204);
    });

    it('operators and viewers may not change the wiring (403)', async () => {
      for (const role of ['viewer', 'operator'] as const) {
        const res = await patch({ phaseRotation: 'ACB' }, '10245006', await t.as(role));
        assert.equal(res.statusCode, 403, res.body);
      }
      assert.equal((await get()).phaseRotation, null);
    });
  });

  it('deletes a charger', async () => {
    assert.equal(
      (await t.app.inject({ method: 'DELETE', url: '/api/chargers/10245006', headers: admin })).statusCode,
      204,
    );
    assert.equal((await t.app.inject({ url: '/api/chargers/10245006', headers: admin })).statusCode, 404);
    assert.equal(
      (await t.app.inject({ method: 'DELETE', url: '/api/chargers/10245006', headers: admin })).statusCode,
      404,
    );
  });
});
