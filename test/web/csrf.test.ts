import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { RPCClient } from '../../server/ocpp/rpc.ts';
import { loginAs, newPage, screenshot, startWebApp, type WebApp } from '../helpers/browser.ts';
import { BOOT, SECRET, registerCharger } from '../helpers/ocpp.ts';

/**
 * The reported attack, in a real browser: the operator is logged in on the
 * dashboard at http://127.0.0.1:<port>, and a page served from another port of
 * the same host (same site, so even a SameSite=Strict cookie goes along)
 * posts plain HTML forms at the API. Nothing may change and no command may
 * reach the charger.
 */
describe('web: a same-site page cannot borrow the logged-in browser', () => {
  let w: WebApp;
  let dashboard: Page;
  let attacker: Server;
  let evil: string;
  let charger: RPCClient;
  const resets: unknown[] = [];

  const pages: Record<string, (base: string) => string> = {
    // The seed's 2.5 settings form, re-posted from elsewhere.
    '/settings.html': (base) =>
      `<form method="POST" action="${base}/api/basic/settings/"><input name="intmaxcurrenta" value="1"><input name="blninternaltesting" value="0"></form>`,
    // Reset Hard to the charger: a form body on the commands route.
    '/reset.html': (base) =>
      `<form method="POST" action="${base}/api/chargers/CP1/commands/Reset"><input name="type" value="Hard"></form>`,
    // The same as a JSON-looking text/plain form (the other body a form can send without CORS).
    // A page that only runs script (the live stream test).
    '/blank.html': () => '',
    '/reset-text.html': (base) =>
      `<form method="POST" enctype="text/plain" action="${base}/api/chargers/CP1/commands/Reset"><input name='{"type":"Hard","x":"' value='"}'></form>`,
  };

  before(async () => {
    w = await startWebApp();
    await registerCharger(w, 'CP1');
    charger = new RPCClient({
      endpoint: `${w.base.replace('http', 'ws')}/ocpp`,
      identity: 'CP1',
      password: SECRET,
      protocols: ['ocpp1.6'],
      strictMode: true,
      reconnect: false,
    } as never);
    charger.handle('Reset', async ({ params }: { params?: unknown }) => {
      resets.push(params);
      return { status: 'Accepted' };
    });
    await charger.connect();
    await charger.call('BootNotification', BOOT);

    attacker = createServer((req, res) => {
      const page = pages[req.url ?? ''];
      res.writeHead(page ? 200 : 404, { 'content-type': 'text/html' });
      res.end(page ? `<!doctype html><body>${page(w.base)}<script>document.forms[0]?.submit()</script></body>` : '');
    });
    attacker.listen(0, '127.0.0.1');
    await once(attacker, 'listening');
    evil = `http://127.0.0.1:${(attacker.address() as AddressInfo).port}`;

    dashboard = await newPage(w);
    await loginAs(w, dashboard, 'admin', '/settings/');
  });
  after(async () => {
    await charger.close({ force: true });
    attacker.close();
    await w.close();
  });

  const settings = async () =>
    (await w.app.inject({ url: '/api/basic/settings/', headers: await w.as('viewer') })).json();
  const audit = async () =>
    (await w.app.inject({ url: '/api/chargers/CP1/commands', headers: await w.as('viewer') })).json() as unknown[];

  /** Opens the attacker's page in the logged-in browser and waits for the form's answer. */
  async function attack(path: string, target: string) {
    const page = await dashboard.context().newPage();
    const answered = page.waitForResponse(
      (r) => r.url().startsWith(`${w.base}${target}`) && r.request().method() === 'POST',
    );
    await page.goto(`${evil}${path}`);
    const res = await answered;
    const request = res.request();
    const sent = await request.allHeaders();
    const body = await res.json().catch(() => null);
    await screenshot(page, `csrf${path.replace(/\W+/g, '-')}`);
    await page.close();
    return { status: res.status(), body, sent };
  }

  it('the settings form from another port is refused with 403 and changes nothing', async () => {
    const before = await settings();
    const { status, body, sent } = await attack('/settings.html', '/api/basic/settings');
    assert.match(sent.cookie ?? '', /chargeops_session=/, 'the browser did send the session cookie (same site)');
    assert.equal(sent.origin, evil, 'and named the page that sent it');
    assert.equal(status, 403);
    assert.equal(body.code, 'CROSS_ORIGIN_REFUSED');
    assert.deepEqual(await settings(), before);
  });

  it('Reset Hard as a form from another port is refused and never reaches the charger', async () => {
    for (const path of ['/reset.html', '/reset-text.html']) {
      const { status, sent } = await attack(path, '/api/chargers/CP1/commands/Reset');
      assert.match(sent.cookie ?? '', /chargeops_session=/);
      assert.equal(status, 403, path);
    }
    assert.deepEqual(await audit(), [], 'no command was attempted');
    assert.deepEqual(resets, [], 'the charger received no Reset');
  });

  it('the page on another port cannot open the live stream with the cookie', async () => {
    const page = await dashboard.context().newPage();
    await page.goto(`${evil}/blank.html`);
    const outcome = await page.evaluate(
      (url) =>
        new Promise<string>((resolve) => {
          const ws = new WebSocket(url);
          ws.onopen = () => resolve('open');
          ws.onerror = () => resolve('refused');
        }),
      `${w.base.replace('http', 'ws')}/api/live`,
    );
    await page.close();
    assert.equal(outcome, 'refused');
  });

  it('the dashboard itself still saves settings and sends commands', async () => {
    await dashboard.goto(`${w.base}/settings/`);
    const field = dashboard.locator('[data-field=intmaxcurrentc] input');
    await field.fill('31');
    const saved = dashboard.waitForResponse(
      (r) => r.url().includes('/api/basic/settings') && r.request().method() === 'POST',
    );
    await dashboard.getByRole('button', { name: 'Save' }).click();
    assert.equal((await saved).status(), 200);
    assert.equal((await settings()).intmaxcurrentc, 31);
    const live = await dashboard.evaluate(
      (url) =>
        new Promise<string>((resolve) => {
          const ws = new WebSocket(url);
          ws.onopen = () => {
            ws.close();
            resolve('open');
          };
          ws.onerror = () => resolve('refused');
        }),
      `${w.base.replace('http', 'ws')}/api/live`,
    );
    assert.equal(live, 'open', 'the dashboard opens its live stream');
    const sent = await dashboard.evaluate(async () => {
      const res = await fetch('/api/chargers/CP1/commands/Reset', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"type":"Soft"}',
      });
      return res.status;
    });
    assert.equal(sent, 200);
    assert.deepEqual(resets, [{ type: 'Soft' }]);
  });
});
