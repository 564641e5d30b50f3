import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startMetricsServer } from '../../../server/metrics-server.ts';
import { createTestApp, type TestApp } from '../../helpers/app.ts';
import { engineName } from '../../helpers/db.ts';
import { scrape } from '../../helpers/metrics.ts';

describe(`/healthz and /metrics exposure on ${engineName}`, () => {
  let t: TestApp;
  let token: Record<string, string>;
  before(async () => {
    t = await createTestApp();
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/tokens',
      headers: await t.as('admin'),
      payload: { name: 'monitor', role: 'viewer' },
    });
    token = { authorization: `Bearer ${res.json().token}` };
  });
  after(() => t.close());

  it('anonymous and non-admin users get the status only; tokens and admins get the details', async () => {
    const anonymous = await t.app.inject({ url: '/healthz' });
    assert.equal(anonymous.statusCode, 200);
    assert.deepEqual(anonymous.json(), { status: 'ok' });
    assert.deepEqual((await t.app.inject({ url: '/healthz', headers: await t.as('operator') })).json(), {
      status: 'ok',
    });
    for (const headers of [token, await t.as('admin')]) {
      const res = await t.app.inject({ url: '/healthz', headers });
      assert.equal(res.statusCode, 200);
      const { details } = res.json();
      assert.equal(details.database, engineName);
      assert.equal(typeof details.latencyMs, 'number');
      assert.deepEqual(details.stuck, { ocpp: 0, http: 0 });
    }
  });

  it('a failing database is 503 with its error text for a token only', async () => {
    const ping = t.app.database.ping;
    t.app.database.ping = async () => {
      throw new Error('connect ECONNREFUSED 10.0.0.7:5432');
    };
    try {
      const anonymous = await t.app.inject({ url: '/healthz' });
      assert.equal(anonymous.statusCode, 503);
      assert.deepEqual(anonymous.json(), { status: 'unavailable' });
      assert.doesNotMatch(anonymous.body, /10\.0\.0\.7/);
      const detailed = await t.app.inject({ url: '/healthz', headers: token });
      assert.equal(detailed.statusCode, 503);
      assert.equal(detailed.json().details.error, 'connect ECONNREFUSED 10.0.0.7:5432');
    } finally {
      t.app.database.ping = ping;
    }
  });

  it('/metrics on the public port needs a bearer API token', async () => {
    const anonymous = await t.app.inject({ url: '/metrics' });
    assert.equal(anonymous.statusCode, 401);
    assert.equal(anonymous.json().code, 'UNAUTHENTICATED');
    const session = await t.app.inject({ url: '/metrics', headers: await t.as('admin') });
    assert.equal(session.statusCode, 403);
    const res = await t.app.inject({ url: '/metrics', headers: token });
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /^# HELP /m);
    assert.match(await scrape(t), /stuck_work\{kind="ocpp"\} 0/);
  });

  it('METRICS_PORT serves /metrics without a token on its own listener, and nothing else', async () => {
    const server = await startMetricsServer(t.app.metrics, '127.0.0.1', 0);
    try {
      const res = await fetch(`http://127.0.0.1:${server.port}/metrics`);
      assert.equal(res.status, 200);
      assert.match(await res.text(), /http_requests_total/);
      assert.equal((await fetch(`http://127.0.0.1:${server.port}/healthz`)).status, 404);
    } finally {
      await server.close();
    }
  });
});
