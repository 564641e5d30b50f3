import assert from 'node:assert/strict';
import { performance } from 'node:perf_hooks';
import { describe, it } from 'node:test';
import { SerialRunner } from '../../../server/load/serial-runner.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The load controller's round runner (server/load/serial-runner.ts): one run at a time, spaced by its cost. */
describe('serial runner', () => {
  function runner(runMs: number, opts: { spacing?: number; maxGapMs?: number } = {}) {
    const runs: { start: number; end: number }[] = [];
    const r = new SerialRunner(
      async () => {
        const start = performance.now();
        await sleep(runMs);
        runs.push({ start, end: performance.now() });
        return true;
      },
      { debounceMs: 5, retryMs: 50, onError: () => {}, allowed: () => true, ...opts },
    );
    return { r, runs };
  }

  it('a run asked for while one runs follows it, spaced by twice its duration', async () => {
    const { r, runs } = runner(40, { spacing: 2, maxGapMs: 1000 });
    r.schedule(0);
    await sleep(10);
    r.schedule(); // while the first runs
    await r.settle();
    assert.equal(runs.length, 2);
    const gap = runs[1]!.start - runs[0]!.end;
    assert.ok(gap >= 75, `gap ${gap.toFixed(1)} ms after a ${(runs[0]!.end - runs[0]!.start).toFixed(1)} ms run`);
  });

  it('a run asked for after one ended waits out the spacing too, but never more than maxGapMs', async () => {
    const spaced = runner(40, { spacing: 10, maxGapMs: 120 });
    spaced.r.schedule(0);
    await spaced.r.settle();
    spaced.r.schedule(0);
    await spaced.r.settle();
    const gap = spaced.runs[1]!.start - spaced.runs[0]!.end;
    assert.ok(gap >= 115 && gap < 400, `gap ${gap.toFixed(1)} ms (capped at 120)`);
  });

  it('without spacing, the debounce alone', async () => {
    const { r, runs } = runner(200);
    r.schedule(0);
    await r.settle();
    r.schedule(0);
    await r.settle();
    assert.ok(runs[1]!.start - runs[0]!.end < 200, 'well below what a spacing of 1 would impose');
  });
});
