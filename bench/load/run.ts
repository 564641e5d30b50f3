import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * `npm run bench:load [-- --part allocate|site|all]` (default all).
 * - allocate (bench/load/allocate.ts): the time of one allocation, 100 to 10,000 sessions.
 * - site (bench/load/site.ts, when present): the site simulation of issue #12 part (b).
 * Each part is a module exporting `run(args: string[]): Promise<void>`; it is
 * handed every other command-line argument, to parse as it likes.
 */
const args: string[] = [];
let part = 'all';
const argv = process.argv.slice(2);
for (let k = 0; k < argv.length; k++) {
  const a = argv[k]!;
  if (a === '--part') part = argv[++k] ?? '';
  else if (a.startsWith('--part=')) part = a.slice('--part='.length);
  else args.push(a);
}
if (!['allocate', 'site', 'all'].includes(part)) {
  console.error(`--part must be allocate, site or all, not "${part}"`);
  process.exit(2);
}

if (part === 'allocate' || part === 'all') {
  const { run } = await import('./allocate.ts');
  await run(args);
}
if (part === 'site' || part === 'all') {
  const site = fileURLToPath(new URL('./site.ts', import.meta.url));
  if (!existsSync(site)) {
    console.log('site simulation: not yet built (bench/load/site.ts)');
  } else {
    // A computed specifier: the file is not in every checkout.
    const mod = (await import(site)) as { run: (args: string[]) => Promise<void> };
    await mod.run(args);
  }
}
