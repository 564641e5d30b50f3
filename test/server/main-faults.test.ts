import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { execFile } from 'node:child_process';
import { sql } from 'drizzle-orm';
import { openDatabase } from '../../db/client.ts';
import { rawRows } from '../../db/raw.ts';
import { createScratchDatabase, type ScratchDatabase } from '../../db/scratch-database.ts';
import { RPCClient } from '../../server/ocpp/rpc.ts';
import { BOOT, SECRET } from '../helpers/ocpp.ts';

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

function start(
  fault: 'rejection' | 'exception' | 'kill-after-meter-commit' | 'none',
  env: Record<string, string> = {},
): Started {
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
        ...env,
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

/** The engine the suite runs on: PGlite in its own DATA_DIR, or a scratch PostgreSQL database. */
const pgUrl = process.env.TEST_DATABASE_URL;

describe(`a crash between a MeterValues commit and its answer on ${pgUrl ? 'postgres' : 'pglite'}`, () => {
  const crashDir = mkdtempSync(join(tmpdir(), 'chargeops-crash-'));
  let scratch: ScratchDatabase | undefined;
  after(async () => {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    rmSync(crashDir, { recursive: true, force: true });
    await scratch?.drop();
  });

  it(
    'kill -9 after the commit loses nothing and doubles nothing when the charger sends again',
    { timeout: 300_000 },
    async () => {
      if (pgUrl) scratch = await createScratchDatabase(pgUrl, `chargeops_crash_${process.pid}`);
      const env = { DATA_DIR: crashDir, DATABASE_URL: scratch?.url ?? '' };
      await promisify(execFile)(
        process.execPath,
        ['--import', 'tsx', 'server/cli/admin.ts', 'create-user', '--username', 'ops', '--password', 'ops-password'],
        { env: { ...process.env, ...env, LOG_LEVEL: 'silent' } },
      );
      // The third MeterValues commits, then the process dies before answering it.
      const first = start('kill-after-meter-commit', { ...env, CHARGEOPS_TEST_KILL_AT: '3' });
      const port = await first.port;
      const origin = `http://127.0.0.1:${port}`;
      const login = await fetch(`${origin}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'ops', password: 'ops-password' }),
      });
      assert.equal(login.status, 200, await login.text());
      const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
      const reg = await fetch(`${origin}/api/chargers`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie, origin },
        body: JSON.stringify({ id: 'CP-K', secret: SECRET }),
      });
      assert.equal(reg.status, 201, await reg.text());

      const charger = (p: number) =>
        new RPCClient({
          endpoint: `ws://127.0.0.1:${p}/ocpp`,
          identity: 'CP-K',
          password: SECRET,
          protocols: ['ocpp1.6'],
          strictMode: true,
          reconnect: false,
        } as never);
      const at = (k: number) => new Date(Date.parse('2026-03-15T08:00:00Z') + k * 60_000).toISOString();
      const reading = (tx: number, k: number) => ({
        connectorId: 1,
        transactionId: tx,
        meterValue: [{ timestamp: at(k), sampledValue: [{ value: String(k * 100) }] }],
      });

      const cp = charger(port);
      await cp.connect();
      await cp.call('BootNotification', BOOT);
      const { transactionId: tx } = (await cp.call('StartTransaction', {
        connectorId: 1,
        idTag: 'ANY',
        meterStart: 0,
        timestamp: at(0),
      })) as { transactionId: number };
      await cp.call('MeterValues', reading(tx, 1));
      await cp.call('MeterValues', reading(tx, 2));
      // Never answered: the charger keeps it and sends it again after reconnecting (OCPP 1.6 §4.10).
      await assert.rejects(cp.call('MeterValues', reading(tx, 3)));
      assert.equal(await first.exited, null, 'killed, not exited');
      assert.equal(first.child.signalCode, 'SIGKILL');
      await cp.close({ force: true }).catch(() => undefined);

      const second = start('none', env);
      const again = charger(await second.port);
      await again.connect();
      await again.call('BootNotification', BOOT);
      // The unanswered message, twice (a resend whose answer was lost too), then the rest.
      await again.call('MeterValues', reading(tx, 3));
      await again.call('MeterValues', reading(tx, 3));
      await again.call('MeterValues', reading(tx, 4));
      await again.call('StopTransaction', { transactionId: tx, meterStop: 400, timestamp: at(5) });
      await again.close({ force: true });
      second.child.kill('SIGTERM');
      assert.equal(await second.exited, 0, second.output());

      const database = await openDatabase(
        pgUrl ? { databaseUrl: scratch!.url } : { dataDir: join(crashDir, 'pgdata') },
      );
      try {
        const rows = await rawRows<{ value: string; n: number }>(
          database.db,
          sql`select value, count(*)::int as n from meter_values where charger_id = 'CP-K' group by value order by value::int`,
        );
        assert.deepEqual(
          rows.map((r) => [r.value, r.n]),
          [
            ['100', 1],
            ['200', 1],
            ['300', 1],
            ['400', 1],
          ],
          'every reading once: the one committed before the crash was not doubled by its resends',
        );
        const [session] = await rawRows<{ energy_wh: number; n: number }>(
          database.db,
          sql`select energy_wh::int as energy_wh, (select count(*)::int from transactions) as n from transactions where id = ${tx}`,
        );
        assert.deepEqual(session, { energy_wh: 400, n: 1 });
      } finally {
        await database.close();
      }
    },
  );
});
