import { DataDirInUseError, lockDataDir, type DataDirLock } from '../../db/data-dir-lock.ts';

/**
 * The start-up side of db/data-dir-lock.ts for the server and the admin
 * command line: take the lock, or print the documented "DATA_DIR … is in use"
 * line and exit 1 without touching the directory.
 */
export async function lockDataDirOrExit(dataDir: string, hint = ''): Promise<DataDirLock> {
  try {
    const lock = await lockDataDir(dataDir);
    if (!lock.held)
      console.error(
        `warning: ${process.platform} has no abstract Unix sockets; DATA_DIR ${dataDir} is not guarded against a second process`,
      );
    return lock;
  } catch (err) {
    if (!(err instanceof DataDirInUseError)) throw err;
    console.error(err.message + hint);
    process.exit(1);
  }
}
