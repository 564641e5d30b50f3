import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import type { SampleInput } from '../../db/repositories/transactions.ts';
import { collectErrors, loginAs, newPage, screenshot, startWebApp, type WebApp } from '../helpers/browser.ts';
import { chargingFixtures } from '../helpers/charging-fixtures.ts';
import { BOOT, chargePoint, registerCharger, type OcppTestApp } from '../helpers/ocpp.ts';

const SESSIONS = 60; // more than one page of 50

const attr = async (page: Page, testId: string, name: string) => page.getByTestId(testId).getAttribute(name);

/** Waits until an attribute of a test id satisfies `ok` (the page re-renders as answers and live events arrive). */
async function until(page: Page, testId: string, name: string, ok: string): Promise<void> {
  await page.waitForFunction(
    `(() => { const v = document.querySelector('[data-testid="${testId}"]')?.getAttribute('${name}'); return v != null && (${ok}); })()`,
  );
}

/**
 * The sessions list and a session's page against the real app: the list's
 * filters, sort, keyset pages, totals and CSV; a finished session's curve
 * from its stored samples with the allowance sent; a running session's
 * curve going on live from a strict OCPP 1.6 client's MeterValues, and the
 * Details chart seeded with its stored samples.
 */
describe('web: sessions', () => {
  let w: WebApp;
  let ocpp: OcppTestApp;
  let finished = 0;
  const now = () => w.clock.now().getTime();
  before(async () => {
    w = await startWebApp();
    ocpp = { ...w, endpoint: `${w.base.replace('http', 'ws')}/ocpp`, clients: [] };
    await registerCharger(w, 'CP-A');
    await registerCharger(w, 'CP-L');
    const fx = chargingFixtures(w.app.repos, w.app.config.siteTz);
    // Sessions an hour apart ending two hours ago; the energy of each is its index, so the largest is known.
    for (let i = 1; i <= SESSIONS; i++) {
      const start = new Date(now() - (SESSIONS - i + 3) * 3_600_000);
      await fx.session('CP-A', start.toISOString(), new Date(start.getTime() + 1_800_000).toISOString(), i * 100, {
        idTag: i === 7 ? 'FLEET-7' : 'TAG-1',
        meterStart: 100_000 + i * 10_000,
      });
    }
    // The finished session with a curve: 90 minutes, a sample a minute, an allowance sent twice.
    const start = now() - 2 * 3_600_000;
    const tx = await w.app.repos.transactions.start({
      chargerId: 'CP-A',
      connectorId: 2,
      idTag: 'CURVE',
      meterStart: 50_000,
      startedAt: new Date(start),
    });
    finished = tx!.transaction.id;
    const rows: SampleInput[] = [];
    const base = { chargerId: 'CP-A', connectorId: 2, transactionId: finished, location: 'Outlet', format: 'Raw' };
    for (let m = 0; m <= 90; m++) {
      const timestamp = new Date(start + m * 60_000);
      const context = 'Sample.Periodic';
      rows.push({
        ...base,
        timestamp,
        context,
        measurand: 'Power.Active.Import',
        phase: '',
        unit: 'W',
        value: '11000',
      });
      rows.push({
        ...base,
        timestamp,
        context,
        measurand: 'Energy.Active.Import.Register',
        phase: '',
        unit: 'Wh',
        value: String(50_000 + m * 180),
      });
      for (const phase of ['L1', 'L2', 'L3'])
        rows.push({ ...base, timestamp, context, measurand: 'Current.Import', phase, unit: 'A', value: '16' });
      rows.push({
        ...base,
        timestamp,
        context,
        measurand: 'SoC',
        phase: '',
        unit: 'Percent',
        location: 'EV',
        value: String(20 + m / 2),
      });
    }
    await w.app.repos.transactions.addSamples(rows);
    await w.app.repos.transactions.stop({
      transactionId: finished,
      meterStop: 50_000 + 90 * 180,
      stoppedAt: new Date(start + 90 * 60_000),
      reason: 'Local',
      localDay: new Intl.DateTimeFormat('en-CA', { timeZone: w.app.config.siteTz }).format(
        new Date(start + 90 * 60_000),
      ),
    });
    for (const [min, limit] of [
      [1, 16],
      [30, 10],
    ] as const) {
      await w.app.repos.commands.record({
        chargerId: 'CP-A',
        action: 'SetChargingProfile',
        payload: {
          connectorId: 2,
          csChargingProfiles: {
            chargingProfileId: 102,
            transactionId: finished,
            stackLevel: 1,
            chargingProfilePurpose: 'TxProfile',
            chargingProfileKind: 'Absolute',
            chargingSchedule: { chargingRateUnit: 'A', chargingSchedulePeriod: [{ startPeriod: 0, limit }] },
          },
        },
        requestedBy: 'system:load',
        requestedAt: new Date(start + min * 60_000),
        outcome: 'answered',
        response: { status: 'Accepted' },
        answeredAt: new Date(start + min * 60_000),
        durationMs: 35,
      });
    }
  });
  after(async () => {
    await Promise.all(ocpp.clients.map((c) => c.close({ force: true })));
    await w.close();
  });

  it('lists sessions with totals, pages by keyset, filters, sorts, and downloads exactly the filtered rows', async () => {
    const page = await newPage(w);
    const errors = collectErrors(page);
    await loginAs(w, page, 'viewer', '/sessions/');
    await until(page, 'sessions-totals', 'data-count', `v === '${SESSIONS + 1}'`);
    assert.match(
      (await page.getByTestId('sessions-totals').textContent())!,
      new RegExp(`^${SESSIONS + 1} sessions · `),
    );
    const ids = async () => page.getByTestId('session-link').allTextContents();
    const first = await ids();
    assert.equal(first.length, 50);
    await page.getByTestId('sessions-next').click();
    await page.getByTestId('sessions-page').filter({ hasText: 'Page 2' }).waitFor();
    await page.waitForFunction(
      `document.querySelectorAll('[data-testid=session-link]').length === ${SESSIONS + 1 - 50}`,
    );
    const second = await ids();
    assert.equal(new Set([...first, ...second]).size, SESSIONS + 1, 'no session on both pages');
    assert.ok(await page.getByTestId('sessions-next').isDisabled());
    await page.getByTestId('sessions-prev').click();
    await page.waitForFunction(`document.querySelectorAll('[data-testid=session-link]').length === 50`);
    assert.deepEqual(await ids(), first);

    // Energy, largest first: the curve session (16.2 kWh), above the 60th (6 kWh).
    await page.getByTestId('sort-energy').click();
    await page.getByTestId('sort-energy').click();
    assert.equal(await attr(page, 'sort-energy', 'aria-sort'), 'descending');
    await page.waitForFunction(
      `document.querySelector('[data-testid=sessions-table] tbody tr td:nth-child(8)')?.textContent === '16.2'`,
    );

    await page.getByTestId('filter-id-tag').fill('fleet-7');
    await page.getByTestId('filter-apply').click();
    await until(page, 'sessions-totals', 'data-count', `v === '1'`);
    assert.equal(await attr(page, 'sessions-totals', 'data-kwh'), '0.7');
    assert.match(page.url(), /id_tag=fleet-7/);
    await page.getByTestId('filter-id-tag').fill('');
    await page.getByTestId('filter-reason').selectOption('Local');
    await page.getByTestId('filter-apply').click();
    // Both filters match one session, so the count alone cannot tell the new
    // answer from the old: wait for the row itself.
    await page.waitForFunction(
      `[...document.querySelectorAll('[data-testid=session-link]')].map((a) => a.textContent).join() === '${finished}'`,
    );
    await until(page, 'sessions-totals', 'data-count', `v === '1'`);
    assert.deepEqual(await ids(), [String(finished)]);
    assert.equal(
      (await page.getByTestId('sessions-table').locator('tbody td').last().textContent())!,
      'Stopped at the charger',
    );

    // The CSV is the list's own filter and order; fetched as the button would.
    await page.getByTestId('filter-reason').selectOption('');
    await page.getByTestId('filter-charger').selectOption('CP-A');
    await page.getByTestId('filter-apply').click();
    await until(page, 'sessions-totals', 'data-count', `v === '${SESSIONS + 1}'`);
    const href = (await attr(page, 'sessions-csv', 'href'))!;
    assert.match(href, /^\/api\/transactions\?charger_id=CP-A&sort=energy&order=desc&format=csv$/);
    const csv = await page.evaluate(async (u) => (await fetch(u)).text(), href);
    const lines = csv.split('\r\n').slice(1, -1);
    assert.equal(lines.length, SESSIONS + 1);
    assert.deepEqual(
      lines.slice(0, 50).map((l) => l.slice(0, l.indexOf(','))),
      await ids(),
    );
    await screenshot(page, 'sessions-list');
    assert.deepEqual(errors, []);
    await page.context().close();
  });

  it("a finished session's page: facts with units, its curve from the stored samples, the allowance steps, the commands", async () => {
    for (const lang of ['en', 'zh'] as const) {
      const page = await newPage(w, lang);
      const errors = collectErrors(page);
      await loginAs(w, page, 'viewer', `/sessions/${finished}/`);
      await until(page, 'session-curve', 'data-power-points', `Number(v) === 91`);
      assert.equal(await attr(page, 'session-curve', 'data-phases'), 'L1,L2,L3');
      assert.equal(await attr(page, 'session-curve', 'data-energy-points'), '91');
      assert.equal(await attr(page, 'session-curve', 'data-soc-points'), '91');
      assert.equal(await attr(page, 'session-curve', 'data-allowance'), '[16,10,10]', 'two steps, held to the stop');
      await page.getByTestId('session-chart-canvas').and(page.locator('[data-drawn]')).waitFor();
      const fact = (k: string) => page.getByTestId(`fact-${k}`).locator('td').textContent();
      assert.equal(await fact('duration'), lang === 'en' ? '1 h 30 min' : '1 小时 30 分');
      assert.equal(await fact('energy'), '16.2');
      assert.equal(await fact('meter-start'), '50');
      assert.equal(await fact('reason'), lang === 'en' ? 'Stopped at the charger' : '在电桩上停止');
      assert.equal(await fact('connector'), '2');
      assert.equal(await page.getByTestId('session-commands').locator('tbody tr').count(), 2);
      await screenshot(page, `session-finished-${lang}`);
      assert.deepEqual(errors, []);
      await page.context().close();
    }
  });

  it("a running session's curve goes on live, Details opens with its stored samples, and its stop shows", async () => {
    const admin = await w.as('admin');
    await w.app.inject({ method: 'POST', url: '/api/id-tags', headers: admin, payload: { idTag: 'TAG-L' } });
    const cp = chargePoint(ocpp, 'CP-L');
    await cp.connect();
    await cp.call('BootNotification', BOOT);
    const at = (msAgo: number) => new Date(now() - msAgo).toISOString();
    const { transactionId } = (await cp.call('StartTransaction', {
      connectorId: 1,
      idTag: 'TAG-L',
      meterStart: 2000,
      timestamp: at(600_000),
    })) as { transactionId: number };
    const meter = (msAgo: number, watts: number, wh: number) =>
      cp.call('MeterValues', {
        connectorId: 1,
        transactionId,
        meterValue: [
          {
            timestamp: at(msAgo),
            sampledValue: [
              { value: '16', measurand: 'Current.Import', phase: 'L1', unit: 'A' },
              { value: String(watts), measurand: 'Power.Active.Import', unit: 'W' },
              { value: String(wh), unit: 'Wh' },
            ],
          },
        ],
      });
    for (let i = 0; i < 5; i++) await meter(500_000 - i * 60_000, 3600, 2000 + i * 60);

    const details = await newPage(w);
    const detailsErrors = collectErrors(details);
    await loginAs(w, details, 'viewer', '/details/?charger_id=CP-L');
    await until(details, 'live-chart', 'data-points', `Number(v) === 5`);
    assert.deepEqual(JSON.parse((await attr(details, 'live-chart', 'data-last'))!), {
      at: Date.parse(at(260_000)),
      current: 16,
      powerKw: 3.6,
      energyKwh: 0.24,
    });
    assert.deepEqual(detailsErrors, []);
    await details.context().close();

    const page = await newPage(w);
    const errors = collectErrors(page);
    await loginAs(w, page, 'viewer', `/sessions/${transactionId}/`);
    await until(page, 'session-curve', 'data-power-points', `Number(v) === 5`);
    await page.getByTestId('live-badge').filter({ hasText: /Live/ }).waitFor();
    await meter(1000, 7200, 2400);
    await until(page, 'session-curve', 'data-power-points', `Number(v) === 6`);
    assert.deepEqual(JSON.parse((await attr(page, 'session-curve', 'data-last-power'))!), [Date.parse(at(1000)), 7.2]);
    assert.equal(await page.getByTestId('fact-state').locator('td').textContent(), 'Running');
    await cp.call('StopTransaction', { transactionId, meterStop: 2500, timestamp: at(0), reason: 'Remote' });
    await page.getByTestId('fact-state').locator('td').filter({ hasText: 'Finished' }).waitFor();
    assert.equal(await page.getByTestId('fact-energy').locator('td').textContent(), '0.5');
    await screenshot(page, 'session-live');
    assert.deepEqual(errors, []);
    await page.context().close();
  });
});
