import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { BUDGET_KB, firstLoadFiles, measure } from '../../bench/web/bundle-size.ts';
import { ensureWebBuilt } from '../../scripts/ensure-web.mjs';

describe('web: bundle budget', () => {
  before(() => ensureWebBuilt({ quiet: true }));

  it(`keeps the first load within ${BUDGET_KB} KB gzip, with pages and ECharts loaded lazily`, () => {
    const r = measure();
    console.log(`first load ${r.firstKb.toFixed(1)} KB gzip, lazy ${r.lazyKb.toFixed(1)} KB gzip`);
    assert.ok(r.firstKb <= BUDGET_KB, `first load is ${r.firstKb.toFixed(1)} KB gzip`);
    const first = firstLoadFiles();
    assert.ok(
      first.some((f) => /^assets\/index-.*\.js$/.test(f)),
      'the entry chunk is counted',
    );
    assert.ok(
      !first.some((f) => /echarts|Page-/.test(f)),
      `first load holds no page or chart chunk: ${first.join(', ')}`,
    );
    assert.ok(
      r.files.some((f) => !f.first && /echarts/.test(f.file)),
      'ECharts is its own lazy chunk',
    );
  });
});
