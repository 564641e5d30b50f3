import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Page, WebSocketRoute } from 'playwright-core';
import type { ChargerEvent } from '../../contracts/events.ts';
import type { LoadSnapshot, PerPhase } from '../../contracts/load.ts';
import {
  ARTIFACTS,
  collectErrors,
  loginAs,
  newPage,
  screenshot,
  startWebApp,
  type WebApp,
} from '../helpers/browser.ts';
import { loadCharger, saveSettings, SiteWatch, type LoadCharger } from '../helpers/load-site.ts';
import type { OcppTestApp } from '../helpers/ocpp.ts';
import type { ManualClock } from '../../server/clock.ts';

/**
 * Load management on the dashboard (docs/PRODUCT.md §7), against the real
 * controller and strict OCPP 1.6 chargers that apply the profiles they get
 * (test/helpers/load-site.ts), whose cars draw what the charger lets them,
 * less 0.5 A. The site has 24 A per phase: CP-L1 and CP-L2 are three-phase
 * (in circuit "Car park"), CP-L3 single-phase on site phase B (rotation BCA,
 * in "Bay 3" under "Car park"), CP-L4 three-phase on the site; all 7–32 A
 * (CP-L3 16 A). Phase B binds: L1, L2, L3 get 8 A each, and L4, the latest
 * arrival, waits at 0 A (four minimums of 7 A do not fit in 24 A). When L3
 * stops, L4 gets 8 A; when L4 stops, L1 and L2 get 12 A; when L2's car takes
 * only 4 A, L2 is capped at its 7 A minimum and L1 gets 17 A.
 */
