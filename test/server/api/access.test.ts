import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestApp, type TestApp } from '../../helpers/app.ts';
import { scrape } from '../../helpers/metrics.ts';

/**
 * The documented allow-list of routes that answer without credentials (docs/PRODUCT.md §8):
 * logging in and out, health, metrics, the API docs and static assets. The OCPP
 * endpoint has its own Basic auth; dashboard pages send anonymous visitors to /login/.
 */
export const PUBLIC_ROUTES: RegExp[] = [
  /^\/api\/auth\/(login|logout)$/,
  /^\/healthz$/,
  /^\/metrics$/,
  /^\/docs(\/|$)/,
  /^\/ocpp\//,
  /^\/(assets|static)\//,
  /^\/(overview|details|sessions|settings|devices|load|alerts|batteries|login|users|)\/?$/,
  /^\/sessions\/:id/,
  /^\/\*$/,
];

function concrete(url: string): string {
  return url.replace(/:(\w+)/g, (_m, name: string) => (/id$/i.test(name) ? '1' : 'x')).replace(/\*$/, 'x');
}

describe('access control over every registered route', () => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp();
  });
  after(() => t.close());

  it('no route outside the allow-list answers without credentials', async () => {
    const routes = t.app.routeTable.filter((r) => r.method !== 'HEAD' && r.method !== 'OPTIONS');
    assert.ok(routes.length > 10, 'routes were collected');
    for (const r of routes) {
      if (PUBLIC_ROUTES.some((p) => p.test(r.url))) continue;
      assert.equal(r.public, false, `${r.method} ${r.url} is marked public but not on the allow-list`);
      const res = await t.app.inject({
        method: r.method as 'GET',
        url: concrete(r.url),
        payload: r.method === 'GET' || r.method === 'DELETE' ? undefined : {},
      });
      assert.equal(res.statusCode, 401, `${r.method} ${r.url} answered ${res.statusCode} anonymously`);
    }
  });

  it('a bad bearer token is refused like no credentials', async () => {
    const res = await t.app.inject({ url: '/api/basic/settings/', headers: { authorization: 'Bearer co_nope' } });
    assert.equal(res.statusCode, 401);
  });

  it('unknown paths under protected prefixes answer 401 anonymously, 404 when logged in', async () => {
    assert.equal((await t.app.inject({ url: '/api/no/such/thing' })).statusCode, 401);
    assert.equal((await t.app.inject({ url: '/api/no/such/thing', headers: await t.as('viewer') })).statusCode, 404);
  });

  it('health answers anonymously; metrics need a token (test/server/api/health.test.ts)', async () => {
    const h = await t.app.inject({ url: '/healthz' });
    assert.equal(h.statusCode, 200);
    assert.equal(h.json().status, 'ok');
    assert.match(await scrape(t), /http_requests_total\{method="GET",route="\/healthz",status="200"\} 1/);
    const docs = await t.app.inject({ url: '/docs/json' });
    assert.equal(docs.statusCode, 200);
    assert.ok(docs.json().paths['/api/basic/settings/']);
  });
});
