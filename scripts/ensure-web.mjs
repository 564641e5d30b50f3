#!/usr/bin/env node
// Builds the dashboard (web/dist) when it is missing or older than its sources,
// so `npm start` on a fresh clone serves it. The check is cheap: compare the
// newest source mtime with the build's index.html. Exported for the browser tests.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
const SOURCES = ['web/src', 'web/index.html', 'web/vite.config.ts', 'contracts'];

function newest(path) {
  if (!existsSync(path)) return 0;
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let max = 0;
  for (const name of readdirSync(path)) max = Math.max(max, newest(join(path, name)));
  return max;
}

/** True when web/dist/index.html is missing or older than any web source. */
export function webBuildStale() {
  const built = join(root, 'web/dist/index.html');
  if (!existsSync(built)) return true;
  const builtAt = statSync(built).mtimeMs;
  return SOURCES.some((s) => newest(join(root, s)) > builtAt);
}

/** Builds with Vite's API when stale; resolves to whether a build ran. */
export async function ensureWebBuilt({ quiet = false } = {}) {
  if (!webBuildStale()) return false;
  let vite;
  try {
    vite = await import('vite');
  } catch {
    console.error('web/dist is missing or stale and Vite is not installed: run `npm ci` then `npm run build:web`.');
    return false;
  }
  if (!quiet) console.log('building the dashboard (web/dist)…');
  // Vite keeps a NODE_ENV it finds, and the test runner sets NODE_ENV=test: a build made
  // from inside a test would then bundle React's development build (twice the first load).
  const env = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await vite.build({ configFile: join(root, 'web/vite.config.ts'), logLevel: quiet ? 'warn' : 'info' });
  } finally {
    if (env === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = env;
  }
  return true;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  ensureWebBuilt().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