describe('web: load management', () => {
  let w: WebApp;
  let ocpp: OcppTestApp;
  let site: SiteWatch;
  const cars = new Map<string, LoadCharger>();
  const car = (id: string) => cars.get(id)!;
  let lastPublished: LoadSnapshot | undefined;
  const content = (s: LoadSnapshot | undefined) => JSON.stringify({ ...s, at: undefined });

  /** The next load.changed, subscribed to at once. */
  function nextPublish(): { done: Promise<void>; cancel(): void } {
    let off = () => {};
    let timer: NodeJS.Timeout | undefined;
    const done = new Promise<void>((resolve, reject) => {
      timer = setTimeout(() => reject(new Error('no load.changed within 5 s')), 5000);
      off = w.app.events.subscribe((e: ChargerEvent) => {
        if (e.type === 'load.changed') resolve();
      });
    }).finally(() => {
      clearTimeout(timer);
      off();
    });
    return { done, cancel: () => (clearTimeout(timer), off()) };
  }

  /** What a car would take at most (a car limited to less than its charger), A; absent: all it is let. */
  const wants = new Map<string, number>();
  /** Every car with a session reports what it draws now: what the charger lets it, less 0.5 A, at most what it wants. */
  async function report(): Promise<void> {
    for (const c of cars.values()) {
      const draw = Math.min(Math.max(0, c.limit() - 0.5), wants.get(c.id) ?? Infinity);
      if (c.tx) await c.meter(Array.from({ length: c.wiring.maxPhase }, () => draw));
    }
  }

  /**
   * The controller settles, every car reports what it draws now (MeterValues,
   * Current.Import per wired line), and what the controller then holds is
   * published (a publish may follow up to 1 s behind).
   */
  async function settled(): Promise<LoadSnapshot> {
    await w.app.load.settle();
    await report();
    for (;;) {
      await w.app.load.settle();
      const next = nextPublish();
      if (lastPublished && content(w.app.load.snapshot()) === content(lastPublished)) {
        next.cancel();
        return lastPublished;
      }
      await next.done;
    }
  }

  before(async () => {
    w = await startWebApp({ config: { loadControl: true } });
    ocpp = { ...w, endpoint: `${w.base.replace('http', 'ws')}/ocpp`, clients: [] };
    w.app.events.subscribe((e) => {
      if (e.type === 'load.changed') lastPublished = e.load;
    });
    const limits: PerPhase = { A: 24, B: 24, C: 24 };
    site = new SiteWatch(w.clock, limits);
    await saveSettings(ocpp, {
      blncurrentdistribution: 1,
      vchpowersequence: 'ABC',
      intmaxcurrenta: 24,
      intmaxcurrentb: 24,
      intmaxcurrentc: 24,
    });
    const admin = await w.as('admin');
    const post = async (url: string, payload: object) => {
      const res = await w.app.inject({ method: 'POST', url, headers: admin, payload });
      assert.ok(res.statusCode < 300, `${url}: ${res.statusCode} ${res.body}`);
      return res.json<{ id: number }>();
    };
    await post('/api/id-tags', { idTag: 'TAG-L' });
    const park = await post('/api/circuits', { name: 'Car park', limits: { A: 32, B: 32, C: 32 } });
    const bay = await post('/api/circuits', { name: 'Bay 3', parentId: park.id, limits: { A: 16, B: 16, C: 16 } });
    site.circuits.set(park.id, { parentId: null, limits: { A: 32, B: 32, C: 32 } });
    site.circuits.set(bay.id, { parentId: park.id, limits: { A: 16, B: 16, C: 16 } });
    const three = { maxPhase: 3, minCurrent: 7, maxCurrent: 32 };
    const wiring = {
      'CP-L1': { ...three, circuitId: park.id },
      'CP-L2': { ...three, circuitId: park.id },
      'CP-L3': { maxPhase: 1, minCurrent: 7, maxCurrent: 16, phaseRotation: 'BCA' as const, circuitId: bay.id },
      'CP-L4': three,
    };
    for (const [id, wired] of Object.entries(wiring)) {
      cars.set(id, await loadCharger(ocpp, site, id, wired));
      // The three-phase ones follow the site's vchpowersequence (ABC), shown as the site default.
      if (wired.maxPhase === 3) {
        const res = await w.app.inject({
          method: 'PATCH',
          url: `/api/chargers/${id}`,
          headers: admin,
          payload: { phaseRotation: null },
        });
        assert.equal(res.statusCode, 200, res.body);
      }
    }
    await settled();
    // Arrival order is the order of the starts: L1 first, L4 last.
    for (const c of cars.values()) {
      await c.start('TAG-L');
      (w.clock as ManualClock).advance(1000);
      await settled();
    }
  });
  after(async () => {
    await Promise.all(ocpp.clients.map((c) => c.close({ force: true })));
    await w.close();
    assert.deepEqual(site.violations, [], 'no instant had the chargers enforce more than a limit');
  });

  const phaseText = (page: Page, p: string) => page.getByTestId(`phase-load-${p}`);
  const sessionRow = (page: Page, id: string) =>
    page.getByTestId('load-sessions').locator('tbody tr', { has: page.locator(`a:text-is("${id}")`) });

  it("the overview's gauges show the measured current and the allowed sum per phase against the limit", async () => {
    const snap = await settled();
    assert.deepEqual(
      snap.sessions.map((s) => [s.chargerId, s.allowed, s.state]),
      [
        ['CP-L1', 8, 'charging'],
        ['CP-L2', 8, 'charging'],
        ['CP-L3', 8, 'charging'],
        ['CP-L4', 0, 'waiting'],
      ],
      'the allocation the page is to show',
    );
    const page = await newPage(w);
    const errors = collectErrors(page);
    await loginAs(w, page, 'viewer');
    await phaseText(page, 'A').filter({ hasText: 'Phase A: measured 15 A, allowed 16 A, limit 24 A' }).waitFor();
    assert.equal(await phaseText(page, 'B').textContent(), 'Phase B: measured 22.5 A, allowed 24 A, limit 24 A');
    assert.equal(await phaseText(page, 'C').textContent(), 'Phase C: measured 15 A, allowed 16 A, limit 24 A');
    assert.match(
      (await page.getByTestId('phase-gauges').getAttribute('aria-label'))!,
      /^Phase A: measured 15 A, allowed 16 A, limit 24 A; Phase B: /,
    );
    await page.getByTestId('phase-gauges-canvas').and(page.locator('[data-drawn]')).waitFor();
    await screenshot(page, 'load-overview');
    await page
      .getByTestId('phase-gauges')
      .locator('xpath=ancestor::section[1]')
      .screenshot({ path: join(ARTIFACTS, 'load-gauges.png') });
    assert.deepEqual(errors, []);
    await page.context().close();
  });

  it('the Load page and Details show every allowance and follow a stop live', async () => {
    const load = await newPage(w);
    const errors = collectErrors(load);
    await loginAs(w, load, 'viewer', '/load/');
    await sessionRow(load, 'CP-L4').filter({ hasText: 'waiting' }).waitFor();
    const rows = await load.getByTestId('load-sessions').locator('tbody tr').allInnerTexts();
    assert.deepEqual(
      rows.map((r) => r.split('\t').map((c) => c.trim())),
      [
        ['CP-L1', '1', String(car('CP-L1').tx!.id), 'A B C', '8 A', 'A 7.5 · B 7.5 · C 7.5 A', 'charging'],
        ['CP-L2', '1', String(car('CP-L2').tx!.id), 'A B C', '8 A', 'A 7.5 · B 7.5 · C 7.5 A', 'charging'],
        ['CP-L3', '1', String(car('CP-L3').tx!.id), 'B', '8 A', '7.5 A', 'charging'],
        ['CP-L4', '1', String(car('CP-L4').tx!.id), 'A B C', '0 A', 'A 0 · B 0 · C 0 A', 'waiting'],
      ],
    );
    const bars = (scope: string) => load.getByTestId(scope).locator('[data-phase=B] .bar');
    assert.deepEqual(
      await bars('site-bars')
        .allInnerTexts()
        .then((b) => b.map((x) => x.replace(/\s+/g, ' ').trim())),
      ['Limit 24 A', 'Allowed 24 A', 'Measured 22.5 A'],
    );
    const circuit = (name: string) => load.locator(`[data-testid=circuit][data-name="${name}"]`);
    const circuitBars = (name: string) =>
      circuit(name)
        .locator(':scope > .phase-bars [data-phase=B] .bar')
        .evaluateAll((els) => els.map((e) => e.getAttribute('data-value')));
    assert.match(
      (await circuit('Car park').locator(':scope > .circuit-head').textContent())!,
      /Chargers: CP-L1, CP-L2$/,
    );
    assert.match((await circuit('Bay 3').locator(':scope > .circuit-head').textContent())!, /Chargers: CP-L3$/);
    assert.deepEqual(
      await circuitBars('Car park'),
      ['32', '24', '22.5'],
      'limit, allowed and measured on B of Car park (Bay 3 included)',
    );
    assert.deepEqual(await circuitBars('Bay 3'), ['16', '8', '7.5']);
    assert.equal(
      await circuit('Car park').locator('[data-testid=circuit][data-name="Bay 3"]').count(),
      1,
      'Bay 3 nested under Car park',
    );
    const wiring = await load.getByTestId('load-wiring').locator('tbody tr').allInnerTexts();
    assert.deepEqual(
      wiring.map((r) => r.split('\t').map((c) => c.trim())),
      [
        ['CP-L1', '3', 'site default (ABC)', 'A B C', 'Car park', '7–32', 'Edit on Devices'],
        ['CP-L2', '3', 'site default (ABC)', 'A B C', 'Car park', '7–32', 'Edit on Devices'],
        ['CP-L3', '1', 'BCA', 'B', 'Bay 3', '7–16', 'Edit on Devices'],
        ['CP-L4', '3', 'site default (ABC)', 'A B C', 'site', '7–32', 'Edit on Devices'],
      ],
    );
    assert.equal(await load.getByTestId('edit-wiring').first().getAttribute('href'), '/devices/?charger_id=CP-L1');
    await screenshot(load, 'load-page');

    const details = await newPage(w);
    errors.push(...collectErrors(details));
    await loginAs(w, details, 'operator', '/details/?charger_id=CP-L4');
    const line = details.getByTestId('allowance');
    await line.filter({ hasText: 'allowed 0 A · drawing 0 A · waiting' }).waitFor();
    assert.equal(await line.getAttribute('data-state'), 'waiting');

    // L3 stops: L4 fits now and gets 8 A; both pages follow without a reload.
    await car('CP-L3').stop();
    await settled();
    await sessionRow(load, 'CP-L3').waitFor({ state: 'detached' });
    await sessionRow(load, 'CP-L4').filter({ hasText: 'A 7.5 · B 7.5 · C 7.5 A' }).waitFor();
    assert.deepEqual(
      (await sessionRow(load, 'CP-L4').innerText())
        .split('\t')
        .slice(4)
        .map((c) => c.trim()),
      ['8 A', 'A 7.5 · B 7.5 · C 7.5 A', 'charging'],
    );
    await line.filter({ hasText: 'allowed 8 A · drawing 7.5 A · charging' }).waitFor();
    // Seed §2.1's intchargingcurrent is the allowance: the details table follows it.
    await details
      .getByTestId('charger-details')
      .locator('tr', { has: details.locator('th:text-is("Charging current (A)")') })
      .locator('td:text-is("8")')
      .waitFor();
    await screenshot(details, 'load-details');
    assert.deepEqual(errors, []);
    await load.context().close();
    await details.context().close();
  });

  it('reads the load again when the live feed comes back, so what it missed meanwhile shows', async () => {
    await settled();
    const page = await newPage(w);
    const errors = collectErrors(page);
    // The page's live sockets pass through to the server until the test cuts them.
    let up = true;
    const open: WebSocketRoute[] = [];
    await page.routeWebSocket(/\/api\/live/, (ws) => {
      if (!up) return ws.close();
      open.push(ws);
      ws.connectToServer();
    });
    await loginAs(w, page, 'viewer', '/load/');
    await sessionRow(page, 'CP-L4').filter({ hasText: 'charging' }).waitFor();
    await page
      .getByTestId('live-badge')
      .filter({ hasText: /^● Live$/ })
      .waitFor();

    up = false;
    await Promise.all(open.splice(0).map((ws) => ws.close()));
    await page
      .getByTestId('live-badge')
      .filter({ hasText: /retrying/ })
      .waitFor();
    // Missed by the page: L4 stops and L1, L2 are raised to 12 A, all published while it is away.
    await car('CP-L4').stop();
    const snap = await settled();
    assert.deepEqual(
      snap.sessions.map((s) => [s.chargerId, s.allowed]),
      [
        ['CP-L1', 12],
        ['CP-L2', 12],
      ],
    );
    assert.equal(await sessionRow(page, 'CP-L4').count(), 1, 'the page keeps its last data while the feed is down');

    up = true;
    await page
      .getByTestId('live-badge')
      .filter({ hasText: /^● Live$/ })
      .waitFor({ timeout: 20_000 });
    await sessionRow(page, 'CP-L4').waitFor({ state: 'detached' });
    assert.deepEqual(
      (await page.getByTestId('load-sessions').locator('tbody tr').allInnerTexts()).map((r) =>
        r
          .split('\t')
          .slice(0, 1)
          .concat(r.split('\t').slice(4, 6))
          .map((c) => c.trim()),
      ),
      [
        ['CP-L1', '12 A', 'A 11.5 · B 11.5 · C 11.5 A'],
        ['CP-L2', '12 A', 'A 11.5 · B 11.5 · C 11.5 A'],
      ],
    );
    assert.deepEqual(errors, []);
    await page.context().close();
  });

  it('Details says when a car takes less than it may: capped by demand, the rest going to the other session', async () => {
    const details = await newPage(w);
    const errors = collectErrors(details);
    await loginAs(w, details, 'viewer', '/details/?charger_id=CP-L2');
    const line = details.getByTestId('allowance');
    await line.filter({ hasText: 'allowed 12 A · drawing 11.5 A · charging' }).waitFor();
    // The car on CP-L2 takes 4 A. After 30 s of that (the injected clock) it is allowed its
    // draw plus a margin, at least its charger's 7 A minimum; CP-L1 gets the rest of phase A.
    wants.set('CP-L2', 4);
    for (let i = 0; i < 4; i++) {
      await report();
      (w.clock as ManualClock).advance(11_000);
    }
    const snap = await settled();
    assert.deepEqual(
      snap.sessions.map((s) => [s.chargerId, s.allowed, s.state]),
      [
        ['CP-L1', 17, 'charging'],
        ['CP-L2', 7, 'capped-by-demand'],
      ],
    );
    await line.filter({ hasText: 'allowed 7 A · drawing 4 A · capped by demand' }).waitFor();
    assert.match(
      (await line.locator('[data-state=capped-by-demand]').getAttribute('title'))!,
      /draws clearly less than it could/,
    );
    await screenshot(details, 'load-details-capped');
    assert.deepEqual(errors, []);
    await details.context().close();
  });

  it('with distribution off the gauges show the measured current only, and the Load page says so (in Chinese too)', async () => {
    const overview = await newPage(w);
    const errors = collectErrors(overview);
    await loginAs(w, overview, 'viewer');
    await phaseText(overview, 'A').filter({ hasText: 'allowed 24 A' }).waitFor();
    await saveSettings(ocpp, { blncurrentdistribution: 0 });
    await settled();
    // Cleared, CP-L1's car draws its charger's 32 A less 0.5 and CP-L2's its 4 A: 35.5 A on A, above its 24 A limit.
    await phaseText(overview, 'A').filter({ hasText: 'Phase A: measured 35.5 A, limit 24 A' }).waitFor();
    assert.match((await phaseText(overview, 'A').textContent())!, /above the limit$/);
    assert.doesNotMatch((await overview.getByTestId('phase-gauge-text').textContent())!, /allowed/);
    await screenshot(overview, 'load-overview-off');

    const zh = await newPage(w, 'zh');
    errors.push(...collectErrors(zh));
    await loginAs(w, zh, 'viewer', '/load/');
    await zh.getByTestId('load-off-note').waitFor();
    assert.match((await zh.getByTestId('load-off-note').textContent())!, /电流分配已关闭/);
    await sessionRow(zh, 'CP-L1').filter({ hasText: '未调控' }).waitFor();
    assert.equal(await zh.locator('nav.nav a.active').textContent(), '负载');
    await screenshot(zh, 'load-page-off-zh');
    // A charger's wiring is edited on the Devices page, which opens with that charger selected.
    await Promise.all([
      zh.waitForURL(`${w.base}/devices/?charger_id=CP-L3`),
      zh
        .getByTestId('load-wiring')
        .locator('tr', { hasText: 'CP-L3' })
        .getByRole('link', { name: '在设备页编辑' })
        .click(),
    ]);
    await zh.getByTestId('charger-list').locator('tr.selected', { hasText: 'CP-L3' }).waitFor();
    assert.equal(await zh.getByTestId('wiring-phases').textContent(), '占用站点相：B', "CP-L3's wiring card is open");
    assert.deepEqual(errors, []);
    await overview.context().close();
    await zh.context().close();
  });
});
