import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createUser } from '../../../server/auth/user-service.ts';
import { engineName } from '../../helpers/db.ts';
import { SECRET, createOcppTestApp, registerCharger, type OcppTestApp } from '../../helpers/ocpp.ts';
import { handshake } from '../../helpers/raw-handshake.ts';

/**
 * Behind a reverse proxy every client arrives from the proxy's address. With
 * TRUST_PROXY naming it, the guessing throttle counts the client named in
 * X-Forwarded-For, so one client spraying guesses cannot get the proxy's
 * address, and with it everyone, refused. Without it the header is ignored,
 * so a client cannot dodge the throttle by writing one.
 */
describe(`guessing throttle behind a trusted proxy on ${engineName}`, () => {
  let t: OcppTestApp;
  const proxy = '127.0.0.7';
  before(async () => {
    t = await createOcppTestApp({
      config: { ocppAutoRegister: false, trustProxy: [proxy] },
      sleep: async () => undefined,
    });
    await createUser(t.app.repos.users, { username: 'admin', password: 'admin-password', role: 'admin' });
    await registerCharger(t, 'CP-P');
  });
  after(() => t.close());

  const login = (username: string, password: string, remoteAddress: string, forwardedFor?: string) =>
    t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username, password },
      remoteAddress,
      headers: forwardedFor ? { 'x-forwarded-for': forwardedFor } : {},
    });

  it('login: a sprayer behind the proxy is capped; another client behind the same proxy logs in', async () => {
    for (let i = 0; i < 20; i++)
      assert.equal((await login(`u-${i}`, 'password1', proxy, '198.51.100.66')).statusCode, 401);
    assert.equal((await login('admin', 'admin-password', proxy, '198.51.100.66')).statusCode, 429);
    assert.equal((await login('admin', 'admin-password', proxy, '198.51.100.67')).statusCode, 200);
  });

  it('login: a client that is not the proxy cannot pick its address with the header', async () => {
    const direct = '192.0.2.50';
    for (let i = 0; i < 20; i++)
      assert.equal((await login(`w-${i}`, 'password1', direct, `203.0.113.${i}`)).statusCode, 401);
    assert.equal((await login('admin', 'admin-password', direct, '203.0.113.99')).statusCode, 429);
  });

  it('OCPP: a sprayer behind the proxy is capped; a charger behind the same proxy connects', async () => {
    const via = (client: string) => ({ 'x-forwarded-for': client });
    for (let i = 0; i < 20; i++)
      assert.equal(await handshake(t.endpoint, `CP-GUESS-${i}`, 'guess', proxy, via('198.51.100.70')), 401);
    assert.equal(await handshake(t.endpoint, 'CP-P', SECRET, proxy, via('198.51.100.70')), 429);
    assert.equal(await handshake(t.endpoint, 'CP-P', SECRET, proxy, via('198.51.100.71')), 101);
  });
});
