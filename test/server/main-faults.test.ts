import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';

/**
 * The entry point's process-level handlers, in a real server process: a
 * fault is injected by a preloaded module (test/helpers/fault-injection.ts)
 * on SIGUSR2, and the process is watched from outside as a supervisor would.
 */
const dataDir = mkdtempSync(join(tmpdir(), 'chargeops-faults-'));
const children: ChildProcess[] = [];

interface Started {
  child: ChildProcess;
  port: Promise<number>;
  output: () => string;
  /** Resolves once the output matches. */
  printed: (re: RegExp) => Promise<void>;
  exited: Promise<number | null>;
}

function start(fault: 'rejection' | 'exception'): Started {
  let out = '';
  const waiters: { re: RegExp; resolve: () => void }[] = [];
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', '--import', './test/helpers/fault-injection.ts', 'server/main.ts'],
    {
      env: {
        ...process.env,
        PORT: '0',
        DATA_DIR: dataDir,
        DATABASE_URL: '',
        LOG_LEVEL: 'info',
        CHARGEOPS_TEST_FAULT: fault,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  children.push(child);
  const onData = (b: Buffer) => {
    out += b.toString();
    for (const w of [...waiters]) {
      if (w.re.test(out)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve();
      }
    }
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  const printed = (re: RegExp) =>
    re.test(out)
      ? Promise.resolve()
      : Promise.race([
          new Promise<void>((resolve) => waiters.push({ re, resolve })),
          exited.then((code) => Promise.reject(new Error(`exited ${code} before printing ${re}: ${out.slice(-2000)}`))),
        ]);
  const port = Promise.race([
    printed(/Server listening at http:\/\/127\.0\.0\.1:(\d+)/).then(() =>
      Number(/Server listening at http:\/\/127\.0\.0\.1:(\d+)/.exec(out)![1]),
    ),
    exited.then((code) => Promise.reject(new Error(`exited ${code}: ${out}`))),
  ]);
  return { child, port, output: () => out, printed, exited };
}

describe('server entry point under process-level faults', () => {
  after(() => {
    // A failed test may leave its server running: never leave one behind.
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('an unhandled promise rejection is logged and the server keeps serving', async () => {
    const server = start('rejection');
    const port = await server.port;
    server.child.kill('SIGUSR2');
    await server.printed(/unhandled promise rejection/);
    assert.match(server.output(), /injected: a dropped promise rejected/);
    const health = await fetch(`http://127.0.0.1:${port}/healthz`);
    assert.equal(health.status, 200, 'still serving after the rejection');
    server.child.kill('SIGTERM');
    assert.equal(await server.exited, 0);
  });

  it('an uncaught exception is logged, then the process shuts down gracefully and exits 70 for its supervisor', async () => {
    const server = start('exception');
    await server.port;
    server.child.kill('SIGUSR2');
    assert.equal(await server.exited, 70, server.output());
    const out = server.output();
    assert.match(out, /uncaught exception; shutting down/);
    assert.match(out, /injected: an exception nobody caught/);
    assert.match(out, /"signal":"uncaughtException"/, 'went through the graceful shutdown');
    // The database was closed cleanly: the next start opens the same data directory.
    const again = start('rejection');
    const port = await again.port;
    assert.equal((await fetch(`http://127.0.0.1:${port}/healthz`)).status, 200);
    again.child.kill('SIGTERM');
    assert.equal(await again.exited, 0);
  });
});
