import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { createScratchDatabase } from '../../db/scratch-database.ts';
import { openDatabase } from '../../db/client.ts';
import { createRepositories } from '../../db/repositories/index.ts';
import { hashSecret } from '../../server/auth/password.ts';

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

/**
 * The real server (`server/main.ts`) in its own process on a throwaway
 * PostgreSQL database, created here and dropped in stop(). The bench
 * chargers are registered up front with one shared secret hash: one scrypt
 * instead of ten thousand. `env` adds settings (MESSAGE_LOG=false for the run without the log).
 */
export async function startFullServer(
  adminUrl: string,
  chargers: number,
  prefix: string,
  env: Record<string, string> = {},
) {
  const scratch = await createScratchDatabase(adminUrl, `chargeops_bench_${randomBytes(4).toString('hex')}`);
  const { name, url: databaseUrl } = scratch;

  const secret = randomBytes(12).toString('base64url');
  const database = await openDatabase({ databaseUrl, poolSize: 10 });
  const repos = createRepositories(database.db);
  const secretHash = await hashSecret(secret);
  const now = new Date();
  const ids = Array.from({ length: chargers }, (_, i) => `${prefix}${String(i).padStart(5, '0')}`);
  for (let i = 0; i < ids.length; i += 100)
    await Promise.all(ids.slice(i, i + 100).map((id) => repos.chargers.create({ id, secretHash }, now)));
  await database.close();

  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      DATA_DIR: `/tmp/${name}`,
      ...env,
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  for (let i = 0; ; i++) {
    const ok = await fetch(`http://127.0.0.1:${port}/healthz`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) break;
    if (i > 120) throw new Error('chargeops server did not become healthy');
    await new Promise((r) => setTimeout(r, 500));
  }
  return {
    url: `ws://127.0.0.1:${port}/ocpp`,
    pid: child.pid!,
    secret,
    async stop() {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
      await scratch.drop();
    },
  };
}
