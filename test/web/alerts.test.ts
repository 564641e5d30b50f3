import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { clearCondition, raiseCondition } from '../../server/alerts/conditions.ts';
import { collectErrors, loginAs, newPage, screenshot, startWebApp, type WebApp } from '../helpers/browser.ts';
import { registerCharger } from '../helpers/ocpp.ts';

/** The top bar's alert bell, the toast of an alert raised live, and the Alerts page with its acknowledgement. */
describe('web: alerts', () => {
  let w: WebApp;
  before(async () => {
    w = await startWebApp();
    await registerCharger(w, 'CP-B');
  });
  after(() => w.close());

  const raise = async (connectorId: number, message: string) => {
    await raiseCondition(w.app, {
      kind: 'charger.faulted',
      cause: `CP-B:${connectorId}:GroundFailure`,
      chargerId: 'CP-B',
      connectorId,
      message,
      details: { errorCode: 'GroundFailure' },
    });
    await w.app.alerts.flush(); // announced on /api/live through the outbox
  };

  it('the bell counts open alerts, a raise shows a toast, and an operator acknowledges it on the Alerts page', async () => {
    const page = await newPage(w);
    const errors = collectErrors(page);
    await loginAs(w, page, 'operator', '/overview/');
    const bell = page.getByTestId('alert-bell');
    await page.locator('[data-testid=alert-bell][data-live=open]').waitFor();
    await page.locator('[data-testid=alert-bell] .bell-count:text-is("0")').waitFor();

    await raise(1, 'Connector 1 of charger CP-B is Faulted (GroundFailure)');
    const toast = page.getByTestId('alert-toast');
    await toast.waitFor();
    assert.match((await toast.textContent())!, /New alert · Faulted · CP-B · connector 1/);
    assert.match((await toast.textContent())!, /is Faulted \(GroundFailure\)/);
    await page.locator('[data-testid=alert-bell] .bell-count:text-is("1")').waitFor();
    await screenshot(page, 'alerts-toast');

    await Promise.all([page.waitForURL(`${w.base}/alerts/`), bell.click()]);
    const rows = page.getByTestId('alerts').locator('tbody tr');
    await rows.first().waitFor();
    assert.equal(await rows.count(), 1);
    assert.match((await rows.first().textContent())!, /Critical.*Faulted.*CP-B · connector 1.*still open/);
    await page.getByTestId('alert-ack').click();
    await page.getByTestId('alerts').locator('td', { hasText: 'user:operator-user' }).waitFor();
    await page.locator('[data-testid=alert-bell] .bell-count:text-is("0")').waitFor();
    await screenshot(page, 'alerts-page-acknowledged');

    // Cleared by the system: gone from the open list (read again live), kept under All.
    await clearCondition(w.app, { kind: 'charger.faulted', chargerId: 'CP-B', connectorId: 1 });
    await w.app.alerts.flush();
    await page.getByText('No alert to show.').waitFor();
    await page.getByTestId('alert-state').selectOption('all');
    await rows.first().waitFor();
    assert.doesNotMatch((await rows.first().textContent())!, /still open/);
    assert.deepEqual(errors, []);
    await page.context().close();
  });

  it('in Chinese, a viewer sees the alerts but no acknowledge button', async () => {
    await raise(2, 'Connector 2 of charger CP-B is Faulted (GroundFailure)');
    const page = await newPage(w, 'zh');
    const errors = collectErrors(page);
    await loginAs(w, page, 'viewer', '/alerts/');
    await page.getByRole('heading', { name: '告警' }).waitFor();
    const rows = page.getByTestId('alerts').locator('tbody tr');
    await rows.first().waitFor();
    assert.match((await rows.first().textContent())!, /严重.*故障.*CP-B · 2 号枪.*仍在进行/);
    assert.equal(await page.getByTestId('alert-ack').count(), 0);
    await page.locator('[data-testid=alert-bell] .bell-count:text-is("1")').waitFor();
    await screenshot(page, 'alerts-page-zh');
    assert.deepEqual(errors, []);
    await page.context().close();
  });
});
