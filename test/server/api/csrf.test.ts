import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { INJECT_ORIGIN, createTestApp, type TestApp } from '../../helpers/app.ts';
import { engineName } from '../../helpers/db.ts';

const OWN = INJECT_ORIGIN; // app.inject() sends Host: localhost:80
const FORM = 'application/x-www-form-urlencoded';

describe(`cross-site request forgery on ${engineName}`, () => {
  let t: TestApp;
  let cookie: string;
  let bearer: string;
  before(async () => {
    t = await createTestApp();
    cookie = (await t.as('admin')).cookie!;
    const token = await t.app.inject({
      method: 'POST',
      url: '/api/tokens',
      headers: await t.as('admin'),
      payload: { name: 'script', role: 'admin' },
    });
    bearer = `Bearer ${token.json().token}`;
    await t.app.repos.chargers.create({ id: 'CP1' }, new Date());
  });
  after(() => t.close());

  const settings = async () =>
    (await t.app.inject({ url: '/api/basic/settings/', headers: await t.as('viewer') })).json();
  const commands = async () =>
    (await t.app.inject({ url: '/api/commands', headers: await t.as('viewer') })).json() as unknown[];
  const postSettings = (headers: Record<string, string>, payload: unknown = { intmaxcurrenta: 17 }) =>
    t.app.inject({ method: 'POST', url: '/api/basic/settings/', headers, payload: payload as object });

  const refusedWith403 = async (headers: Record<string, string>) => {
    const before = await settings();
    const res = await postSettings({ cookie, ...headers });
    assert.equal(res.statusCode, 403, res.body);
    assert.equal(res.json().code, 'CROSS_ORIGIN_REFUSED');
    assert.deepEqual(await settings(), before, 'nothing changed');
    return res;
  };

  it('refuses a cookie-authenticated write from a cross-origin page', async () => {
    await refusedWith403({ origin: 'https://evil.example' });
  });

  it('refuses a same-site page on another port of the host (the reported case)', async () => {
    await refusedWith403({ origin: 'http://localhost:8081' });
  });

  it('refuses a sibling subdomain and another scheme of the same host', async () => {
    await refusedWith403({ origin: 'http://other.localhost' });
    await refusedWith403({ origin: 'https://localhost' });
  });

  it('refuses Origin: null (sandboxed frames, data: URLs, some redirects)', async () => {
    await refusedWith403({ origin: 'null' });
  });

  it('refuses an unparseable Origin', async () => {
    await refusedWith403({ origin: 'not a url' });
  });

  it('without Origin, judges by Referer: a foreign one is refused', async () => {
    await refusedWith403({ referer: 'http://localhost:8081/attack.html' });
  });

  it('refuses a cookie with neither Origin nor Referer', async () => {
    const res = await refusedWith403({});
    assert.match(res.json().message, /Origin/);
  });

  it('Origin wins over Referer: a good Referer does not excuse a foreign Origin', async () => {
    await refusedWith403({ origin: 'http://localhost:8081', referer: `${OWN}/settings/` });
  });

  it('passes a same-origin Origin, and a same-origin Referer when Origin is absent', async () => {
    const res = await postSettings({ cookie, origin: OWN }, { intmaxcurrenta: 21 });
    assert.equal(res.statusCode, 200, res.body);
    assert.equal((await settings()).intmaxcurrenta, 21);
    const byReferer = await postSettings({ cookie, referer: `${OWN}/settings/?tab=1` }, { intmaxcurrenta: 22 });
    assert.equal(byReferer.statusCode, 200, byReferer.body);
    assert.equal((await settings()).intmaxcurrenta, 22);
  });

  it('an explicit default port in Origin or Host is the same origin', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/basic/settings/',
      headers: { cookie, origin: 'http://localhost:80', host: 'localhost' },
      payload: { intmaxcurrenta: 23 },
    });
    assert.equal(res.statusCode, 200, res.body);
  });

  it('checks PATCH and DELETE too, and leaves GET alone', async () => {
    const patch = await t.app.inject({
      method: 'PATCH',
      url: '/api/chargers/CP1',
      headers: { cookie, origin: 'http://localhost:8081' },
      payload: { description: 'pwned' },
    });
    assert.equal(patch.statusCode, 403);
    const del = await t.app.inject({
      method: 'DELETE',
      url: '/api/chargers/CP1',
      headers: { cookie, origin: 'http://localhost:8081' },
    });
    assert.equal(del.statusCode, 403);
    const charger = await t.app.inject({
      url: '/api/chargers/CP1',
      headers: { cookie, origin: 'http://localhost:8081' },
    });
    assert.equal(
      charger.statusCode,
      200,
      'a read is not refused: the browser keeps a cross-origin answer from the page',
    );
    assert.equal(charger.json().description, null);
  });

  it('a bearer token is unaffected by a foreign Origin (no cookie, nothing to borrow)', async () => {
    const res = await postSettings({ authorization: bearer, origin: 'https://evil.example' }, { intmaxcurrenta: 24 });
    assert.equal(res.statusCode, 200, res.body);
    const noOrigin = await postSettings({ authorization: bearer }, { intmaxcurrenta: 25 });
    assert.equal(noOrigin.statusCode, 200, noOrigin.body);
  });

  it('a form body on any route but the seed settings form is 415, and sends no command', async () => {
    const before = (await commands()).length;
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/chargers/CP1/commands/Reset',
      headers: { cookie, origin: OWN, 'content-type': FORM },
      payload: 'type=Hard',
    });
    assert.equal(res.statusCode, 415, res.body);
    assert.equal(res.json().code, 'UNSUPPORTED_MEDIA_TYPE');
    const plain = await t.app.inject({
      method: 'POST',
      url: '/api/chargers/CP1/commands/Reset',
      headers: { cookie, origin: OWN, 'content-type': 'text/plain' },
      payload: '{"type":"Hard"}',
    });
    assert.equal(plain.statusCode, 415, plain.body);
    const patch = await t.app.inject({
      method: 'PATCH',
      url: '/api/chargers/CP1',
      headers: { authorization: bearer, 'content-type': FORM },
      payload: 'description=x',
    });
    assert.equal(patch.statusCode, 415, 'bearer clients too: forms are for the legacy settings page only');
    assert.equal((await commands()).length, before, 'no command was attempted');
  });

  it('a form on the settings route from a foreign Origin is refused; from its own Origin it saves', async () => {
    const before = await settings();
    const foreign = await t.app.inject({
      method: 'POST',
      url: '/api/basic/settings/',
      headers: { cookie, origin: 'http://localhost:8081', 'content-type': FORM },
      payload: 'intmaxcurrentb=5',
    });
    assert.equal(foreign.statusCode, 403);
    assert.deepEqual(await settings(), before);
    const own = await t.app.inject({
      method: 'POST',
      url: '/api/basic/settings/',
      headers: { cookie, origin: OWN, 'content-type': FORM },
      payload: 'intmaxcurrentb=6',
    });
    assert.equal(own.statusCode, 200, own.body);
    assert.equal((await settings()).intmaxcurrentb, 6);
  });

  it('logout from a foreign page is refused and the session stays', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/auth/logout',
      headers: { cookie, origin: 'http://localhost:8081' },
    });
    assert.equal(res.statusCode, 403);
    assert.equal((await t.app.inject({ url: '/api/auth/me', headers: { cookie } })).statusCode, 200);
  });

  it('login from a foreign page is refused (login CSRF), from a tool without Origin it works', async () => {
    const payload = { username: 'viewer-user', password: 'correct-horse' };
    const foreign = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      headers: { origin: 'http://localhost:8081' },
      payload,
    });
    assert.equal(foreign.statusCode, 403);
    assert.equal(foreign.cookies.length, 0, 'no session was opened');
    const tool = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload });
    assert.equal(tool.statusCode, 200);
  });

  it('the battery API refuses in its own envelope (1004)', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/batteryInfo/updateBatteryInfoByBmsNo/BMS-1',
      headers: { cookie, origin: 'http://localhost:8081' },
      payload: { batteryNo: 'B1', batteryType: 1 },
    });
    assert.equal(res.statusCode, 403);
    assert.equal(res.json().code, '1004');
    const lookup = await t.app.inject({ url: '/batteryInfo/getBatteryInfoEsbpBmsNo/BMS-1', headers: { cookie } });
    assert.equal(lookup.json().code, '1002', 'the pack was not created');
  });
});

describe(`ALLOWED_ORIGINS behind a proxy on ${engineName}`, () => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp({ config: { allowedOrigins: ['https://ops.example.com'] } });
  });
  after(() => t.close());

  it('passes a configured origin whose Host the proxy rewrote, and still refuses others', async () => {
    const { cookie } = await t.as('admin');
    const ok = await t.app.inject({
      method: 'POST',
      url: '/api/basic/settings/',
      headers: { cookie: cookie!, host: '127.0.0.1:8000', origin: 'https://ops.example.com' },
      payload: { intmaxcurrenta: 30 },
    });
    assert.equal(ok.statusCode, 200, ok.body);
    const other = await t.app.inject({
      method: 'POST',
      url: '/api/basic/settings/',
      headers: { cookie: cookie!, host: '127.0.0.1:8000', origin: 'https://dev.ops.example.com' },
      payload: { intmaxcurrenta: 31 },
    });
    assert.equal(other.statusCode, 403);
  });
});
