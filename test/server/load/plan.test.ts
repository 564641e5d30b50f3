import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { allocationInput, sessionPlan, type SteeredSession } from '../../../server/load/plan.ts';
import type { SiteModel } from '../../../server/load/site-model.ts';
import type { Allocation, AllocationInput } from '../../../server/load/types.ts';

/** Which TxProfiles a round sends (server/load/plan.ts over hysteresis.ts), on one phase of 32 A. */
describe('the profiles a round sends', () => {
  const steered = (key: string, known: number | undefined, due = false, drawing = true): SteeredSession => ({
    key,
    chargerId: key,
    connectorId: 1,
    transactionId: 1,
    numberPhases: 1,
    safeShare: 10,
    drawing,
    known,
    due,
  });
  const input = (keys: string[]): AllocationInput => ({
    site: { A: 32, B: 32, C: 32 },
    circuits: [],
    sessions: keys.map((key, i) => ({ key, circuitId: null, phases: ['A'], min: 6, max: 32, arrival: i })),
  });
  const allocation = (allowed: Record<string, number>): Allocation => ({
    allowed: new Map(Object.entries(allowed)),
    state: new Map(Object.keys(allowed).map((k) => [k, 'charging'])),
    overcommitted: [],
  });
  const summary = (p: ReturnType<typeof sessionPlan>) => ({
    lowers: p.lowers.map((o) => [o.chargerId, o.limit]),
    raises: p.raises.map((o) => [o.chargerId, o.limit]),
  });

  it('raises under 1 A are given 1 A at a time while the phase allows, the rest when renewed anyway', () => {
    // A stop left 1.8 A on the 32 A phase: 0.6 A each is under 1 A, but not stranded.
    const alloc = allocation({ X: 10.6, Y: 10.6, Z: 10.6 });
    const held = sessionPlan(input(['X', 'Y', 'Z']), alloc, [steered('X', 10), steered('Y', 10), steered('Z', 10)]);
    assert.deepEqual(
      summary(held),
      {
        lowers: [],
        raises: [
          ['X', 11],
          ['Y', 11],
        ],
      },
      '11 + 11 + 10 fits 32; 11 + 11 + 11 not',
    );
    // Next round: X and Y hold 11 A, 0.4 above their allocation (held lowers); nothing more fits, nothing is sent.
    const next = sessionPlan(input(['X', 'Y', 'Z']), alloc, [steered('X', 11), steered('Y', 11), steered('Z', 10)]);
    assert.deepEqual(summary(next), { lowers: [], raises: [] });
    // With none above its allocation, a renewal takes its allocation (under 1 A, but it goes out anyway).
    const renewed = sessionPlan(input(['X', 'Y', 'Z']), allocation({ X: 10.6, Y: 10.6, Z: 10.8 }), [
      steered('X', 10.6),
      steered('Y', 10, true),
      steered('Z', 10.8),
    ]);
    assert.deepEqual(summary(renewed), { lowers: [], raises: [['Y', 10.6]] });
  });

  it('while a session is above its allocation, a renewal keeps what it has', () => {
    // X holds 0.8 A above its 10.6 A; Z's renewal must not take its 0.6 A on top: 11.4 + 10 + 10.6 > 32.
    const alloc = allocation({ X: 10.6, Y: 10.6, Z: 10.6 });
    const above = sessionPlan(input(['X', 'Y', 'Z']), alloc, [
      steered('X', 11.4),
      steered('Y', 10),
      steered('Z', 10, true),
    ]);
    assert.deepEqual(summary(above), { lowers: [['Z', 10]], raises: [] });
    // Y holds 10.8 A for its 10.6 A (a held lower); X's renewal keeps its 10 A; 1 A more fits for nobody.
    const plan = sessionPlan(input(['X', 'Y', 'Z']), alloc, [
      steered('X', 10, true),
      steered('Y', 10.8),
      steered('Z', 10.4),
    ]);
    assert.deepEqual(summary(plan), { lowers: [['X', 10]], raises: [] });
  });

  it('a session that may not draw goes to 0 A, a lower; one without a profile of ours yet counts as a lower', () => {
    const plan = sessionPlan(input(['X']), allocation({ X: 16 }), [
      steered('X', undefined, true),
      steered('F', 16, false, false),
    ]);
    assert.deepEqual(summary(plan), {
      lowers: [
        ['X', 16],
        ['F', 0],
      ],
      raises: [],
    });
  });

  it('narrowing to L1 goes with the lowers, widening with the raises; a move of the amount the other way is sent in two', () => {
    const phased = (p: ReturnType<typeof sessionPlan>) => ({
      lowers: p.lowers.map((o) => [o.chargerId, o.limit, o.numberPhases]),
      raises: p.raises.map((o) => [o.chargerId, o.limit, o.numberPhases]),
    });
    const at = (key: string, known: number, numberPhases: number, knownPhases: number): SteeredSession => ({
      ...steered(key, known),
      numberPhases,
      knownPhases,
    });
    // Narrowed, same amount: only its phases change, before anyone is raised on what it frees.
    assert.deepEqual(phased(sessionPlan(input(['X']), allocation({ X: 16 }), [at('X', 16, 1, 3)])), {
      lowers: [['X', 16, 1]],
      raises: [],
    });
    // Narrowed and raised: first narrowed at what it holds, then raised.
    assert.deepEqual(phased(sessionPlan(input(['X']), allocation({ X: 32 }), [at('X', 16, 1, 3)])), {
      lowers: [['X', 16, 1]],
      raises: [['X', 32, 1]],
    });
    // Widened, same amount: a raise on the phases it takes back.
    assert.deepEqual(phased(sessionPlan(input(['X']), allocation({ X: 16 }), [at('X', 16, 3, 1)])), {
      lowers: [],
      raises: [['X', 16, 3]],
    });
    // Widened and lowered: first lowered on its one phase, then widened at the new amount.
    assert.deepEqual(phased(sessionPlan(input(['X']), allocation({ X: 10 }), [at('X', 32, 3, 1)])), {
      lowers: [['X', 10, 1]],
      raises: [['X', 10, 3]],
    });
    // Held at 0 A: nothing to widen.
    const off = { ...at('X', 16, 3, 1), drawing: false };
    assert.deepEqual(phased(sessionPlan(input([]), allocation({}), [off])), { lowers: [['X', 0, 3]], raises: [] });
  });

  it('a session narrowed to its L1 whose charger is not steered counts at its maximum on every wired phase', () => {
    const model: SiteModel = {
      enabled: true,
      rotation: 'ABC',
      limits: { A: 32, B: 32, C: 32 },
      circuits: [],
      chargers: new Map([
        [
          'X',
          {
            id: 'X',
            maxPhase: 3,
            min: 6,
            max: 32,
            rotation: 'ABC',
            phases: ['A', 'B', 'C'],
            circuitId: null,
            online: true,
            connectors: 1,
          },
        ],
      ]),
      sessions: [
        {
          key: 'X/1',
          transactionId: 1,
          chargerId: 'X',
          connectorId: 1,
          startedAt: new Date(0),
          status: 'Charging',
          drawing: true,
        },
      ],
    };
    const narrowed = { cap: () => null, phases: () => ['A' as const] };
    const steered = allocationInput(model, { links: new Map(), grants: new Map(), leaseMs: 600_000 }, narrowed, 1000);
    assert.deepEqual([steered.sessions[0]!.phases, steered.sessions[0]!.fixed], [['A'], null]);
    const refused = allocationInput(
      model,
      { links: new Map([['X', { refusedUntil: 5000 }]]), grants: new Map(), leaseMs: 600_000 },
      narrowed,
      1000,
    );
    assert.deepEqual([refused.sessions[0]!.phases, refused.sessions[0]!.fixed], [['A', 'B', 'C'], 32]);
  });
});
