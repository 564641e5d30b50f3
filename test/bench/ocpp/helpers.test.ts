import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { emptyHistogram, merge, quantile, record } from '../../../bench/ocpp/histogram.ts';
import { mixCycle, MIXES } from '../../../bench/ocpp/mix.ts';
import { plannedRate, sessionPlan, type SessionOptions } from '../../../bench/ocpp/session-plan.ts';
import { verdict } from '../../../bench/ocpp/targets.ts';
import { Rng } from '../../../sim/random.ts';

describe('bench:ocpp helpers', () => {
  it('histogram percentiles are within 1 % of the exact ones, and merge as one', () => {
    const a = emptyHistogram();
    const b = emptyHistogram();
    const all: number[] = [];
    const rng = new Rng(7);
    for (let i = 0; i < 10_000; i++) {
      const ms = rng.between(0.05, 500);
      all.push(ms);
      record(i % 2 ? a : b, ms);
    }
    const h = merge(merge(emptyHistogram(), a), b);
    all.sort((x, y) => x - y);
    assert.equal(h.n, 10_000);
    assert.equal(h.max, all.at(-1));
    for (const p of [0.5, 0.99]) {
      const exact = all[Math.ceil(p * all.length) - 1]!;
      const got = quantile(h, p);
      assert.ok(got >= exact && got <= exact * 1.01, `p${p * 100}: ${got} vs ${exact}`);
    }
    assert.ok(Number.isNaN(quantile(emptyHistogram(), 0.5)));
  });

  it('the realistic mix cycle holds 60/20/20 and spreads MeterValues', () => {
    const cycle = mixCycle(MIXES.realistic!);
    assert.deepEqual(cycle.length, 5);
    assert.equal(cycle.filter((a) => a === 'MeterValues').length, 3);
    assert.equal(cycle.filter((a) => a === 'StatusNotification').length, 1);
    assert.equal(cycle.filter((a) => a === 'Heartbeat').length, 1);
    // never two of the rarer actions in a row, wrapping around
    for (let i = 0; i < cycle.length; i++)
      assert.ok(cycle[i] === 'MeterValues' || cycle[(i + 1) % cycle.length] === 'MeterValues', cycle.join());
    assert.deepEqual(mixCycle(MIXES.Heartbeat!), ['Heartbeat']);
    assert.throws(() => mixCycle({}));
  });

  it('a session plan holds one whole session inside the window, in order, and the planned rate is what it makes', () => {
    const o: SessionOptions = { warmupS: 30, windowS: 300, sessionS: 160, meterIntervalS: 25, heartbeatS: 150 };
    const rng = new Rng(1);
    let calls = 0;
    for (let i = 0; i < 200; i++) {
      const plan = sessionPlan(o, rng.fork(String(i)));
      const measured = plan.filter((c) => c.measured);
      calls += measured.length;
      assert.ok(plan.filter((c) => !c.measured).every((c) => c.atS >= -o.warmupS && c.atS < 0));
      assert.ok(measured.every((c) => c.atS >= 0 && c.atS < o.windowS));
      const order = measured.filter((c) => c.action !== 'Heartbeat').map((c) => c.status ?? c.action);
      assert.deepEqual(order, [
        'Preparing',
        'Authorize',
        'StartTransaction',
        'Charging',
        ...Array<string>(6).fill('MeterValues'),
        'Finishing',
        'StopTransaction',
        'Available',
      ]);
      assert.ok(plan.every((c, k) => k === 0 || plan[k - 1]!.atS <= c.atS));
    }
    // Heartbeats from a random phase: 2 per 300 s window at 150 s
    assert.equal(calls / 200, plannedRate(o, 1) * o.windowS);
    assert.equal(Math.round(plannedRate(o, 10_000)), 500);
    assert.throws(() => sessionPlan({ ...o, sessionS: 300 }, rng));
  });

  it('the verdict compares the full server with the bare one by mix and engine', () => {
    assert.deepEqual(verdict('realistic', 'pg', 200, 10_000, 3_100, 150), {
      ratio: 0.31,
      ratioMet: true,
      p99Met: true,
    });
    assert.equal(verdict('realistic', 'pglite', 20, 10_000, 1_400, 900).ratioMet, false);
    assert.equal(verdict('Heartbeat', 'pg', 1000, 10_000, 5_900, 900).ratioMet, false);
    assert.equal(verdict('MeterValues', 'pg', 200, 10_000, 5_000, 250).p99Met, false);
    assert.equal(verdict('MeterValues', 'pg', 1000, 10_000, 5_000, 250).p99Met, undefined);
  });
});
