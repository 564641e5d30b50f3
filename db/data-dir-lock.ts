import { mkdirSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:net';

/**
 * One process per embedded data directory. Two PGlite instances on one
 * directory corrupt it (each believes it is the only postmaster), and a
 * check-then-open (is the admin socket alive? then open) races when two
 * processes start together. So the directory is locked before PGlite opens it.
 *
 * The lock is a Linux abstract-namespace Unix socket named after the
 * directory's device and inode numbers. Binding a name is atomic and
 * exclusive (a second bind gets EADDRINUSE), the kernel holds it for as long
 * as the process lives and drops it when the process dies however it dies
 * (kill -9 included), and no file is left behind to go stale. Device+inode
 * names the directory itself, so every path to it (symlinks, bind mounts)
 * meets the same lock. Node has no flock(2); this needs no native addon,
 * hence no compiler at install time (fs-ext and os-lock build with node-gyp).
 *
 * Limits, written for operators in docs/OPERATIONS.md: abstract names live in
 * a network namespace, so containers with network namespaces of their own that
 * mount the same directory do not see each other's lock; and the mechanism is
 * Linux-only (elsewhere start-up goes on unguarded and says so).
 */
export class DataDirInUseError extends Error {
  readonly code = 'DATA_DIR_IN_USE';
  constructor(readonly dataDir: string) {
    super(`DATA_DIR ${dataDir} is in use by another running chargeops process`);
  }
}

export interface DataDirLock {
  /** False where the platform has no abstract sockets: nothing is held. */
  held: boolean;
  /** Frees the lock early (tests); otherwise it lasts until the process ends. */
  release(): Promise<void>;
}

// Held here so the listening socket, and with it the lock, can never be collected.
const heldLocks = new Set<Server>();

/** The abstract socket name for a directory (leading NUL: not a file path). */
export function dataDirLockName(dataDir: string): string {
  const st = statSync(dataDir, { bigint: true });
  return `\0chargeops-data-dir:${st.dev}:${st.ino}`;
}

/** Locks `dataDir` (created if missing) for this process, or throws DataDirInUseError. */
export async function lockDataDir(dataDir: string): Promise<DataDirLock> {
  mkdirSync(dataDir, { recursive: true });
  if (process.platform !== 'linux') return { held: false, release: async () => {} };
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) =>
      reject(err.code === 'EADDRINUSE' ? new DataDirInUseError(dataDir) : err),
    );
    // exclusive: never shared through the cluster primary.
    server.listen({ path: dataDirLockName(dataDir), exclusive: true }, () => resolve());
  });
  // Nobody connects (a connection is closed at once); the socket must not keep the event loop alive.
  server.on('connection', (socket) => socket.destroy());
  server.unref();
  heldLocks.add(server);
  return {
    held: true,
    release: () => {
      heldLocks.delete(server);
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
