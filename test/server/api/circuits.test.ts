import assert from 'node:assert/strict';
import type { LightMyRequestResponse } from 'fastify';
import { after, before, beforeEach, describe, it } from 'node:test';
import type { ChargerEvent } from '../../../contracts/events.ts';
import { ManualClock } from '../../../server/clock.ts';
import { createTestApp, type TestApp } from '../../helpers/app.ts';
import { engineName } from '../../helpers/db.ts';

type Res = LightMyRequestResponse;
type CircuitChanged = Extract<ChargerEvent, { type: 'circuit.changed' }>;

/** Circuits (docs/PRODUCT.md §7): named groups of chargers with per-phase limits, nested under the site; admin only. */
describe(`circuits API on ${engineName}`, () => {
  let t: TestApp;
  const clock = new ManualClock('2026-03-15T08:00:00Z');
  let admin: Record<string, string>;
  let events: CircuitChanged[] = [];
  before(async () => {
    t = await createTestApp({ clock });
    admin = await t.as('admin');
    t.app.events.subscribe((e) => {
      if (e.type === 'circuit.changed') events.push(e);
    });
    await t.app.repos.chargers.create({ id: 'CP1' }, t.clock.now());
  });
  beforeEach(() => {
    events = [];
  });
  after(() => t.close());

  const call = (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: unknown, headers = admin) =>
    t.app.inject({ method, url, headers, ...(payload === undefined ? {} : { payload: payload as object }) });
  const create = async (name: string, limits = { A: 63, B: 63, C: 63 }, parentId?: number | null) => {
    const res = await call('POST', '/api/circuits', { name, limits, ...(parentId !== undefined ? { parentId } : {}) });
    assert.equal(res.statusCode, 201, res.body);
    return res.json() as { id: number; name: string; parentId: number | null };
  };
  const invalid = (res: Res, field: string) => {
    assert.equal(res.statusCode, 400, res.body);
    assert.equal(res.json().code, 'VALIDATION_FAILED');
    assert.ok(res.json().fields[field], `${field} named in ${res.body}`);
  };

  it('creates a circuit, answers its shape, audits it and publishes circuit.changed', async () => {
    const res = await call('POST', '/api/circuits', { name: 'Level 1', limits: { A: 100, B: 80, C: 63.5 } });
    assert.equal(res.statusCode, 201, res.body);
    const c = res.json();
    assert.deepEqual(Object.keys(c).sort(), [
      'chargerIds',
      'createdAt',
      'id',
      'limits',
      'name',
      'parentId',
      'updatedAt',
    ]);
    assert.deepEqual([c.name, c.parentId, c.limits, c.chargerIds], ['Level 1', null, { A: 100, B: 80, C: 63.5 }, []]);
    assert.equal(c.createdAt, t.clock.now().toISOString());
    const [audit] = await t.app.repos.audit.recent(1);
    assert.deepEqual(
      [audit!.action, audit!.target, audit!.actor],
      ['circuit.create', `circuit:${c.id}`, 'user:admin-user'],
    );
    assert.deepEqual(audit!.after, { name: 'Level 1', parentId: null, limits: { A: 100, B: 80, C: 63.5 } });
    assert.deepEqual(events, [
      { type: 'circuit.changed', circuitId: c.id, at: t.clock.now().toISOString(), change: 'created' },
    ]);
    assert.deepEqual((await call('GET', `/api/circuits/${c.id}`)).json(), c);
    assert.deepEqual((await call('GET', '/api/circuits')).json(), [c]);
    await call('DELETE', `/api/circuits/${c.id}`);
  });

  it('refuses bad bodies with 400 naming the field, and unknown fields', async () => {
    invalid(await call('POST', '/api/circuits', { name: 'X' }), 'limits');
    invalid(await call('POST', '/api/circuits', { limits: { A: 1, B: 1, C: 1 } }), 'name');
    invalid(await call('POST', '/api/circuits', { name: 'X', limits: { A: -1, B: 1, C: 1 } }), 'limits.A');
    invalid(await call('POST', '/api/circuits', { name: 'X', limits: { A: 1, B: 1, C: 2000.5 } }), 'limits.C');
    invalid(await call('POST', '/api/circuits', { name: 'X', limits: { A: 1, B: 'lots', C: 1 } }), 'limits.B');
    invalid(await call('POST', '/api/circuits', { name: 'X', limits: { A: 1, B: 1 } }), 'limits.C');
    invalid(await call('POST', '/api/circuits', { name: '  ', limits: { A: 1, B: 1, C: 1 } }), 'name');
    invalid(await call('POST', '/api/circuits', { name: 'X ', limits: { A: 1, B: 1, C: 1 } }), 'name');
    invalid(
      await call('POST', '/api/circuits', { name: 'X', limits: { A: 1, B: 1, C: 1 }, parentId: 9999 }),
      'parentId',
    );
    invalid(await call('POST', '/api/circuits', { name: 'X', limits: { A: 1, B: 1, C: 1 }, parentId: 0 }), 'parentId');
    const unknown = await call('POST', '/api/circuits', {
      name: 'X',
      limits: { A: 1, B: 1, C: 1, D: 1 },
      colour: 'red',
    });
    invalid(unknown, 'colour');
    const body = unknown.json();
    assert.equal(body.fields.colour, 'is not an accepted field');
    invalid(await call('POST', '/api/circuits', { name: 'X', limits: { A: 1, B: 1, C: 1, D: 1 } }), 'limits.D');
    const c = await create('Edge', { A: 0, B: 2000, C: 0 });
    invalid(await call('PATCH', `/api/circuits/${c.id}`, {}), 'body');
    invalid(await call('PATCH', `/api/circuits/${c.id}`, { limits: {} }), 'limits');
    invalid(await call('PATCH', `/api/circuits/${c.id}`, { limit: { A: 1 } }), 'limit');
    invalid(await call('PATCH', '/api/circuits/abc', { name: 'Y' }), 'id');
    assert.deepEqual(
      (await call('GET', '/api/circuits')).json().map((x: { name: string }) => x.name),
      ['Edge'],
      'none of the refused ones was stored',
    );
    await call('DELETE', `/api/circuits/${c.id}`);
    assert.equal(events.filter((e) => e.change !== 'deleted').length, 1, 'only the good create was published');
  });

  it('names are unique: 409 CIRCUIT_NAME_TAKEN on create and on rename', async () => {
    const a = await create('Board A');
    const b = await create('Board B');
    const dup = await call('POST', '/api/circuits', { name: 'Board A', limits: { A: 1, B: 1, C: 1 } });
    assert.equal(dup.statusCode, 409);
    assert.equal(dup.json().code, 'CIRCUIT_NAME_TAKEN');
    assert.ok(dup.json().fields.name);
    const rename = await call('PATCH', `/api/circuits/${b.id}`, { name: 'Board A' });
    assert.equal(rename.statusCode, 409, rename.body);
    assert.equal(rename.json().code, 'CIRCUIT_NAME_TAKEN');
    assert.equal((await call('GET', `/api/circuits/${b.id}`)).json().name, 'Board B');
    // Renaming to its own name is no conflict.
    assert.equal((await call('PATCH', `/api/circuits/${a.id}`, { name: 'Board A' })).statusCode, 200);
    await call('DELETE', `/api/circuits/${a.id}`);
    await call('DELETE', `/api/circuits/${b.id}`);
  });

  it('edits name, parent and limits (a partial limits patch keeps the others); audited with before and after', async () => {
    const site = await create('Main board', { A: 200, B: 200, C: 200 });
    const level = await create('Level 2', { A: 50, B: 50, C: 50 });
    clock.advance(3_600_000);
    const res = await call('PATCH', `/api/circuits/${level.id}`, {
      name: 'Level 2 (north)',
      parentId: site.id,
      limits: { B: 40 },
    });
    assert.equal(res.statusCode, 200, res.body);
    const c = res.json();
    assert.deepEqual([c.name, c.parentId, c.limits], ['Level 2 (north)', site.id, { A: 50, B: 40, C: 50 }]);
    assert.equal(c.updatedAt, t.clock.now().toISOString());
    const [audit] = await t.app.repos.audit.recent(1);
    assert.equal(audit!.action, 'circuit.update');
    assert.deepEqual(audit!.before, { name: 'Level 2', parentId: null, limits: { A: 50, B: 50, C: 50 } });
    assert.deepEqual(audit!.after, { name: 'Level 2 (north)', parentId: site.id, limits: { A: 50, B: 40, C: 50 } });
    assert.deepEqual(events.at(-1), {
      type: 'circuit.changed',
      circuitId: level.id,
      at: t.clock.now().toISOString(),
      change: 'updated',
    });
    // Back under the site.
    assert.equal((await call('PATCH', `/api/circuits/${level.id}`, { parentId: null })).json().parentId, null);
    assert.equal((await call('PATCH', '/api/circuits/9999', { name: 'Nope' })).statusCode, 404);
    assert.equal((await call('GET', '/api/circuits/9999')).statusCode, 404);
    await call('DELETE', `/api/circuits/${level.id}`);
    await call('DELETE', `/api/circuits/${site.id}`);
  });

  it('refuses a parent change that would make a loop, and changes nothing', async () => {
    const top = await create('Top');
    const mid = await create('Mid', undefined, top.id);
    const low = await create('Low', undefined, mid.id);
    events = [];
    for (const [id, parentId] of [
      [top.id, low.id], // two levels down
      [top.id, mid.id], // its own child
      [mid.id, mid.id], // itself
    ] as const) {
      const res = await call('PATCH', `/api/circuits/${id}`, { parentId, name: 'Renamed' });
      invalid(res, 'parentId');
    }
    const tree = (await call('GET', '/api/circuits'))
      .json()
      .filter((c: { id: number }) => [top.id, mid.id, low.id].includes(c.id))
      .map((c: { name: string; parentId: number | null }) => [c.name, c.parentId]);
    assert.deepEqual(tree, [
      ['Top', null],
      ['Mid', top.id],
      ['Low', mid.id],
    ]);
    assert.deepEqual(events, [], 'nothing published');
    // A move that keeps the tree a tree is fine: Low straight under Top.
    assert.equal((await call('PATCH', `/api/circuits/${low.id}`, { parentId: top.id })).statusCode, 200);
    for (const c of [low, mid, top]) assert.equal((await call('DELETE', `/api/circuits/${c.id}`)).statusCode, 204);
  });

  it('a circuit with chargers or circuits under it is not removed: 409 CIRCUIT_IN_USE saying which', async () => {
    const board = await create('Car park');
    const child = await create('Row 1', undefined, board.id);
    assert.equal((await call('PATCH', '/api/chargers/CP1', { circuitId: board.id })).statusCode, 200);
    assert.deepEqual((await call('GET', `/api/circuits/${board.id}`)).json().chargerIds, ['CP1']);
    const busy = await call('DELETE', `/api/circuits/${board.id}`);
    assert.equal(busy.statusCode, 409, busy.body);
    assert.equal(busy.json().code, 'CIRCUIT_IN_USE');
    assert.deepEqual(busy.json().details, { chargerIds: ['CP1'], circuitIds: [child.id] });
    assert.equal((await call('PATCH', '/api/chargers/CP1', { circuitId: null })).statusCode, 200);
    const stillChild = await call('DELETE', `/api/circuits/${board.id}`);
    assert.equal(stillChild.statusCode, 409);
    assert.deepEqual(stillChild.json().details, { chargerIds: [], circuitIds: [child.id] });
    events = [];
    assert.equal((await call('DELETE', `/api/circuits/${child.id}`)).statusCode, 204);
    assert.equal((await call('DELETE', `/api/circuits/${board.id}`)).statusCode, 204);
    assert.deepEqual(
      events.map((e) => [e.circuitId, e.change]),
      [
        [child.id, 'deleted'],
        [board.id, 'deleted'],
      ],
    );
    const [audit] = await t.app.repos.audit.recent(1);
    assert.deepEqual([audit!.action, audit!.target], ['circuit.delete', `circuit:${board.id}`]);
    assert.deepEqual(audit!.before, { name: 'Car park', parentId: null, limits: { A: 63, B: 63, C: 63 } });
    assert.equal((await call('DELETE', `/api/circuits/${board.id}`)).statusCode, 404);
  });

  it('admin only: viewers and operators get 403 on reads and writes', async () => {
    const c = await create('Guarded');
    for (const role of ['viewer', 'operator'] as const) {
      const h = await t.as(role);
      for (const [method, url, payload] of [
        ['GET', '/api/circuits', undefined],
        ['GET', `/api/circuits/${c.id}`, undefined],
        ['POST', '/api/circuits', { name: 'Mine', limits: { A: 1, B: 1, C: 1 } }],
        ['PATCH', `/api/circuits/${c.id}`, { name: 'Mine' }],
        ['DELETE', `/api/circuits/${c.id}`, undefined],
      ] as const) {
        const res = await call(method, url, payload, h);
        assert.equal(res.statusCode, 403, `${role} ${method} ${url}: ${res.body}`);
        assert.equal(res.json().code, 'FORBIDDEN');
      }
    }
    assert.equal((await call('GET', `/api/circuits/${c.id}`)).json().name, 'Guarded');
    await call('DELETE', `/api/circuits/${c.id}`);
  });

  it('two crosswise moves at once (A under B, B under A): exactly one wins, never a loop', async () => {
    for (let round = 0; round < 5; round++) {
      const a = await create(`Cross A${round}`);
      const b = await create(`Cross B${round}`);
      const [ra, rb] = await Promise.all([
        call('PATCH', `/api/circuits/${a.id}`, { parentId: b.id }),
        call('PATCH', `/api/circuits/${b.id}`, { parentId: a.id }),
      ]);
      assert.deepEqual([ra.statusCode, rb.statusCode].sort(), [200, 400], `${ra.body} ${rb.body}`);
      const loser = ra.statusCode === 400 ? ra : rb;
      assert.ok(loser.json().fields.parentId);
      const parents = [
        (await t.app.repos.circuits.get(a.id))!.parentId,
        (await t.app.repos.circuits.get(b.id))!.parentId,
      ];
      assert.equal(parents.filter((p) => p !== null).length, 1, 'one of them moved');
      const child = parents[0] === null ? b : a;
      await call('DELETE', `/api/circuits/${child.id}`);
      await call('DELETE', `/api/circuits/${child.id === a.id ? b.id : a.id}`);
    }
  });

  it('a charger joining a circuit while it is removed: either the join or the removal is refused, never a 500', async () => {
    for (let round = 0; round < 5; round++) {
      const c = await create(`Racing ${round}`);
      const [join, del] = await Promise.all([
        call('PATCH', '/api/chargers/CP1', { circuitId: c.id }),
        call('DELETE', `/api/circuits/${c.id}`),
      ]);
      if (join.statusCode === 200) {
        assert.equal(del.statusCode, 409, del.body);
        assert.equal(del.json().code, 'CIRCUIT_IN_USE');
        assert.equal((await call('PATCH', '/api/chargers/CP1', { circuitId: null })).statusCode, 200);
        assert.equal((await call('DELETE', `/api/circuits/${c.id}`)).statusCode, 204);
      } else {
        invalid(join, 'circuitId');
        assert.equal(del.statusCode, 204, del.body);
      }
      assert.equal((await t.app.repos.chargers.get('CP1'))!.circuitId, null);
    }
  });
});
