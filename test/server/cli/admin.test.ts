import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { lockDataDir } from '../../../db/data-dir-lock.ts';
import { adminSocketPath, startAdminSocket } from '../../../server/cli/admin-socket.ts';
import { createTestApp, type TestApp, INJECT_ORIGIN } from '../../helpers/app.ts';

const run = promisify(execFile);
const CLI = ['--import', 'tsx', 'server/cli/admin.ts'];

describe('admin command line', () => {
  let t: TestApp;
  let dataDir: string;
  let close: () => Promise<void>;
  before(async () => {
    t = await createTestApp();
    dataDir = mkdtempSync(join(tmpdir(), 'chargeops-cli-'));
    const server = await startAdminSocket(adminSocketPath(dataDir), t.app);
    close = () => new Promise((r) => server.close(() => r()));
  });
  after(async () => {
    await close();
    await t.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const env = () => ({ ...process.env, DATA_DIR: dataDir, DATABASE_URL: '', LOG_LEVEL: 'silent' });

  it('creates a user through a running server that holds the embedded database; the user can log in', async () => {
    const { stdout } = await run(
      process.execPath,
      [...CLI, 'create-user', '--username', 'boss', '--password', 'boss-password', '--role', 'admin'],
      { env: env() },
    );
    assert.match(stdout, /Created admin boss \(through the running server\)/);
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'boss', password: 'boss-password' },
    });
    assert.equal(res.statusCode, 200);
    assert.equal(res.json().role, 'admin');
  });

  it('refuses a duplicate or a bad role with a clear message and a failing exit code', async () => {
    await assert.rejects(
      run(process.execPath, [...CLI, 'create-user', '--username', 'boss', '--password', 'boss-password'], {
        env: env(),
      }),
      (e: { code: number; stderr: string }) => {
        assert.equal(e.code, 1);
        assert.match(e.stderr, /already exists/);
        return true;
      },
    );
    await assert.rejects(
      run(process.execPath, [...CLI, 'create-user', '--username', 'x', '--password', 'long-enough', '--role', 'king'], {
        env: env(),
      }),
      (e: { stderr: string }) => {
        assert.match(e.stderr, /role/);
        return true;
      },
    );
  });

  it('reads the password from standard input when not given', async () => {
    const child = execFile(process.execPath, [...CLI, 'create-user', '--username', 'quiet', '--role', 'viewer'], {
      env: env(),
    });
    child.stdin!.end('secret-one\nsecret-one\n');
    const code = await new Promise((r) => child.on('exit', r));
    assert.equal(code, 0);
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'quiet', password: 'secret-one' },
    });
    assert.equal(res.statusCode, 200);
  });

  it('disables and deletes users through the running server, revoking their tokens at once', async () => {
    for (const username of ['carla', 'dirk']) {
      await run(
        process.execPath,
        [...CLI, 'create-user', '--username', username, '--password', 'long-enough-1', '--role', 'admin'],
        { env: env() },
      );
    }
    const tokenOf = async (username: string) => {
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { username, password: 'long-enough-1' },
      });
      const cookie = `chargeops_session=${res.cookies.find((c) => c.name === 'chargeops_session')!.value}`;
      const made = await t.app.inject({
        method: 'POST',
        url: '/api/tokens',
        headers: { cookie, origin: INJECT_ORIGIN },
        payload: { name: `${username}-script`, role: 'admin' },
      });
      return { authorization: `Bearer ${made.json().token as string}` };
    };
    const carla = await tokenOf('carla');
    const dirk = await tokenOf('dirk');
    assert.equal((await t.app.inject({ url: '/api/users', headers: carla })).statusCode, 200, 'working, and cached');
    assert.equal((await t.app.inject({ url: '/api/users', headers: dirk })).statusCode, 200);

    const disabled = await run(process.execPath, [...CLI, 'disable-user', '--username', 'carla'], { env: env() });
    assert.match(disabled.stdout, /Disabled carla/);
    assert.equal((await t.app.inject({ url: '/api/users', headers: carla })).statusCode, 401);
    const login = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'carla', password: 'long-enough-1' },
    });
    assert.equal(login.statusCode, 401);

    const deleted = await run(process.execPath, [...CLI, 'delete-user', '--username', 'dirk'], { env: env() });
    assert.match(deleted.stdout, /Deleted dirk/);
    assert.equal((await t.app.inject({ url: '/api/users', headers: dirk })).statusCode, 401);
    await assert.rejects(
      run(process.execPath, [...CLI, 'delete-user', '--username', 'dirk'], { env: env() }),
      (e: { code: number; stderr: string }) => {
        assert.equal(e.code, 1);
        assert.match(e.stderr, /No user dirk/);
        return true;
      },
    );
  });

  it('does not open a directory whose lock another process holds (a server still starting), and says so', async () => {
    const busy = mkdtempSync(join(tmpdir(), 'chargeops-cli-busy-'));
    const lock = await lockDataDir(busy);
    try {
      await assert.rejects(
        run(process.execPath, [...CLI, 'create-user', '--username', 'early', '--password', 'early-password'], {
          env: { ...env(), DATA_DIR: busy },
        }),
        (e: { code: number; stderr: string }) => {
          assert.equal(e.code, 1);
          assert.match(
            e.stderr,
            /^DATA_DIR .+ is in use by another running chargeops process \(starting up, or another admin command\); try again$/m,
          );
          return true;
        },
      );
      assert.equal(existsSync(join(busy, 'pgdata')), false, 'the database was not opened');
    } finally {
      await lock.release();
      rmSync(busy, { recursive: true, force: true });
    }
  });
});
