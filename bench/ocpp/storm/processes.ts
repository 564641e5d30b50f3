import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { withRaisedFileLimit } from './limits.ts';

/**
 * The storm's processes: the server under test (the real entry point, or
 * the bare ocpp-rpc baseline) and the load generator, each its own process
 * with the open-file limit raised, talking to run.ts over IPC.
 */
export function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

/** Everything to undo if the bench is interrupted: children to stop, databases to drop. */
const cleanups = new Set<() => Promise<void>>();
export function onInterrupt(cleanup: () => Promise<void>): () => void {
  cleanups.add(cleanup);
  return () => cleanups.delete(cleanup);
}
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    console.log(`\n${signal}: stopping the bench's processes and dropping its databases`);
    void Promise.allSettled([...cleanups].map((c) => c())).then(() => process.exit(130));
  });
}

/** Node with tsx, the file limit raised, and an IPC channel to this process. */
export function spawnNode(
  script: string,
  nodeArgs: string[],
  env: Record<string, string | undefined>,
  stdio: 'inherit' | 'pipe' = 'inherit',
): ChildProcess {
  const [cmd, args] = withRaisedFileLimit([process.execPath, ...nodeArgs, '--import', 'tsx', script]);
  const child = spawn(cmd, args, {
    env: { ...process.env, ...env },
    stdio: [stdio === 'pipe' ? 'ignore' : 'inherit', stdio, stdio, 'ipc'],
  });
  const forget = onInterrupt(() => stopProcess(child));
  child.once('exit', forget);
  return child;
}

export function message<T>(child: ChildProcess, type: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const onMsg = (m: { type: string; error?: string }) => {
      if (m.type === type) {
        child.off('message', onMsg);
        resolve(m as T);
      } else if (m.type === 'error') reject(new Error(m.error));
    };
    child.on('message', onMsg);
    child.once('exit', (code) => reject(new Error(`child exited (${code}) before "${type}"`)));
  });
}

export async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await exited;
}

export interface RunningServer {
  url: string;
  pid: number;
  /** The server's warnings and errors, counted by message (its log is JSON lines). */
  logSummary(): Record<string, number>;
  /** Prometheus text from the server's METRICS_PORT listener (undefined for the bare server). */
  metrics(): Promise<string | undefined>;
  stop(): Promise<void>;
}

/** The real server (`server/main.ts`) in a fresh process: nothing cached in memory, as after a restart. */
export async function startChargeops(env: Record<string, string>, cpuProfDir?: string): Promise<RunningServer> {
  const [port, metricsPort] = [await freePort(), await freePort()];
  const child = spawnNode(
    'server/main.ts',
    [
      ...(cpuProfDir ? ['--cpu-prof', `--cpu-prof-dir=${cpuProfDir}`] : []),
      // V8 flags for the server alone (not the load generators), e.g. --max-semi-space-size=64
      ...(process.env.BENCH_SERVER_NODE_ARGS?.split(' ').filter(Boolean) ?? []),
    ],
    {
      ...env,
      PORT: String(port),
      HOST: '127.0.0.1',
      METRICS_PORT: String(metricsPort),
      LOG_LEVEL: 'warn',
      REDIS_URL: '',
    },
    'pipe',
  );
  const log = countLogLines(child);
  for (let i = 0; ; i++) {
    const ok = await fetch(`http://127.0.0.1:${port}/healthz`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) break;
    if (child.exitCode !== null || i > 240) throw new Error('chargeops server did not become healthy');
    await new Promise((r) => setTimeout(r, 250));
  }
  return {
    url: `ws://127.0.0.1:${port}/ocpp`,
    pid: child.pid!,
    logSummary: () => Object.fromEntries(log),
    metrics: () => fetch(`http://127.0.0.1:${metricsPort}/metrics`).then((r) => r.text()),
    stop: () => stopProcess(child),
  };
}

/** Counts the child's log lines by message (and the error's first words); other output passes through. */
function countLogLines(child: ChildProcess): Map<string, number> {
  const counts = new Map<string, number>();
  for (const stream of [child.stdout!, child.stderr!]) {
    let rest = '';
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => {
      const lines = (rest + chunk).split('\n');
      rest = lines.pop()!;
      for (const line of lines) {
        let key: string;
        try {
          const j = JSON.parse(line) as { msg?: string; err?: { message?: string } };
          key = `${j.msg ?? '?'}${
            j.err?.message
              ? ` (${j.err.message
                  .split('\n')[0]!
                  .replace(/^Failed query: .*?: /, '')
                  .slice(0, 80)})`
              : ''
          }`;
        } catch {
          if (line.trim()) process.stdout.write(`    server: ${line}\n`);
          continue;
        }
        counts.set(key, (counts.get(key) ?? 0) + 1);
      }
    });
  }
  return counts;
}

/** The baseline: ocpp-rpc in strict mode answering at once, storing nothing (bench/ocpp/bare-server.ts). */
export async function startBare(): Promise<RunningServer> {
  const child = spawnNode(new URL('../bare-server.ts', import.meta.url).pathname, [], {});
  const { port } = await message<{ port: number }>(child, 'ready');
  return {
    url: `ws://127.0.0.1:${port}/ocpp`,
    pid: child.pid!,
    logSummary: () => ({}),
    metrics: async () => undefined,
    stop: () => stopProcess(child),
  };
}
