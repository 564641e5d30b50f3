#!/usr/bin/env node
// Runs the suite (or the given files and folders) with the wall clock moved to
// an awkward instant, to prove no test depends on the hour it runs at:
//   node scripts/run-tests-at.mjs 2026-12-31T15:59:50Z Asia/Shanghai test/server test/web
// The clock is moved by libfaketime (Debian package `faketime`), preloaded into
// every process the suite starts (the runner, each test file, spawned servers,
// Chromium). It is an offset, so all processes agree on "now" and it runs on.
// libfaketime moves the monotonic clock by the same offset (Chromium stops
// loading pages when only the wall clock moves), so the offset must not be
// negative (a monotonic clock before boot): an instant already past is moved
// on by whole years, which keeps its month, day and time of day.
// The second argument sets TZ, the zone of the processes themselves (the site
// zone the tests use is their own, Asia/Shanghai unless a test says otherwise).
import { spawnSync, spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const [at, tz, ...roots] = process.argv.slice(2);
let target = Date.parse(at ?? '');
if (!at || Number.isNaN(target) || !tz) {
  console.error('usage: node scripts/run-tests-at.mjs <ISO instant> <TZ> [test files or folders…]');
  process.exit(2);
}

function findLibfaketime() {
  for (const dir of ['/usr/lib', ...readdirSync('/usr/lib').map((d) => join('/usr/lib', d))]) {
    const lib = join(dir, 'faketime', 'libfaketimeMT.so.1'); // the thread-safe build: Node and Chromium are threaded
    if (existsSync(lib)) return lib;
  }
  console.error('libfaketime not found: apt-get install faketime');
  process.exit(1);
}

for (let year = 1; target < Date.now() + 60_000; year++) {
  const d = new Date(Date.parse(at));
  d.setUTCFullYear(d.getUTCFullYear() + year);
  target = d.getTime();
}
const offsetS = Math.round((target - Date.now()) / 1000);
const env = {
  ...process.env,
  TZ: tz,
  LD_PRELOAD: [findLibfaketime(), process.env.LD_PRELOAD].filter(Boolean).join(':'),
  FAKETIME: `+${offsetS}s`,
};

// A preload that silently does nothing would make this run prove nothing: check that Node sees the instant.
const probe = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(Date.now()))'], {
  env,
  encoding: 'utf8',
});
const seen = Number(probe.stdout);
if (probe.status !== 0 || !(Math.abs(seen - target) < 60_000)) {
  console.error(
    `libfaketime did not move Node's clock to ${at} (saw ${Number.isFinite(seen) ? new Date(seen).toISOString() : probe.stderr})`,
  );
  process.exit(1);
}
console.log(`tests with the clock at ${new Date(seen).toISOString()} (TZ=${tz})`);

const child = spawn(process.execPath, [join(import.meta.dirname, 'run-tests.mjs'), ...roots], {
  stdio: 'inherit',
  env,
});
child.on('exit', (code, signal) => process.exit(signal ? 1 : (code ?? 1)));
