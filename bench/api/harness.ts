import { fork, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import type { Db } from '../../db/client.ts';
import { createRepositories } from '../../db/repositories/index.ts';
import { newOpaqueToken, sha256 } from '../../server/auth/opaque-token.ts';
import { createUser } from '../../server/auth/user-service.ts';

/** The bench's server child (serve.ts), its IPC and autocannon, shared by run.ts and charts.ts. */
export async function startServer(
  dbUrl: string,
  tz: string,
): Promise<{ child: ChildProcess; port: number; barePort: number }> {
  const child = fork(fileURLToPath(new URL('./serve.ts', import.meta.url)), [], {
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, BENCH_DATABASE: dbUrl, BENCH_TZ: tz },
    stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
  });
  const line = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`server exited ${code}`)));
  });
  return { child, ...(JSON.parse(line) as { port: number; barePort: number }) };
}

export function ask<T>(child: ChildProcess, msg: string | object): Promise<T> {
  return new Promise((resolve) => {
    child.once('message', (m) => resolve(m as T));
    child.send(msg);
  });
}

export async function load(url: string, headers: Record<string, string>, connections: number, duration: number) {
  const r = await autocannon({ url, connections, duration, headers });
  return { rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, bad: r.non2xx + r.errors + r.timeouts };
}

/**
 * A viewer's bearer token for the bench's requests. A token counts only while the user
 * who made it exists (docs/ARCHITECTURE.md, the path of a request), so its user is made too.
 */
export async function createBenchToken(db: Db, now: Date): Promise<string> {
  const token = newOpaqueToken('co_');
  const repos = createRepositories(db);
  const viewer = await createUser(repos.users, { username: `bench-${process.pid}`, password: token, role: 'viewer' });
  await repos.tokens.create({
    name: 'bench',
    role: 'viewer',
    tokenHash: sha256(token),
    prefix: token.slice(0, 7),
    createdBy: viewer.id,
    createdAt: now,
  });
  return token;
}
