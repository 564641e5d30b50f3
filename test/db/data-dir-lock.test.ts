import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { DataDirInUseError, lockDataDir } from '../../db/data-dir-lock.ts';

const root = mkdtempSync(join(tmpdir(), 'chargeops-lock-'));
const isInUse = (dir: string) => (err: unknown) =>
  err instanceof DataDirInUseError &&
  err.code === 'DATA_DIR_IN_USE' &&
  err.message === `DATA_DIR ${dir} is in use by another running chargeops process`;

describe('DATA_DIR lock', () => {
  after(() => rmSync(root, { recursive: true, force: true }));

  it('is exclusive, is met by every path to the directory, and is free again once released', async () => {
    const dir = join(root, 'a');
    const lock = await lockDataDir(dir); // creates the directory
    assert.equal(lock.held, true);
    await assert.rejects(lockDataDir(dir), isInUse(dir));
    const alias = join(root, 'alias');
    symlinkSync(dir, alias);
    await assert.rejects(lockDataDir(alias), isInUse(alias));
    // Another directory is not affected.
    const other = await lockDataDir(join(root, 'b'));
    await other.release();
    await lock.release();
    const again = await lockDataDir(alias);
    await again.release();
  });

  it('is held by another process for its life and freed by the kernel when it is killed with SIGKILL', async () => {
    const dir = join(root, 'c');
    const holder = spawn(process.execPath, ['--import', 'tsx', 'test/helpers/hold-data-dir-lock.ts', dir], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    await new Promise<void>((resolve, reject) => {
      holder.stdout.on('data', (b: Buffer) => b.toString().includes('locked') && resolve());
      holder.on('exit', (code) => reject(new Error(`holder exited ${code}`)));
    });
    await assert.rejects(lockDataDir(dir), isInUse(dir));
    const gone = new Promise((r) => holder.on('exit', (_code, signal) => r(signal)));
    holder.kill('SIGKILL');
    assert.equal(await gone, 'SIGKILL');
    const lock = await lockDataDir(dir);
    await lock.release();
  });
});
