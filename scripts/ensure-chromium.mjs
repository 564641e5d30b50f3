#!/usr/bin/env node
// The browser tests drive Debian's chromium (playwright-core never downloads a
// browser). On a fresh Debian machine, as root, install it with the CJK font the
// Chinese pages need; otherwise say exactly what is missing and stop.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const CHROMIUM = '/usr/bin/chromium';
const PACKAGES = ['chromium', 'fonts-wqy-microhei'];

if (!existsSync(CHROMIUM)) {
  const root = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!root || !existsSync('/usr/bin/apt-get')) {
    console.error(
      `The browser tests need ${CHROMIUM}: install it with "apt-get install ${PACKAGES.join(' ')}" and run again.`,
    );
    process.exit(1);
  }
  console.log(`Installing ${PACKAGES.join(', ')} for the browser tests...`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
  execFileSync('apt-get', ['install', '-y', '-qq', ...PACKAGES], { stdio: 'inherit', env });
}
