import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ScryptGate } from '../../../server/auth/scrypt-gate.ts';
import { gate } from '../../helpers/gate.ts';

describe('scrypt gate', () => {
  it('runs up to its concurrency at once, queues while the expected wait is short, refuses beyond it', async () => {
    const g = new ScryptGate({ concurrency: 2, maxWaitMs: 99 }); // a first guess of 100 ms per check
    const held = [gate(), gate(), gate()];
    const started: number[] = [];
    const run = (i: number) =>
      g.run(async () => {
        started.push(i);
        await held[i]!.promise;
        return i;
      });
    const a = run(0);
    const b = run(1);
    const c = run(2); // 1 to wait for × 100 ms / 2 slots = 50 ms: queued
    assert.ok(a && b && c);
    assert.equal(run(3), undefined, '2 to wait for × 100 ms / 2 slots = 100 ms > 99: refused, nothing run');
    await Promise.resolve();
    assert.deepEqual(started, [0, 1], 'the third waits for a slot');
    held[0]!.open();
    assert.equal(await a, 0);
    await new Promise<void>((r) => setImmediate(r));
    assert.deepEqual(started, [0, 1, 2], 'the freed slot went to the waiter');
    held[1]!.open();
    held[2]!.open();
    assert.deepEqual(await Promise.all([b, c]), [1, 2]);
    const d = run(0);
    assert.ok(d, 'slots free again: runs at once');
  });

  it('with no wait allowed, refuses as soon as every slot is taken', () => {
    const g = new ScryptGate({ concurrency: 1, maxWaitMs: 0 });
    const held = gate();
    assert.ok(g.run(() => held.promise));
    assert.equal(
      g.run(async () => 1),
      undefined,
    );
    held.open();
  });
});
