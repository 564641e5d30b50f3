import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { allocate } from '../../../server/load/allocate.ts';
import { planChanges } from '../../../server/load/hysteresis.ts';
import type { Allocation, AllocationInput, SessionDemand } from '../../../server/load/types.ts';
import { tallies } from './helpers/allocation-checks.ts';
import { FC_OPTIONS, randomSite } from './helpers/random-site.ts';

const T0 = 1_764_633_600_000;
const onA = (key: string, over: Partial<SessionDemand> = {}): SessionDemand => ({
  key,
  circuitId: null,
  phases: ['A'],
  min: 6,
  max: 32,
  arrival: T0,
  ...over,
});
const input = (...sessions: SessionDemand[]): AllocationInput => ({
  site: { A: 40, B: 40, C: 40 },
  circuits: [],
  sessions,
});
/** An allocation as the allocator would answer it, written out. */
function allocation(values: Record<string, number>, unmanaged: string[] = []): Allocation {
  const allowed = new Map(Object.entries(values));
  const state = new Map(
    [...allowed].map(([k, v]) => [k, unmanaged.includes(k) ? 'unmanaged' : v === 0 ? 'waiting' : 'charging'] as const),
  );
  return { allowed, state, overcommitted: [] };
}
const keys = (changes: { key: string }[]) => changes.map((c) => c.key);

