/**
 * Bytes on the wire of a first visit to /overview/ (cold browser cache,
 * logged in): every response's headers and body as received, with the
 * server's compression (plugins/compression.ts) and, as the same-run
 * baseline, without it (the `x-no-compression` request header, which
 * @fastify/compress honours). `npx tsx bench/web/overview-bytes.ts`, also
 * run by `npm run bench:web`.
 */
import type { Browser } from 'playwright-core';
import { loginAs, newPage, startWebApp } from '../../test/helpers/browser.ts';

export interface WireBytes {
  total: number;
  responses: number;
  /** Bytes per kind (document, script, stylesheet, fetch, ...). */
  byType: Record<string, number>;
}

/** Loads /overview/ in a fresh context (no cache) with the signed-in cookies, summing what came over the wire. */
async function visit(
  browser: Browser,
  base: string,
  state: Parameters<Browser['newContext']>[0],
  headers: Record<string, string>,
): Promise<WireBytes> {
  const context = await browser.newContext({ ...state, extraHTTPHeaders: headers });
  const page = await context.newPage();
  const seen: Promise<{ type: string; bytes: number }>[] = [];
  page.on('response', (res) => {
    seen.push(
      res
        .request()
        .sizes()
        .then((s) => ({ type: res.request().resourceType(), bytes: s.responseBodySize + s.responseHeadersSize })),
    );
  });
  await page.goto(`${base}/overview/`);
  await page.waitForFunction(
    "(() => { const c = document.querySelector('[data-testid=counters]'); return c && !c.textContent.includes('…'); })()",
  );
  await page.waitForFunction("document.querySelectorAll('.card .state-loading').length === 0");
  await page.waitForLoadState('networkidle');
  const all = await Promise.all(seen);
  await context.close();
  const byType: Record<string, number> = {};
  for (const r of all) byType[r.type] = (byType[r.type] ?? 0) + r.bytes;
  return { total: all.reduce((a, r) => a + r.bytes, 0), responses: all.length, byType };
}

export async function measureOverviewBytes(): Promise<{ compressed: WireBytes; plain: WireBytes }> {
  const w = await startWebApp();
  try {
    const page = await newPage(w);
    await loginAs(w, page, 'viewer');
    const state = { storageState: await page.context().storageState() };
    await page.context().close();
    const compressed = await visit(w.browser, w.base, state, {});
    const plain = await visit(w.browser, w.base, state, { 'x-no-compression': '1' });
    return { compressed, plain };
  } finally {
    await w.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { compressed, plain } = await measureOverviewBytes();
  const kb = (b: number) => `${(b / 1024).toFixed(0)} KB`;
  const types = (x: WireBytes) =>
    Object.entries(x.byType)
      .sort((a, b) => b[1] - a[1])
      .map(([t, b]) => `${t} ${kb(b)}`)
      .join(', ');
  console.log(`/overview/ first visit, cold cache, on the wire (headers + bodies):`);
  console.log(
    `  compressed (br by the browser's Accept-Encoding): ${kb(compressed.total)} in ${compressed.responses} responses (${types(compressed)})`,
  );
  console.log(
    `  baseline, same run, uncompressed:                 ${kb(plain.total)} in ${plain.responses} responses (${types(plain)})`,
  );
  console.log(`  ratio ${(compressed.total / plain.total).toFixed(2)}`);
}
