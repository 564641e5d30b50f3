import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { en } from '../../web/src/i18n/en.ts';
import { zh } from '../../web/src/i18n/zh.ts';
import { collectErrors, loginAs, newPage, screenshot, startWebApp, type WebApp } from '../helpers/browser.ts';
import { registerCharger } from '../helpers/ocpp.ts';

/**
 * The Devices page's wiring editor and circuits panel (docs/PRODUCT.md §7)
 * against the real server: what the page saves is what the API answers, and
 * the server's refusals are shown in words.
 */
describe('web: wiring and circuits on the devices page', () => {
  let w: WebApp;
  let page: Page;
  let errors: string[];
  const api = async (url: string) => (await w.app.inject({ url, headers: await w.as('admin') })).json();
  const wiring = (name: string) => page.getByTestId('wiring-form').locator(`[data-field=${name}]`);

  before(async () => {
    w = await startWebApp();
    await registerCharger(w, 'CP-W1');
    await registerCharger(w, 'CP-W2');
    page = await newPage(w);
    errors = collectErrors(page);
    await loginAs(w, page, 'admin', '/devices/');
  });
  after(() => w.close());

  it('creates a circuit through the page; a taken name is refused at its field', async () => {
    const form = page.getByTestId('circuit-form');
    await form.locator('input[name=name]').fill('Level 1');
    await form.locator('input[name=limitA]').fill('40');
    await form.locator('input[name=limitB]').fill('40');
    await form.locator('input[name=limitC]').fill('32.5');
    await form.getByTestId('circuit-submit').click();
    await page.getByTestId('circuits').locator('tr', { hasText: 'Level 1' }).waitFor();
    assert.equal(
      await page.getByTestId('circuits-notice').textContent(),
      en['circuits.created'].replace('{name}', 'Level 1'),
    );
    const [stored] = await api('/api/circuits');
    assert.deepEqual([stored.name, stored.parentId, stored.limits], ['Level 1', null, { A: 40, B: 40, C: 32.5 }]);

    await form.locator('input[name=name]').fill('Level 1');
    for (const p of ['A', 'B', 'C']) await form.locator(`input[name=limit${p}]`).fill('10');
    await form.getByTestId('circuit-submit').click();
    await form.locator('[data-field=name] .field-error').waitFor();
    assert.equal(await form.locator('[data-field=name] .field-error').textContent(), 'is taken by another circuit');
    assert.equal(await form.getByTestId('circuit-form-error').textContent(), en['code.CIRCUIT_NAME_TAKEN']);
    assert.equal((await api('/api/circuits')).length, 1);

    // A sub-circuit under it, by editing nothing but the parent select on create.
    await form.locator('input[name=name]').fill('Bay row');
    await form.locator('select[name=parentId]').selectOption({ label: 'Level 1' });
    await form.getByTestId('circuit-submit').click();
    await page.getByTestId('circuits').locator('tr', { hasText: 'Bay row' }).waitFor();
    assert.equal(
      await page.getByTestId('circuits').locator('tr', { hasText: 'Bay row' }).locator('td').nth(1).textContent(),
      'Level 1',
    );
    await screenshot(page, 'circuits');
  });

  it("edits the selected charger's wiring through PATCH, and the API answers it", async () => {
    await page.getByTestId('charger-list').locator('tr', { hasText: 'CP-W1' }).click();
    await page.getByTestId('wiring-form').waitFor();
    assert.equal(
      await wiring('phaseRotation').locator('option').first().textContent(),
      en['wiring.siteDefault'].replace('{rotation}', 'ABC'),
    );
    const level = (await api('/api/circuits')).find((c: { name: string }) => c.name === 'Level 1');
    await wiring('maxPhase').locator('select').selectOption('1');
    await wiring('minCurrent').locator('input').fill('6');
    await wiring('maxCurrent').locator('input').fill('16');
    await wiring('phaseRotation').locator('select').selectOption('BCA');
    await wiring('circuitId').locator('select').selectOption({ label: 'Level 1' });
    assert.equal(await page.getByTestId('wiring-phases').textContent(), en['wiring.loads'].replace('{phases}', 'B'));
    await page.getByTestId('wiring-save').click();
    await page.getByTestId('wiring-notice').filter({ hasText: en['wiring.saved'] }).waitFor();
    const c = await api('/api/chargers/CP-W1');
    assert.deepEqual(
      [c.maxPhase, c.minCurrent, c.maxCurrent, c.phaseRotation, c.effectiveRotation, c.phases, c.circuitId],
      [1, 6, 16, 'BCA', 'BCA', ['B'], level.id],
    );
    // The circuits panel follows: the charger now hangs from Level 1.
    await page.getByTestId('circuits').locator('tr', { hasText: 'Level 1' }).filter({ hasText: 'CP-W1' }).waitFor();
    await screenshot(page, 'wiring-saved');
  });

  it('shows a refusal at its field: min above max in the page, and the server 400 for a current out of range', async () => {
    await wiring('minCurrent').locator('input').fill('20');
    await page.getByTestId('wiring-save').click();
    assert.equal(
      await wiring('minCurrent').locator('.field-error').textContent(),
      en['wiring.minAboveMax'].replace('{min}', '20').replace('{max}', '16'),
    );
    assert.equal(await page.getByTestId('wiring-notice').textContent(), en['wiring.invalid']);

    await wiring('minCurrent').locator('input').fill('6');
    await wiring('maxCurrent').locator('input').fill('5000');
    const answered = page.waitForResponse(
      (r) => r.url().endsWith('/api/chargers/CP-W1') && r.request().method() === 'PATCH',
    );
    await page.getByTestId('wiring-save').click();
    assert.equal((await answered).status(), 400);
    await page.getByTestId('wiring-notice').filter({ hasText: en['wiring.rejected'] }).waitFor();
    assert.match((await wiring('maxCurrent').locator('.field-error').textContent()) ?? '', /1000/);
    assert.equal((await api('/api/chargers/CP-W1')).maxCurrent, 16, 'nothing was changed');
    await screenshot(page, 'wiring-refused');
  });

  it('a circuit something hangs from is not deleted, and the page says what hangs from it', async () => {
    const row = page.getByTestId('circuits').locator('tr', { hasText: 'Level 1' }).filter({ hasText: 'CP-W1' });
    await row.getByTestId('circuit-delete').click();
    await page.getByTestId('circuit-delete-yes').click();
    const words = en['circuits.inUse']
      .replace('{name}', 'Level 1')
      .replace('{chargers}', 'CP-W1')
      .replace('{circuits}', 'Bay row');
    await page.getByTestId('circuits-notice').filter({ hasText: words }).waitFor();
    assert.equal((await api('/api/circuits')).length, 2);

    // An empty one goes.
    await page.getByTestId('circuits').locator('tr', { hasText: 'Bay row' }).getByTestId('circuit-delete').click();
    await page.getByTestId('circuit-delete-yes').click();
    await page.getByTestId('circuits').locator('tr', { hasText: 'Bay row' }).waitFor({ state: 'detached' });
    assert.deepEqual(
      (await api('/api/circuits')).map((c: { name: string }) => c.name),
      ['Level 1'],
    );
  });

  it('edits a circuit: rename and new limits', async () => {
    await page.getByTestId('circuits').locator('tr', { hasText: 'Level 1' }).getByTestId('circuit-edit').click();
    const form = page.getByTestId('circuit-edit-form');
    assert.equal(await form.locator('input[name=limitC]').inputValue(), '32.5');
    await form.locator('input[name=name]').fill('Level 1 north');
    await form.locator('input[name=limitB]').fill('25');
    await form.getByTestId('circuit-submit').click();
    await page.getByTestId('circuits').locator('tr', { hasText: 'Level 1 north' }).waitFor();
    const [c] = await api('/api/circuits');
    assert.deepEqual([c.name, c.limits], ['Level 1 north', { A: 40, B: 25, C: 32.5 }]);
    assert.equal(
      await wiring('circuitId').locator('select option:checked').textContent(),
      'Level 1 north',
      'the wiring select follows the rename',
    );
    assert.deepEqual(errors, []);
  });

  it('a viewer sees the wiring read-only, in Chinese too, and no circuits panel', async () => {
    const viewer = await newPage(w, 'zh');
    const viewerErrors = collectErrors(viewer);
    await loginAs(w, viewer, 'viewer', '/devices/');
    await viewer.getByTestId('charger-list').locator('tr', { hasText: 'CP-W1' }).click();
    const form = viewer.getByTestId('wiring-form');
    await form.waitFor();
    assert.ok((await form.textContent())?.includes(zh['wiring.readOnly']));
    assert.equal(await form.locator('select:enabled, input:enabled, button').count(), 0);
    assert.equal(await form.locator('[data-field=phaseRotation] select').inputValue(), 'BCA');
    assert.equal(
      await form.locator('[data-field=circuitId] option:checked').textContent(),
      zh['wiring.circuitRef'].replace('{id}', String((await api('/api/circuits'))[0].id)),
    );
    assert.equal(await viewer.getByTestId('wiring-phases').textContent(), zh['wiring.loads'].replace('{phases}', 'B'));
    assert.equal(await viewer.getByTestId('circuit-form').count(), 0);
    assert.equal(
      await viewer
        .locator('section.card h2')
        .filter({ hasText: new RegExp(`^${zh['circuits.title']}$`) })
        .count(),
      0,
    );
    await screenshot(viewer, 'wiring-viewer-zh');
    assert.deepEqual(viewerErrors, []);
    await viewer.context().close();
  });
});
