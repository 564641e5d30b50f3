import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SiteMeter } from '../../../bench/load/site-metrics.ts';
import type { ConnectorDraw } from '../../../sim/connector-draw.ts';
import type { PhaseAmps } from '../../../sim/ev-model.ts';

// The site benchmark's measures on hand-made draws: what they count must be what the issue asks.
const T0 = Date.parse('2026-12-02T08:00:00Z');
const limits = { A: 20, B: 20, C: 20 };
// X1, X2: three-phase on A, B, C; S1: single-phase on A; S2: single-phase on B.
const chargers = [
  { id: 'X1', map: ['A', 'B', 'C'] as const },
  { id: 'X2', map: ['A', 'B', 'C'] as const },
  { id: 'S1', map: ['A', null, null] as const },
  { id: 'S2', map: ['B', null, null] as const },
].map((c) => ({ id: c.id, map: [...c.map] }));

const d = (chargerId: string, amps: PhaseAmps, demand: PhaseAmps): { chargerId: string; draw: ConnectorDraw } => ({
  chargerId,
  draw: { connectorId: 1, transactionId: 1, amps, offeredA: Math.max(...amps), demand },
});
const change = (m: SiteMeter, chargerId: string, atS: number, amps: PhaseAmps, realMs = atS * 100) =>
  m.change(
    {
      chargerId,
      connectorId: 1,
      transactionId: 1,
      at: new Date(T0 + atS * 1000),
      amps,
      offeredA: Math.max(...amps),
      demand: amps,
    },
    realMs,
  );

test('a second is above the limit when any phase sums above it; the exact time counts every change until the end', () => {
  const m = new SiteMeter(limits, chargers);
  m.sample(T0 + 1000, [d('X1', [10, 10, 10], [32, 32, 32]), d('S1', [10, 0, 0], [32, 0, 0])]);
  assert.equal(m.figures().secondsAboveLimit, 0, 'A at exactly its 20 A is within it');
  m.sample(T0 + 2000, [d('X1', [10, 10, 10], [32, 32, 32]), d('S1', [10.5, 0, 0], [32, 0, 0])]);
  assert.equal(m.figures().secondsAboveLimit, 1);
  assert.equal(m.figures().maxExcessA, 0.5);
  change(m, 'X1', 0, [16, 16, 16]);
  change(m, 'S1', 10, [6, 0, 0]); // A at 22 A from 10 s
  change(m, 'S1', 14, [4, 0, 0]); // back to 20 A
  change(m, 'S2', 20, [6, 0, 0]); // B at 22 A from 20 s
  m.close(T0 + 30_000);
  assert.equal(m.figures().exactSecondsAboveLimit, 4 + 10);
});

test('capacity is counted only on phases whose demand exceeds the limit, and also on the most demanded phase', () => {
  const m = new SiteMeter(limits, chargers);
  // A asks 64 A and draws 19; B asks 32 and draws 19; C asks 16 (below its limit) and draws 16.
  m.sample(T0 + 1000, [
    d('X1', [9.5, 9.5, 9.5], [16, 16, 16]),
    d('S1', [9.5, 0, 0], [32, 0, 0]),
    d('S2', [9.5, 0, 0], [16, 0, 0]),
    d('X2', [0, 0, 0], [0, 0, 0]),
  ]);
  const f = m.figures();
  assert.equal(f.bindingPhaseSeconds, 2);
  assert.equal(f.capacityShare, (19 / 20 + 19 / 20) / 2);
  assert.equal(f.bottleneckSeconds, 1);
  assert.equal(f.bottleneckShare, 19 / 20);
});

test('Jain fairness among sessions on the same phases that are all held back; others and lone sessions do not count', () => {
  const m = new SiteMeter(limits, chargers);
  m.sample(T0 + 1000, [
    d('X1', [8, 8, 8], [32, 32, 32]),
    d('X2', [4, 4, 4], [32, 32, 32]),
    d('S1', [3, 0, 0], [3, 0, 0]), // takes what it wants: not held back
    d('S2', [5, 0, 0], [32, 0, 0]), // held back, but alone on its phases
  ]);
  const f = m.figures();
  assert.equal(f.jainSamples, 2);
  assert.equal(f.jain, (12 * 12) / (2 * (64 + 16)));
  const equal = new SiteMeter(limits, chargers);
  equal.sample(T0 + 1000, [d('X1', [6, 6, 6], [32, 32, 32]), d('X2', [6, 6, 6], [16, 16, 16])]);
  assert.equal(equal.figures().jain, 1);
});

test('stop to raise: from a stop of a car that was drawing to the first raise of a held-back session on its phases', () => {
  const m = new SiteMeter(limits, chargers);
  change(m, 'X1', 0, [10, 10, 10]);
  change(m, 'X2', 0, [10, 10, 10]);
  change(m, 'S2', 0, [5, 0, 0]);
  const held = [d('X2', [10, 10, 10], [32, 32, 32]), d('S2', [5, 0, 0], [32, 0, 0])];
  change(m, 'X1', 100, [0, 0, 0], 10_000);
  m.stopped('X1', T0 + 100_000, 10_000, held);
  change(m, 'S2', 100.5, [5, 0, 0], 10_050); // no more: not a raise
  change(m, 'X2', 101.5, [19, 19, 19], 10_150);
  change(m, 'S2', 102, [8, 0, 0], 10_200); // later raises of the same stop are not counted again
  assert.deepEqual(m.figures().raises, [{ simS: 1.5, realMs: 150 }]);

  // A car that had stopped drawing long before its session ended frees nothing: not measured.
  change(m, 'X2', 200, [0, 0, 0]);
  m.stopped('X2', T0 + 400_000, 40_000, [d('S2', [8, 0, 0], [32, 0, 0])]);
  // A stop nobody reacts to within 120 s counts as not raised.
  change(m, 'S2', 500, [8, 0, 0]);
  change(m, 'S2', 501, [0, 0, 0]);
  m.stopped('S2', T0 + 501_000, 50_100, [d('X1', [10, 10, 10], [32, 32, 32])]);
  m.sample(T0 + 622_000, []);
  assert.equal(m.figures().raises.length, 1);
  assert.equal(m.figures().notRaised, 1);
});
