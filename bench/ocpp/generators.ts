import type { ChildProcess } from 'node:child_process';
import { emptyHistogram, merge, type Histogram } from './histogram.ts';
import type { Connected, Job, Measured } from './load-generator.ts';
import { message, spawnNode, stopProcess } from './storm/processes.ts';
import { chargerId } from './storm/generator.ts';

/**
 * The load-generator processes of one measurement: the chargers split among
 * them round robin, each job sent to all at once, their answers merged.
 */
export class Generators {
  private constructor(private readonly children: ChildProcess[]) {}

  static async start(count: number): Promise<Generators> {
    const children = Array.from({ length: count }, () =>
      spawnNode(new URL('./load-generator.ts', import.meta.url).pathname, [], {}),
    );
    await Promise.all(children.map((c) => message(c, 'ready')));
    return new Generators(children);
  }

  onProgress(listener: (m: Record<string, number>) => void): void {
    for (const c of this.children)
      c.on('message', (m: { type: string } & Record<string, number>) => m.type === 'progress' && listener(m));
  }

  async connect(
    url: string,
    secret: string | undefined,
    chargers: number,
    prefix: string,
    openSessions: boolean,
  ): Promise<Connected> {
    const n = this.children.length;
    const answers = await this.all<Connected>('connected', (k) => ({
      type: 'connect',
      url,
      secret,
      ids: Array.from({ length: chargers }, (_, i) => chargerId(prefix, i)).filter((_, i) => i % n === k),
      concurrency: 100,
      openSessions,
      callTimeoutMs: 60_000,
    }));
    const errors: Record<string, number> = {};
    for (const a of answers) for (const [k, v] of Object.entries(a.errors)) errors[k] = (errors[k] ?? 0) + v;
    return {
      type: 'connected',
      connected: answers.reduce((s, a) => s + a.connected, 0),
      failures: answers.reduce((s, a) => s + a.failures, 0),
      sessionsOpen: answers.reduce((s, a) => s + a.sessionsOpen, 0),
      seconds: Math.max(...answers.map((a) => a.seconds)),
      errors,
    };
  }

  async measure(job: Job): Promise<Measured> {
    const answers = await this.all<Measured>('result', () => job);
    const byAction: Record<string, Histogram> = {};
    const errors: Record<string, number> = {};
    for (const a of answers) {
      for (const [k, h] of Object.entries(a.byAction)) merge((byAction[k] ??= emptyHistogram()), h);
      for (const [k, v] of Object.entries(a.errors)) errors[k] = (errors[k] ?? 0) + v;
    }
    return { type: 'result', byAction, errors, queued: answers.reduce((s, a) => s + a.queued, 0) };
  }

  async stop(): Promise<void> {
    for (const c of this.children) if (c.connected) c.send({ type: 'close' });
    await Promise.all(
      this.children.map((c) =>
        Promise.race([new Promise((r) => c.once('exit', r)), new Promise((r) => setTimeout(r, 5000))]).then(() =>
          stopProcess(c),
        ),
      ),
    );
  }

  private all<T>(type: string, job: (k: number) => Job): Promise<T[]> {
    return Promise.all(
      this.children.map((c, k) => {
        const answer = message<T>(c, type);
        c.send(job(k));
        return answer;
      }),
    );
  }
}

/** All calls of a measurement in one histogram. */
export function total(m: Measured): Histogram {
  return Object.values(m.byAction).reduce((into, h) => merge(into, h), emptyHistogram());
}
