/**
 * Prints the gzip size of what the browser loads first (index.html's entry
 * script, its static imports and the stylesheet) against the budget of 300 KB,
 * and the lazily loaded chunks (pages, ECharts) for comparison.
 * `npm run bench:web` (builds web/dist first when it is stale).
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { ensureWebBuilt } from '../../scripts/ensure-web.mjs';

export const BUDGET_KB = 300;
const DIST = join(import.meta.dirname, '../../web/dist');

const gz = (file: string) => gzipSync(readFileSync(join(DIST, file)), { level: 9 }).length;

/** The entry chunk and, transitively, every chunk it imports statically: what the first load needs. */
export function firstLoadFiles(): string[] {
  const html = readFileSync(join(DIST, 'index.html'), 'utf8');
  const seen = new Set<string>();
  const queue = [...html.matchAll(/(?:src|href)="\/(assets\/[^"]+\.(?:js|css))"/g)].map((m) => m[1]!);
  while (queue.length) {
    const f = queue.shift()!;
    if (seen.has(f)) continue;
    seen.add(f);
    if (!f.endsWith('.js')) continue;
    const code = readFileSync(join(DIST, f), 'utf8');
    // Static imports only (`import … from "./x.js"`); `import("./x.js")` is lazy and excluded.
    for (const m of code.matchAll(/(?:^|[;\s}])import\s*(?:[\w*{}\s,$]+from\s*)?["']\.\/([^"']+\.js)["']/g))
      queue.push(`assets/${m[1]}`);
  }
  return [...seen];
}

export function measure(): { firstKb: number; lazyKb: number; files: { file: string; kb: number; first: boolean }[] } {
  const first = new Set(firstLoadFiles());
  const all = readdirSync(join(DIST, 'assets')).map((f) => `assets/${f}`);
  const files = all.map((file) => ({ file, kb: gz(file) / 1024, first: first.has(file) })).sort((a, b) => b.kb - a.kb);
  const sum = (xs: typeof files) => xs.reduce((s, f) => s + f.kb, 0);
  return { firstKb: sum(files.filter((f) => f.first)), lazyKb: sum(files.filter((f) => !f.first)), files };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await ensureWebBuilt({ quiet: true });
  const r = measure();
  for (const f of r.files)
    console.log(`${f.first ? 'first' : 'lazy '}  ${f.kb.toFixed(1).padStart(7)} KB gz  ${f.file}`);
  console.log(
    `first load: ${r.firstKb.toFixed(1)} KB gzip (budget ${BUDGET_KB} KB, ${((r.firstKb / BUDGET_KB) * 100).toFixed(0)}% of it); lazy: ${r.lazyKb.toFixed(1)} KB gzip`,
  );
  if (r.firstKb > BUDGET_KB) process.exitCode = 1;
}
