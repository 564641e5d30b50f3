import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { WebSocketRoute } from 'playwright-core';
import { collectErrors, loginAs, newPage, startWebApp, type WebApp } from '../helpers/browser.ts';

/**
 * The dashboard's live client (web/src/live/socket.ts) in the real page. The
 * live-push server is built on another branch, so the test plays it through
 * Playwright's WebSocket routing: it accepts, pushes OCPP meter values, drops
 * the connection, and watches the page reconnect while staying usable.
 */
describe('web: live feed', () => {
  let w: WebApp;
  before(async () => {
    w = await startWebApp();
  });
  after(() => w.close());

  it('draws pushed meter values, survives a dropped connection and reconnects with backoff', async () => {
    const page = await newPage(w);
    const errors = collectErrors(page);
    const sockets: { ws: WebSocketRoute; url: string; at: number }[] = [];
    let connected: () => void = () => {};
    await page.routeWebSocket(/\/api\/live/, (ws) => {
      sockets.push({ ws, url: ws.url(), at: Date.now() });
      connected();
    });
    const nextSocket = () => new Promise<void>((resolve) => (connected = resolve));
    await loginAs(w, page, 'operator', '/details/?charger_id=CP-1');
    const badge = page.getByTestId('live-badge');
    const connectedBadge = badge.filter({ hasText: /^● Live$/ });
    await connectedBadge.waitFor();
    assert.match(sockets.at(-1)!.url, /\/api\/live\?charger_id=CP-1$/);

    // OCPP 1.6 §7.43 sampled values: 16 A on each of three phases, 11 kW, 12.5 kWh.
    sockets.at(-1)!.ws.send(
      JSON.stringify({
        type: 'meter',
        chargerId: 'CP-1',
        at: new Date().toISOString(),
        meterValue: [
          {
            sampledValue: [
              { value: '16', measurand: 'Current.Import', phase: 'L1', unit: 'A' },
              { value: '16', measurand: 'Current.Import', phase: 'L2', unit: 'A' },
              { value: '16', measurand: 'Current.Import', phase: 'L3', unit: 'A' },
              { value: '11000', measurand: 'Power.Active.Import', unit: 'W' },
              { value: '12500', unit: 'Wh' },
            ],
          },
        ],
      }),
    );
    await page.getByText('Waiting for meter values from this charger…').waitFor({ state: 'detached' });

    // The server goes away: the page says so, keeps its data, and comes back by itself.
    const again = nextSocket();
    const socketsBefore = sockets.length;
    const droppedAt = Date.now();
    await sockets.at(-1)!.ws.close({ code: 1012, reason: 'restart' });
    await badge.filter({ hasText: /Live feed lost; retrying in \d s/ }).waitFor();
    assert.equal(await page.getByText('Waiting for meter values from this charger…').count(), 0, 'the drawn values are kept');
    assert.equal(await page.getByTestId('record-date').isEnabled(), true, 'the records query still works');
    await again;
    const waited = sockets.at(-1)!.at - droppedAt;
    assert.ok(waited >= 700 && waited < 5000, `first retry after ${waited} ms (1 s ± jitter)`);
    await connectedBadge.waitFor();
    assert.equal(sockets.length, socketsBefore + 1, 'one reconnection');
    assert.deepEqual(errors, []);
    await page.context().close();
  });
});
