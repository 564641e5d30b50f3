import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createUser } from '../../../server/auth/user-service.ts';
import type { ManualClock } from '../../../server/clock.ts';
import { INJECT_ORIGIN, createTestApp, type TestApp } from '../../helpers/app.ts';
import { engineName } from '../../helpers/db.ts';

describe(`login, sessions and tokens on ${engineName}`, () => {
  let t: TestApp;
  const waits: number[] = [];
  before(async () => {
    t = await createTestApp({ sleep: async (ms) => void waits.push(ms) });
    await createUser(t.app.repos.users, { username: 'root', password: 'root-password', role: 'admin' });
  });
  after(() => t.close());

  const login = (username: string, password: string) =>
    t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password } });

  it('logs in with an HttpOnly SameSite cookie that opens the API, and logs out', async () => {
    const res = await login('root', 'root-password');
    assert.equal(res.statusCode, 200);
    assert.deepEqual(res.json(), { kind: 'user', id: 1, name: 'root', role: 'admin' });
    const c = res.cookies.find((x) => x.name === 'chargeops_session')!;
    assert.equal(c.httpOnly, true);
    assert.equal(c.sameSite, 'Strict', 'not even a link from another site carries the session');
    const cookie = `chargeops_session=${c.value}`;
    assert.equal((await t.app.inject({ url: '/api/auth/me', headers: { cookie } })).statusCode, 200);
    assert.equal(
      (await t.app.inject({ method: 'POST', url: '/api/auth/logout', headers: { cookie, origin: INJECT_ORIGIN } }))
        .statusCode,
      204,
    );
    assert.equal((await t.app.inject({ url: '/api/auth/me', headers: { cookie } })).statusCode, 401);
  });

  it('a wrong password and an unknown user both answer 401 at the refusal floor, and after five failures the pair waits', async () => {
    waits.length = 0;
    assert.equal((await login('nobody', 'whatever')).statusCode, 401);
    for (let i = 0; i < 5; i++) assert.equal((await login('root', `wrong-${i}`)).statusCode, 401);
    assert.deepEqual(waits, [1000, 1000, 1000, 1000, 1000, 1000], 'every refusal is held to the same floor');
    const locked = await login('root', 'root-password');
    assert.equal(locked.statusCode, 429, 'even the right password is refused while backed off');
    assert.equal(locked.headers['retry-after'], '1');
  });

  it('the back-off lifts after its wait', async () => {
    (t.clock as ManualClock).advance(1000);
    assert.equal((await login('root', 'root-password')).statusCode, 200);
  });

  it('a token is shown once, works as Bearer with its role, is listed without secret, and stops working when revoked', async () => {
    const admin = await t.as('admin');
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/tokens',
      headers: admin,
      payload: { name: 'swap-station-1', role: 'viewer' },
    });
    assert.equal(created.statusCode, 201);
    const { token, id } = created.json();
    assert.match(token, /^co_[A-Za-z0-9_-]{43}$/);
    const bearer = { authorization: `Bearer ${token}` };
    assert.equal((await t.app.inject({ url: '/api/basic/settings/', headers: bearer })).statusCode, 200);
    assert.equal(
      (
        await t.app.inject({
          method: 'POST',
          url: '/api/basic/settings/',
          headers: bearer,
          payload: { intmaxcurrenta: 1 },
        })
      ).statusCode,
      403,
    );
    const list = await t.app.inject({ url: '/api/tokens', headers: admin });
    assert.ok(!list.body.includes(token.slice(7)), 'the token never appears again');
    assert.equal(list.json()[0].name, 'swap-station-1');
    assert.equal((await t.app.inject({ method: 'DELETE', url: `/api/tokens/${id}`, headers: admin })).statusCode, 200);
    assert.equal((await t.app.inject({ url: '/api/basic/settings/', headers: bearer })).statusCode, 401);
  });

  it('only admins manage tokens and users; the last admin stays', async () => {
    const op = await t.as('operator');
    assert.equal(
      (await t.app.inject({ method: 'POST', url: '/api/tokens', headers: op, payload: { name: 'x', role: 'admin' } }))
        .statusCode,
      403,
    );
    assert.equal((await t.app.inject({ url: '/api/users', headers: op })).statusCode, 403);
    const admin = await t.as('admin');
    const users = (await t.app.inject({ url: '/api/users', headers: admin })).json() as {
      id: number;
      username: string;
      role: string;
    }[];
    const me = users.find((u) => u.username === 'admin-user')!;
    for (const u of users.filter((u) => u.role === 'admin' && u.id !== me.id)) {
      assert.equal(
        (
          await t.app.inject({
            method: 'PATCH',
            url: `/api/users/${u.id}`,
            headers: admin,
            payload: { role: 'viewer' },
          })
        ).statusCode,
        200,
      );
    }
    const last = await t.app.inject({
      method: 'PATCH',
      url: `/api/users/${me.id}`,
      headers: admin,
      payload: { role: 'viewer' },
    });
    assert.equal(last.statusCode, 409);
    assert.equal(
      (await t.app.inject({ method: 'DELETE', url: `/api/users/${me.id}`, headers: admin })).statusCode,
      409,
    );
  });

  it('creating a user validates and refuses duplicates', async () => {
    const admin = await t.as('admin');
    const bad = await t.app.inject({
      method: 'POST',
      url: '/api/users',
      headers: admin,
      payload: { username: 'a b', password: 'short', role: 'viewer' },
    });
    assert.equal(bad.statusCode, 400);
    assert.deepEqual(Object.keys(bad.json().fields).sort(), ['password', 'username']);
    assert.equal(
      (
        await t.app.inject({
          method: 'POST',
          url: '/api/users',
          headers: admin,
          payload: { username: 'vera', password: 'long-enough', role: 'viewer' },
        })
      ).statusCode,
      201,
    );
    assert.equal(
      (
        await t.app.inject({
          method: 'POST',
          url: '/api/users',
          headers: admin,
          payload: { username: 'vera', password: 'long-enough', role: 'viewer' },
        })
      ).statusCode,
      409,
    );
  });
});