describe('hysteresis: which allowances to send', () => {
  it('sends a first allowance as a lower, any change to or from 0 A, and any change of 1 A or more', () => {
    const site = input(onA('new/1'), onA('stops/1'), onA('starts/1'), onA('down/1'), onA('up/1'));
    const plan = planChanges(
      site,
      allocation({ 'new/1': 6, 'stops/1': 0, 'starts/1': 6, 'down/1': 7, 'up/1': 9 }),
      new Map([
        ['stops/1', 6.5],
        ['starts/1', 0],
        ['down/1', 8],
        ['up/1', 8],
      ]),
    );
    assert.deepEqual(plan.lowers, [
      { key: 'new/1', from: null, to: 6 },
      { key: 'stops/1', from: 6.5, to: 0 },
      { key: 'down/1', from: 8, to: 7 },
    ]);
    assert.deepEqual(plan.raises, [
      { key: 'starts/1', from: 0, to: 6 },
      { key: 'up/1', from: 8, to: 9 },
    ]);
    assert.deepEqual(plan.held, []);
  });

  it('holds back raises and lowers under 1 A while every limit holds with what is then in force', () => {
    const plan = planChanges(
      input(onA('a/1'), onA('b/1')),
      allocation({ 'a/1': 19.5, 'b/1': 20.4 }),
      new Map([
        ['a/1', 20],
        ['b/1', 19.9],
      ]),
    );
    assert.deepEqual([plan.lowers, plan.raises, plan.held], [[], [], ['a/1', 'b/1']]);
  });

  it('sends a small lower that a sent raise relies on, the largest first, and no more of them than needed', () => {
    // A 40 A phase: c's raise of 2.5 A goes out, so 40.7 A would be in force unless 0.7 A of lowers go too.
    const site = input(onA('a/1'), onA('b/1'), onA('c/1'));
    const plan = planChanges(
      site,
      allocation({ 'a/1': 12.4, 'b/1': 12.1, 'c/1': 15 }),
      new Map([
        ['a/1', 12.9],
        ['b/1', 12.8],
        ['c/1', 12.5],
      ]),
    );
    assert.deepEqual(keys(plan.lowers), ['b/1'], 'b lowers 0.7 A, enough alone; a (0.5 A) is held');
    assert.deepEqual(keys(plan.raises), ['c/1']);
    assert.deepEqual(plan.held, ['a/1']);
  });

  it('never sends anything to an unmanaged session, and counts it at its fixed current', () => {
    const site = input(onA('fixed/1', { fixed: 32 }), onA('a/1'));
    const plan = planChanges(site, allocation({ 'fixed/1': 32, 'a/1': 8 }, ['fixed/1']), new Map([['a/1', 8.5]]));
    assert.deepEqual(keys(plan.lowers), ['a/1'], '32 + 8.5 > 40: the small lower is relied on');
    assert.deepEqual(plan.raises, []);
  });

  it('over random sites and changes: what is in force after the plan holds every limit, and only small changes are held', () => {
    const scenario = randomSite.chain((before) =>
      fc
        .record({
          caps: fc.array(
            fc.option(
              fc.integer({ min: 0, max: 400 }).map((d) => d / 10),
              { freq: 2 },
            ),
            { minLength: before.sessions.length, maxLength: before.sessions.length },
          ),
          known: fc.array(fc.boolean(), { minLength: before.sessions.length, maxLength: before.sessions.length }),
          drift: fc.array(
            fc.integer({ min: -9, max: 9 }).map((d) => d / 10),
            { minLength: before.sessions.length, maxLength: before.sessions.length },
          ),
        })
        .map(({ caps, known, drift }) => ({
          before,
          after: { ...before, sessions: before.sessions.map((s, k) => ({ ...s, cap: caps[k] })) },
          known,
          drift,
        })),
    );
    fc.assert(
      fc.property(scenario, ({ before, after, known, drift }) => {
        // What the chargers hold: the earlier allocation, a little off where a raise was held, unknown for some.
        const old = allocate(before);
        const installed = new Map<string, number>();
        before.sessions.forEach((s, k) => {
          const v = old.allowed.get(s.key)!;
          if (known[k] && s.fixed == null)
            installed.set(s.key, v > 0 ? Math.max(0.1, Math.round((v - Math.abs(drift[k]!)) * 10) / 10) : 0);
        });
        const next = allocate(after);
        const plan = planChanges(after, next, installed);
        const sent = new Map([...plan.lowers, ...plan.raises].map((c) => [c.key, c.to]));
        const inForce: Allocation = {
          ...next,
          allowed: new Map(
            [...next.allowed].map(([k, v]) => [k, sent.get(k) ?? (plan.held.includes(k) ? installed.get(k)! : v)]),
          ),
        };
        for (const [name, e] of tallies(after, inForce)) {
          if (!next.overcommitted.includes(name))
            assert.ok(e.allowed <= e.limit + 1e-9, `${name}: ${e.allowed} A in force over ${e.limit} A`);
        }
        for (const key of plan.held) {
          const from = installed.get(key);
          const to = next.allowed.get(key)!;
          assert.ok(
            from !== undefined && from !== 0 && to !== 0 && Math.abs(to - from) < 1,
            `${key}: ${from} → ${to} held`,
          );
        }
        for (const s of after.sessions) {
          const to = next.allowed.get(s.key)!;
          const from = installed.get(s.key);
          const planned = sent.has(s.key) || plan.held.includes(s.key);
          if (s.fixed != null) assert.ok(!planned, `${s.key}: unmanaged, yet planned`);
          else assert.equal(planned, from === undefined || Math.abs(from - to) > 1e-9, `${s.key}: ${from} → ${to}`);
        }
        for (const c of plan.raises) assert.ok(c.from !== null && c.to > c.from);
        for (const c of plan.lowers) assert.ok(c.from === null || c.to < c.from);
      }),
      FC_OPTIONS,
    );
  });

  it("gives held raises 1 A at a time while the phase allows, so a stop's share spread under 1 A each is not stranded", () => {
    // 30 sessions on a 400 A phase, each 0.7 A short of its allocation of 13.3 A: 21 A that no raise of 1 A would reach.
    const sessions = Array.from({ length: 30 }, (_, i) => onA(`s${String(i).padStart(2, '0')}/1`, { arrival: T0 + i }));
    const site: AllocationInput = { site: { A: 400, B: 400, C: 400 }, circuits: [], sessions };
    const alloc = allocation(Object.fromEntries(sessions.map((s) => [s.key, 13.3])));
    const installed = new Map(sessions.map((s) => [s.key, 12.6]));
    const plan = planChanges(site, alloc, installed);
    assert.equal(plan.lowers.length, 0);
    // 30 × 12.6 = 378 A in force: 22 A of room, so 22 sessions get 1 A each, the earliest first (equal shortfalls).
    assert.deepEqual(
      plan.raises,
      sessions.slice(0, 22).map((s) => ({ key: s.key, from: 12.6, to: 13.6 })),
    );
    assert.deepEqual(
      plan.held,
      sessions.slice(22).map((s) => s.key),
    );
    // The next round, with the same allocation, sends nothing: 22 × 13.6 + 8 × 12.6 = 400 A.
    for (const c of plan.raises) installed.set(c.key, c.to);
    const next = planChanges(site, alloc, installed);
    assert.deepEqual([next.lowers, next.raises], [[], []]);
  });

  it('never raises a held session past its cap or its maximum', () => {
    const site = input(onA('capped/1', { cap: 12.5 }), onA('top/1', { max: 16 }));
    const plan = planChanges(
      site,
      allocation({ 'capped/1': 12.5, 'top/1': 16 }),
      new Map([
        ['capped/1', 12],
        ['top/1', 15.4],
      ]),
    );
    assert.deepEqual([plan.raises, plan.held], [[], ['capped/1', 'top/1']]);
  });

  it('over random sites: with the allocation steady, one round settles it (the next sends nothing), limits held, no flapping', () => {
    const scenario = randomSite.chain((site) =>
      fc
        .array(
          fc.integer({ min: -15, max: 15 }).map((d) => d / 10),
          { minLength: site.sessions.length, maxLength: site.sessions.length },
        )
        .map((drift) => ({ site, drift })),
    );
    fc.assert(
      fc.property(scenario, ({ site, drift }) => {
        const alloc = allocate(site);
        // What the chargers hold: the allocation off by up to 1.5 A either way (an earlier allocation, held changes).
        const installed = new Map<string, number>();
        site.sessions.forEach((s, k) => {
          const v = alloc.allowed.get(s.key)!;
          if (s.fixed == null) installed.set(s.key, v > 0 ? Math.max(0.1, Math.round((v + drift[k]!) * 10) / 10) : 0);
        });
        const first = planChanges(site, alloc, installed);
        for (const c of [...first.lowers, ...first.raises]) installed.set(c.key, c.to);
        for (const c of first.raises) assert.ok(c.to - c.from! >= 1 - 1e-9, `${c.key}: raise ${c.from} → ${c.to}`);
        const inForce: Allocation = {
          ...alloc,
          allowed: new Map([...alloc.allowed].map(([k, v]) => [k, installed.get(k) ?? v])),
        };
        for (const [name, e] of tallies(site, inForce))
          if (!alloc.overcommitted.includes(name))
            assert.ok(e.allowed <= e.limit + 1e-9, `${name}: ${e.allowed} A in force over ${e.limit} A`);
        const second = planChanges(site, alloc, installed);
        assert.deepEqual([second.lowers, second.raises], [[], []], 'a steady allocation sends nothing more');
      }),
      FC_OPTIONS,
    );
  });
});
