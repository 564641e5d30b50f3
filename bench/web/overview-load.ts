/**
 * How soon /overview/ is usable on loopback, for a logged-in user whose
 * browser has the shared chunks cached: "usable" when the frame and the
 * counters have their answer, "settled" when no panel is loading any more.
 * Baseline, same run: the login page (the same app shell, no API call).
 * Medians of RUNS loads. `npx tsx bench/web/overview-load.ts`
 */
import type { Page } from 'playwright-core';
import { loginAs, newPage, startWebApp, type WebApp } from '../../test/helpers/browser.ts';

const RUNS = Number(process.env.RUNS ?? 7);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export interface OverviewTiming {
  usableMs: number;
  settledMs: number;
  baselineMs: number;
}

/** Times `runs` loads of the login shell and of /overview/ in a logged-in page. */
export async function measureOverview(w: WebApp, page: Page, runs: number): Promise<OverviewTiming> {
  const usable: number[] = [];
  const settled: number[] = [];
  const baseline: number[] = [];
  for (let i = 0; i < runs; i++) {
    let t0 = performance.now();
    await page.goto(`${w.base}/login/`);
    await page.locator('input[name=username]').waitFor();
    baseline.push(performance.now() - t0);

    t0 = performance.now();
    await page.goto(`${w.base}/overview/`);
    await page.waitForFunction(
      "(() => { const c = document.querySelector('[data-testid=counters]'); return c && !c.textContent.includes('…'); })()",
    );
    usable.push(performance.now() - t0);
    await page.waitForFunction("document.querySelectorAll('.card .state-loading').length === 0");
    settled.push(performance.now() - t0);
  }
  return { usableMs: median(usable), settledMs: median(settled), baselineMs: median(baseline) };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const w = await startWebApp();
  try {
    const page = await newPage(w);
    await loginAs(w, page, 'viewer');
    const r = await measureOverview(w, page, RUNS);
    console.log(
      `overview usable ${r.usableMs.toFixed(0)} ms, every panel settled ${r.settledMs.toFixed(0)} ms (median of ${RUNS}; budget 1000 ms); ` +
        `baseline login shell ${r.baselineMs.toFixed(0)} ms; ratio usable/baseline ${(r.usableMs / r.baselineMs).toFixed(2)}`,
    );
  } finally {
    await w.close();
  }
}
