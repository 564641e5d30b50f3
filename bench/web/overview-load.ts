/**
 * How soon /overview/ is usable on loopback: from navigation until the
 * counters are drawn and no panel is still loading, for a logged-in user whose
 * browser has the shared chunks cached. Baseline, same run: the login page
 * (the same app shell with no API calls). Median of RUNS loads each.
 * `npx tsx bench/web/overview-load.ts`
 */
import type { Page } from 'playwright-core';
import { loginAs, newPage, startWebApp } from '../../test/helpers/browser.ts';

const RUNS = Number(process.env.RUNS ?? 7);

export async function timeLoad(page: Page, url: string, ready: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await page.goto(url);
  await ready();
  return performance.now() - started;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export async function measureOverview(runs = RUNS): Promise<{ overviewMs: number; baselineMs: number }> {
  const w = await startWebApp();
  try {
    const page = await newPage(w);
    await loginAs(w, page, 'viewer');
    const overview: number[] = [];
    const baseline: number[] = [];
    for (let i = 0; i < runs; i++) {
      baseline.push(await timeLoad(page, `${w.base}/login/`, () => page.locator('input[name=username]').waitFor()));
      overview.push(
        await timeLoad(page, `${w.base}/overview/`, async () => {
          await page.getByTestId('counters').waitFor();
          await page.waitForFunction("document.querySelectorAll('.card .state-loading').length === 0");
        }),
      );
    }
    return { overviewMs: median(overview), baselineMs: median(baseline) };
  } finally {
    await w.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const r = await measureOverview();
  console.log(`overview usable: ${r.overviewMs.toFixed(0)} ms median of ${RUNS} (budget 1000 ms); baseline login shell: ${r.baselineMs.toFixed(0)} ms; ratio ${(r.overviewMs / r.baselineMs).toFixed(2)}`);
}
