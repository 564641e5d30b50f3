import { readFileSync } from 'node:fs';

/** This process's soft limit of open files (RLIMIT_NOFILE), from /proc: Node has no getrlimit. */
export function openFileLimit(): number {
  const m = /^Max open files\s+(\d+|unlimited)/m.exec(readFileSync('/proc/self/limits', 'utf8'));
  return !m ? NaN : m[1] === 'unlimited' ? Infinity : Number(m[1]);
}

/**
 * Runs `argv` with the soft open-file limit raised to the hard one: Node
 * cannot call setrlimit, the shell can. Each charger costs one descriptor
 * in the generator and one in the server, so 10,000 need more than the
 * usual soft default of 1024.
 */
export function withRaisedFileLimit(argv: string[]): [string, string[]] {
  return ['/bin/sh', ['-c', 'ulimit -n "$(ulimit -Hn)" 2>/dev/null; exec "$@"', 'sh', ...argv]];
}
