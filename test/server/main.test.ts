import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { randomBytes } from 'node:crypto';
import { after, describe, it } from 'node:test';
import { createScratchDatabase } from '../../db/scratch-database.ts';
import { startFreezableProxy } from '../helpers/freezable-proxy.ts';

/**
 * The entry point as an operator runs it: start on the embedded database,
 * serve /healthz, stop cleanly on SIGTERM, and find its data again on restart.
 */
const dataDir = mkdtempSync(join(tmpdir(), 'chargeops-main-'));

function start(extraEnv: Record<string, string> = {}): {
  child: ChildProcess;
  port: Promise<number>;
  output: () => string;
  until: (re: RegExp) => Promise<void>;
} {
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
  const until = (re: RegExp) =>
    new Promise<void>((resolve) => {
      const check = () => {
        if (!re.test(out)) return;
        child.stdout!.off('data', check);
        resolve();
      };
      child.stdout!.on('data', check);
      check();
    });
  return { child, port, output: () => out, until };
}

const exited = (c: ChildProcess) => new Promise<number | null>((r) => c.on('exit', (code) => r(code)));

describe('server entry point', () => {
  after(() => rmSync(dataDir, { recursive: true, force: true }));

  it('serves /healthz, keeps data across a clean restart, and refuses a second process on the same DATA_DIR', async () => {
    const first = start();
    const port = await first.port;
    const health = await fetch(`http://127.0.0.1:${port}/healthz`);
    assert.equal(health.status, 200);
    assert.deepEqual(await health.json(), { status: 'ok' }, 'anonymous callers get the status only');

    const second = start();
    assert.equal(await exited(second.child), 1);
    assert.match(second.output(), /in use by another running chargeops process/);

    // A user created through the running server survives the restart.
    const cli = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        'server/cli/admin.ts',
        'create-user',
        '--username',
        'keeper',
        '--password',
        'keeper-password',
      ],
      {
        env: { ...process.env, DATA_DIR: dataDir, DATABASE_URL: '' },
      },
    );
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

  it(
    'SIGTERM with the database frozen still shuts down cleanly within SHUTDOWN_TIMEOUT_MS',
    { timeout: 60_000 },
    async (t) => {
      const scratch = await createScratchDatabase(
        process.env.TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
        `chargeops_stop_${process.pid}_${randomBytes(4).toString('hex')}`,
      );
      const proxy = await startFreezableProxy(scratch.url);
      try {
        // Every other deadline far away: only the shutdown's own bounds may end the stuck work.
        const server = start({
          DATABASE_URL: proxy.url,
          SHUTDOWN_TIMEOUT_MS: '4000',
          REQUEST_TIMEOUT_MS: '120000',
          OCPP_HANDLER_TIMEOUT_MS: '120000',
          DB_QUERY_TIMEOUT_MS: '120000',
          DB_STATEMENT_TIMEOUT_MS: '100000',
          METRICS_PORT: '0',
        });
        const port = await server.port;
        proxy.freeze();
        const stuck = fetch(`http://127.0.0.1:${port}/api/auth/login`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ username: 'someone', password: 'some-password' }),
        }).catch((err: unknown) => err);
        await server.until(/"url":"\/api\/auth\/login"/);
        const sent = performance.now();
        server.child.kill('SIGTERM');
        const code = await exited(server.child);
        t.diagnostic(`exited ${code} ${Math.round(performance.now() - sent)} ms after SIGTERM (bound 4000 ms)`);
        assert.equal(
          code,
          0,
          `the orderly path finished before the bound (which exits 1): ${server.output().slice(-2000)}`,
        );
        await stuck;
      } finally {
        await proxy.close();
        await scratch.drop();
      }
    },
  );

  it('a bad setting stops start-up with one line naming the variable', async () => {
    const bad = start({ PORT: 'eighty' });
    assert.equal(await exited(bad.child), 78);
    assert.equal(bad.output().trim(), 'Invalid configuration: PORT must be an integer (got "eighty")');
  });
});
