import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createUser } from '../../../server/auth/user-service.ts';
import type { ManualClock } from '../../../server/clock.ts';
import { createTestApp, type TestApp } from '../../helpers/app.ts';
import { engineName } from '../../helpers/db.ts';

/**
 * Password guessing is throttled per (username, address) with exponential
 * back-off and capped per address; guessing from one address never locks the
 * account out for everyone else. The injected sleep only records the refusal
 * floor, so nothing waits.
 */
describe(`login throttle on ${engineName}`, () => {
  let t: TestApp;
  const clock = () => t.clock as ManualClock;
  before(async () => {
    t = await createTestApp({ sleep: async () => undefined });
    await createUser(t.app.repos.users, { username: 'admin', password: 'admin-password', role: 'admin' });
  });
  after(() => t.close());

  const login = (username: string, password: string, remoteAddress: string) =>
    t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password }, remoteAddress });

  it('20 wrong passwords for admin from one address back that address off exponentially; admin from another address logs in', async () => {
    const attacker = '203.0.113.7';
    const retryAfter: number[] = [];
    let failures = 0;
    while (failures < 20) {
      const res = await login('admin', `guess-${failures}`, attacker);
      if (res.statusCode === 401) {
        failures++;
        continue;
      }
      assert.equal(res.statusCode, 429, res.body);
      assert.equal(res.json().code, 'TOO_MANY_ATTEMPTS');
      const seconds = Number(res.headers['retry-after']);
      retryAfter.push(seconds);
      clock().advance(seconds * 1000);
    }
    assert.deepEqual(retryAfter, [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 900, 900, 900, 900, 900]);
    const locked = await login('admin', 'admin-password', attacker);
    assert.equal(locked.statusCode, 429, 'the right password from the guessing address waits out the back-off');
    assert.equal(locked.headers['retry-after'], '900');
    assert.equal(
      (await login('admin', 'admin-password', '198.51.100.1')).statusCode,
      200,
      'the real admin, elsewhere, is not locked out',
    );
    clock().advance(900_000);
    assert.equal((await login('admin', 'admin-password', attacker)).statusCode, 200);
  });

  it('an address that fails for 20 different usernames is refused for 15 minutes, whatever it asks', async () => {
    const sprayer = '203.0.113.8';
    for (let i = 0; i < 20; i++) assert.equal((await login(`user-${i}`, 'password1', sprayer)).statusCode, 401);
    const capped = await login('user-20', 'password1', sprayer);
    assert.equal(capped.statusCode, 429);
    assert.equal(capped.headers['retry-after'], '900');
    assert.equal((await login('admin', 'admin-password', sprayer)).statusCode, 429);
    assert.equal((await login('admin', 'admin-password', '198.51.100.2')).statusCode, 200);
    clock().advance(15 * 60_000);
    assert.equal((await login('admin', 'admin-password', sprayer)).statusCode, 200);
  });

  it('IPv6 addresses of one /64 count as one address', async () => {
    for (let i = 0; i < 20; i++)
      assert.equal((await login(`v6-${i}`, 'password1', `2001:db8:1:2::${(i + 1).toString(16)}`)).statusCode, 401);
    assert.equal((await login('admin', 'admin-password', '2001:db8:1:2:ffff::1')).statusCode, 429);
    assert.equal((await login('admin', 'admin-password', '2001:db8:1:3::1')).statusCode, 200);
  });
});

describe(`login refusal timing on ${engineName}`, () => {
  let t: TestApp;
  const waits: number[] = [];
  before(async () => {
    t = await createTestApp({ sleep: async (ms) => void waits.push(ms) });
    await createUser(t.app.repos.users, { username: 'root', password: 'root-password', role: 'admin' });
    const off = await createUser(t.app.repos.users, { username: 'gone', password: 'gone-password', role: 'viewer' });
    await t.app.repos.users.update(off.id, { disabled: true });
  });
  after(() => t.close());

  const waitsOf = async (username: string, password: string, status: number, remoteAddress = '192.0.2.1') => {
    waits.length = 0;
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username, password },
      remoteAddress,
    });
    assert.equal(res.statusCode, status, `${username}: ${res.body}`);
    return [...waits];
  };

  it('an unknown user, a wrong password, a disabled account and a throttled one all wait the same floor; a success waits nothing', async () => {
    assert.deepEqual(await waitsOf('nobody', 'whatever-1', 401), [1000], 'unknown user');
    assert.deepEqual(await waitsOf('root', 'wrong-password', 401), [1000], 'wrong password');
    assert.deepEqual(await waitsOf('gone', 'gone-password', 401), [1000], 'disabled account, right password');
    for (let i = 0; i < 5; i++) await waitsOf('root', `guess-${i}`, 401, '192.0.2.2');
    assert.deepEqual(await waitsOf('root', 'root-password', 429, '192.0.2.2'), [1000], 'throttled');
    assert.deepEqual(await waitsOf('root', 'root-password', 200), [], 'a success is not held');
  });
});
