import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';

/**
 * The entry point as an operator runs it: start on the embedded database,
 * serve /healthz, stop cleanly on SIGTERM, and find its data again on restart.
 */
const dataDir = mkdtempSync(join(tmpdir(), 'chargeops-main-'));

function start(extraEnv: Record<string, string> = {}): { child: ChildProcess; port: Promise<number>; output: () => string } {
  let out = '';
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    env: { ...process.env, PORT: '0', DATA_DIR: dataDir, DATABASE_URL: '', LOG_LEVEL: 'info', ...extraEnv },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const port = new Promise<number>((resolve, reject) => {
    const onData = (b: Buffer) => {
      out += b.toString();
      const m = /Server listening at http:\/\/127\.0\.0\.1:(\d+)/.exec(out);
      if (m) resolve(Number(m[1]));
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (b: Buffer) => (out += b.toString()));
    child.on('exit', (code) => reject(new Error(`exited ${code}: ${out}`)));
  });
  port.catch(() => {}); // a start that is meant to fail is checked through its exit code
  return { child, port, output: () => out };
}

const exited = (c: ChildProcess) => new Promise<number | null>((r) => c.on('exit', (code) => r(code)));

describe('server entry point', () => {
  after(() => rmSync(dataDir, { recursive: true, force: true }));

  it('serves /healthz, keeps data across a clean restart, and refuses a second process on the same DATA_DIR', async () => {
    const first = start();
    const port = await first.port;
    const health = await fetch(`http://127.0.0.1:${port}/healthz`);
    assert.equal(health.status, 200);
    assert.deepEqual(await health.json(), { status: 'ok', database: 'pglite' });

    const second = start();
    assert.equal(await exited(second.child), 1);
    assert.match(second.output(), /in use by another running chargeops process/);

    // A user created through the running server survives the restart.
    const cli = spawn(process.execPath, ['--import', 'tsx', 'server/cli/admin.ts', 'create-user', '--username', 'keeper', '--password', 'keeper-password'], {
      env: { ...process.env, DATA_DIR: dataDir, DATABASE_URL: '' },
    });
    assert.equal(await exited(cli), 0);

    first.child.kill('SIGTERM');
    assert.equal(await exited(first.child), 0, 'clean shutdown exits 0');
    assert.match(first.output(), /shutting down/);

    const again = start();
    const port2 = await again.port;
    const login = await fetch(`http://127.0.0.1:${port2}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'keeper', password: 'keeper-password' }),
    });
    assert.equal(login.status, 200);
    again.child.kill('SIGTERM');
    assert.equal(await exited(again.child), 0);
  });

  it('a bad setting stops start-up with one line naming the variable', async () => {
    const bad = start({ PORT: 'eighty' });
    assert.equal(await exited(bad.child), 78);
    assert.equal(bad.output().trim(), 'Invalid configuration: PORT must be an integer (got "eighty")');
  });
});
