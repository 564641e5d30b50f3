import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { safeDefaults, type ChargerWiring } from '../../../server/load/safe-default.ts';
import type { SessionDemand } from '../../../server/load/types.ts';
import { constraintsOf } from './helpers/allocation-checks.ts';
import { FC_OPTIONS, randomSite } from './helpers/random-site.ts';

const site = (a: number, b = a, c = a) => ({ A: a, B: b, C: c });
const charger = (id: string, over: Partial<ChargerWiring> = {}): ChargerWiring => ({
  id,
  circuitId: null,
  phases: ['A', 'B', 'C'],
  min: 6,
  max: 32,
  connectors: 1,
  ...over,
});

describe('safe default (TxDefaultProfile limit)', () => {
  it('divides each phase limit by the connectors wired to it', () => {
    const single = Array.from({ length: 18 }, (_, k) =>
      charger(`cp${k}`, { phases: [(['A', 'B', 'C'] as const)[k % 3]!] }),
    );
    assert.deepEqual(
      new Set([...safeDefaults(site(63), [], single).values()].map((d) => JSON.stringify(d))),
      new Set([JSON.stringify({ limit: 10.5, tooMuch: false })]),
    );
    const twin = Array.from({ length: 5 }, (_, k) => charger(`cp${k}`, { connectors: 2 }));
    assert.deepEqual(safeDefaults(site(63), [], twin).get('cp0'), { limit: 6.3, tooMuch: false });
    // A charger reporting no connectors yet still counts as one.
    assert.deepEqual(safeDefaults(site(20), [], [charger('a', { connectors: 0 }), charger('b')]).get('a'), {
      limit: 10,
      tooMuch: false,
    });
  });

  it('takes the tightest constraint on the charger: its circuit and every one above it', () => {
    const circuits = [
      { id: 1, parentId: null, limits: site(60) },
      { id: 2, parentId: 1, limits: site(20, 100, 100) },
    ];
    const out = safeDefaults(site(100), circuits, [
      charger('deep1', { circuitId: 2, phases: ['A'] }),
      charger('deep3', { circuitId: 2, phases: ['A'] }),
      charger('deep2', { circuitId: 2, phases: ['B'] }),
      charger('mid', { circuitId: 1 }),
      charger('top'),
    ]);
    // circuit 2 A: 20 ÷ 2 (deep1, deep3) = 10, tighter than circuit 1 A (60 ÷ 3) and the site's A (100 ÷ 4).
    assert.equal(out.get('deep1')!.limit, 10);
    assert.equal(out.get('deep3')!.limit, 10);
    // circuit 2 B: 100 ÷ 1, but circuit 1 B: 60 ÷ 2 (deep2, mid) = 30; site B: 100 ÷ 3.
    assert.equal(out.get('deep2')!.limit, 30);
    // circuit 1 A: 60 ÷ 3 (deep1, deep3, mid) = 20.
    assert.equal(out.get('mid')!.limit, 20);
    // site A: 100 ÷ 4 = 25.
    assert.equal(out.get('top')!.limit, 25);
  });

  it('raises a share below the charger min to the min and says so, and caps at the max', () => {
    const many = Array.from({ length: 20 }, (_, k) => charger(`cp${String(k).padStart(2, '0')}`));
    assert.deepEqual(safeDefaults(site(63), [], many).get('cp00'), { limit: 6, tooMuch: true });
    assert.deepEqual(safeDefaults(site(100), [], [charger('a'), charger('b')]).get('a'), { limit: 32, tooMuch: false });
  });

  it('over random sites: a constraint whose chargers are all within their share holds even if all charge at the default at once', () => {
    fc.assert(
      fc.property(randomSite, (input) => {
        // One charger per session, one or two connectors (the key's connector number).
        const sessionOf = new Map<string, SessionDemand>();
        const chargers = input.sessions.map((s, k) => {
          sessionOf.set(s.key, s);
          return {
            id: s.key,
            circuitId: s.circuitId,
            phases: s.phases,
            min: s.min,
            max: Math.max(s.min, s.max),
            connectors: 1 + (k % 2),
          };
        });
        const out = safeDefaults(input.site, input.circuits, chargers);
        const load = new Map<string, { limit: number; sum: number; tooMuch: boolean }>();
        for (const ch of chargers) {
          const d = out.get(ch.id)!;
          assert.ok(
            d.limit >= ch.min - 1e-9 && d.limit <= ch.max + 1e-9,
            `${ch.id}: ${d.limit} outside [${ch.min}, ${ch.max}]`,
          );
          for (const c of constraintsOf(input, sessionOf.get(ch.id)!)) {
            const e = load.get(c.name) ?? { limit: c.limit, sum: 0, tooMuch: false };
            e.sum += d.limit * ch.connectors;
            e.tooMuch ||= d.tooMuch;
            load.set(c.name, e);
          }
        }
        for (const [name, e] of load)
          if (!e.tooMuch) assert.ok(e.sum <= e.limit + 1e-9, `${name}: ${e.sum} A at the default over ${e.limit} A`);
      }),
      FC_OPTIONS,
    );
  });
});
