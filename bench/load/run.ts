import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

/**
 * `npm run bench:load [-- --part allocate|site|all]` (default all).
 * - allocate (bench/load/allocate.ts): the time of one allocation, 100 to 10,000 sessions.
 * - site (bench/load/site.ts, when present): the site simulation of issue #12 part (b).
 * Each part is a module exporting `run(args: string[]): Promise<void>`.
 */
const { values, positionals } = parseArgs({ options: { part: { type: 'string', default: 'all' } }, allowPositionals: true, strict: false });
const part = String(values.part);
if (!['allocate', 'site', 'all'].includes(part)) {
  console.error(`--part must be allocate, site or all, not ${part}`);
  process.exit(2);
}
const args = positionals;

if (part === 'allocate' || part === 'all') {
  const { run } = await import('./allocate.ts');
  await run();
}
if (part === 'site' || part === 'all') {
  const site = fileURLToPath(new URL('./site.ts', import.meta.url));
  if (!existsSync(site)) {
    console.log('site simulation: not yet built (bench/load/site.ts)');
  } else {
    // A computed specifier: the file may not exist in this checkout.
    const mod = (await import(site)) as { run: (args: string[]) => Promise<void> };
    await mod.run(args);
  }
}
