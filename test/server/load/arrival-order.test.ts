import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { arrivalOrder } from '../../../server/load/arrival-order.ts';
import type { SessionDemand } from '../../../server/load/types.ts';

const byComparator = (xs: readonly SessionDemand[]) =>
  [...xs].sort((a, b) => a.arrival - b.arrival || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));

describe('arrival order', () => {
  it('equals a comparator sort by arrival then key on every path: in order already, packed, and the fallback', () => {
    const arrival = fc.oneof(
      fc.integer({ min: 0, max: 30 }).map((s) => 1_764_633_600_000 + s * 1000), // packed: a short span, many ties
      fc.integer({ min: 0, max: 4_000_000_000_000 }), // a span too wide to pack beside the position
      fc.double({ min: 0, max: 1e6, noNaN: true }), // not whole milliseconds
    );
    const sessions = fc.array(fc.record({ key: fc.string({ maxLength: 4 }), arrival }), { maxLength: 200 }).map((xs) =>
      xs.map((x, k): SessionDemand => ({
        key: `${x.key}#${k}`,
        circuitId: null,
        phases: ['A'],
        min: 6,
        max: 16,
        arrival: x.arrival,
      })),
    );
    fc.assert(
      fc.property(sessions, fc.boolean(), (xs, presorted) => {
        const input = presorted ? byComparator(xs) : xs;
        const order = arrivalOrder(
          Float64Array.from(input, (s) => s.arrival),
          input.map((s) => s.key),
        );
        assert.deepEqual(
          [...order].map((j) => input[j]!.key),
          byComparator(xs).map((s) => s.key),
        );
      }),
      { seed: 20261202, numRuns: 300 },
    );
  });
});
