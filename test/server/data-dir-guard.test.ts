import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { startServerProcess, type ServerProcess } from '../helpers/server-process.ts';

/**
 * One process per embedded DATA_DIR: two servers started at the same instant
 * must never both open it (two PGlite instances on one directory destroy it).
 * Real processes, real directory; each round's winner writes (a login stores
 * a session) and the next round's winner must find that write again.
 */
const run = promisify(execFile);
// Unguarded, both servers came up in round 1 here (and in 3 of 5 tries by hand):
// ten rounds miss such a race with a chance of about 1 in 10,000, at ~5 s a round.
const ROUNDS = 10;
const IN_USE = /^DATA_DIR .+ is in use by another running chargeops process$/m;

describe('one server per embedded DATA_DIR', () => {
  let dataDir: string;
  before(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'chargeops-guard-'));
    // No server runs yet: the command line opens the directory itself (under the same lock).
    await run(
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
        env: { ...process.env, DATA_DIR: dataDir, DATABASE_URL: '', LOG_LEVEL: 'silent' },
      },
    );
  });
  after(() => rmSync(dataDir, { recursive: true, force: true }));

  const login = async (port: number) => {
    const res = await fetch(`http://127.0.0.1:${port}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'keeper', password: 'keeper-password' }),
    });
    assert.equal(res.status, 200);
    return /chargeops_session=[^;]+/.exec(res.headers.get('set-cookie') ?? '')![0];
  };
  const me = (port: number, cookie: string) =>
    fetch(`http://127.0.0.1:${port}/api/auth/me`, { headers: { cookie } }).then((r) => r.status);
  const stop = async (p: ServerProcess) => {
    p.child.kill('SIGTERM');
    assert.deepEqual(await p.exited, { code: 0, signal: null }, `clean shutdown: ${p.output()}`);
  };

  it(
    `two servers started together: exactly one comes up, the other says the directory is in use (${ROUNDS} rounds), and every write survives`,
    { timeout: 900_000 },
    async () => {
      let cookie: string | undefined;
      for (let round = 1; round <= ROUNDS; round++) {
        const pair = [startServerProcess(dataDir), startServerProcess(dataDir)];
        const outcomes = await Promise.all(pair.map((p) => p.outcome));
        const up = pair.filter((_, i) => outcomes[i]!.kind === 'listening');
        if (up.length !== 1) {
          for (const p of pair) p.child.kill('SIGKILL');
          await Promise.all(pair.map((p) => p.exited));
          assert.fail(
            `round ${round}: ${up.length} servers came up\n--- a ---\n${pair[0]!.output()}\n--- b ---\n${pair[1]!.output()}`,
          );
        }
        const winner = up[0]!;
        const loser = pair.find((p) => p !== winner)!;
        assert.deepEqual(await loser.exited, { code: 1, signal: null }, `round ${round} loser: ${loser.output()}`);
        assert.match(loser.output(), IN_USE, `round ${round} loser: ${loser.output()}`);

        const port = (outcomes[pair.indexOf(winner)] as { port: number }).port;
        if (cookie)
          assert.equal(
            await me(port, cookie),
            200,
            `round ${round}: the session written in round ${round - 1} is there`,
          );
        cookie = await login(port);
        await stop(winner);
      }

      const last = startServerProcess(dataDir);
      const outcome = await last.outcome;
      assert.equal(outcome.kind, 'listening', last.output());
      assert.equal(await me((outcome as { port: number }).port, cookie!), 200);
      await stop(last);
    },
  );

  it('a server killed with SIGKILL leaves the directory free for the next one', { timeout: 300_000 }, async () => {
    const first = startServerProcess(dataDir);
    assert.equal((await first.outcome).kind, 'listening', first.output());
    first.child.kill('SIGKILL');
    assert.equal((await first.exited).signal, 'SIGKILL');

    const next = startServerProcess(dataDir);
    const outcome = await next.outcome;
    assert.equal(outcome.kind, 'listening', next.output());
    await login((outcome as { port: number }).port);
    await stop(next);
  });
});
