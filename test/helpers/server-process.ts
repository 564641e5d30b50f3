import { spawn, type ChildProcess } from 'node:child_process';

/** How a started `server/main.ts` turned out: listening on a port, or exited with a code. */
export type StartOutcome =
  { kind: 'listening'; port: number } | { kind: 'exited'; code: number | null; signal: NodeJS.Signals | null };

export interface ServerProcess {
  child: ChildProcess;
  /** Settles at the first of "Server listening" or exit. */
  outcome: Promise<StartOutcome>;
  /** Settles when the process has exited. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  output(): string;
}

/** Starts the real entry point, as an operator runs it, on an embedded DATA_DIR. */
export function startServerProcess(dataDir: string, extraEnv: Record<string, string> = {}): ServerProcess {
  let out = '';
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    env: {
      ...process.env,
      PORT: '0',
      DATA_DIR: dataDir,
      DATABASE_URL: '',
      REDIS_URL: '',
      LOG_LEVEL: 'info',
      ...extraEnv,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  const outcome = new Promise<StartOutcome>((resolve) => {
    child.stdout!.on('data', (b: Buffer) => {
      out += b.toString();
      const m = /Server listening at http:\/\/127\.0\.0\.1:(\d+)/.exec(out);
      if (m) resolve({ kind: 'listening', port: Number(m[1]) });
    });
    child.stderr!.on('data', (b: Buffer) => (out += b.toString()));
    void exited.then(({ code, signal }) => resolve({ kind: 'exited', code, signal }));
  });
  return { child, outcome, exited, output: () => out };
}
