import assert from 'node:assert/strict';
import type { Allocation, AllocationInput, SessionDemand } from '../../../../server/load/types.ts';

/**
 * The rules of issue #12 checked against an allocation, computed here from
 * the input alone (the wiring walked again, no code shared with the
 * allocator), so a wrong allocator cannot pass by agreeing with itself.
 */
const EPS = 1e-9;

export interface Constraint {
  name: string;
  limit: number;
}

/** Every constraint a session is on: its phases of the site and of each circuit up from its own. */
export function constraintsOf(input: AllocationInput, s: SessionDemand): Constraint[] {
  const out: Constraint[] = s.phases.map((p) => ({ name: `site:${p}`, limit: input.site[p] }));
  for (let id = s.circuitId; id !== null;) {
    const c = input.circuits.find((x) => x.id === id)!;
    for (const p of s.phases) out.push({ name: `circuit:${c.id}:${p}`, limit: c.limits[p] });
    id = c.parentId;
  }
  return out;
}

/** The most a session may be given: max(min, min(max, cap)), cap and max floored to 0.1 A. */
export function upperBound(s: SessionDemand): number {
  const max = tenthFloor(s.max);
  return Math.max(s.min, s.cap == null ? max : Math.min(max, tenthFloor(s.cap)));
}

const tenthFloor = (x: number) => Math.floor(x * 10 + 1e-9) / 10;

export function inArrivalOrder(sessions: readonly SessionDemand[]): SessionDemand[] {
  return [...sessions].sort((a, b) => a.arrival - b.arrival || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

interface Tally {
  limit: number;
  allowed: number;
  fixed: number;
  managed: SessionDemand[];
}

export function tallies(input: AllocationInput, out: Allocation): Map<string, Tally> {
  const t = new Map<string, Tally>();
  for (const s of input.sessions) {
    for (const c of constraintsOf(input, s)) {
      const e = t.get(c.name) ?? { limit: c.limit, allowed: 0, fixed: 0, managed: [] };
      e.allowed += out.allowed.get(s.key)!;
      if (s.fixed != null) e.fixed += s.fixed;
      else e.managed.push(s);
      t.set(c.name, e);
    }
  }
  return t;
}

/** Every limit held (but those the fixed load alone breaks, which are listed), every allowance 0 or within [min, max]. */
export function checkLimitsAndBounds(input: AllocationInput, out: Allocation): void {
  assert.equal(out.allowed.size, input.sessions.length);
  assert.equal(out.state.size, input.sessions.length);
  const t = tallies(input, out);
  const over = [...t].filter(([, e]) => e.fixed > e.limit + EPS).map(([name]) => name);
  assert.deepEqual(
    [...out.overcommitted].sort(),
    over.sort(),
    'overcommitted lists exactly the constraints the fixed load alone exceeds',
  );
  for (const [name, e] of t) {
    if (!over.includes(name))
      assert.ok(e.allowed <= e.limit + EPS, `${name}: ${e.allowed} A allowed over its ${e.limit} A limit`);
  }
  for (const s of input.sessions) {
    const a = out.allowed.get(s.key)!;
    const state = out.state.get(s.key);
    if (s.fixed != null) {
      assert.equal(a, s.fixed, `${s.key}: fixed`);
      assert.equal(state, 'unmanaged');
      continue;
    }
    if (s.idle) {
      assert.deepEqual([a, state], [0, 'capped-by-demand'], `${s.key}: idle`);
      continue;
    }
    assert.ok(Math.abs(a * 10 - Math.round(a * 10)) < 1e-6, `${s.key}: ${a} A is not on the 0.1 A grid`);
    if (a === 0) {
      assert.equal(state, 'waiting', `${s.key}: 0 A is waiting`);
      continue;
    }
    assert.ok(a >= s.min - EPS && a <= s.max + EPS, `${s.key}: ${a} A outside [${s.min}, ${s.max}]`);
    assert.ok(a <= upperBound(s) + EPS, `${s.key}: ${a} A above its cap ${s.cap}`);
    const capped = s.cap != null && tenthFloor(s.cap) < tenthFloor(s.max);
    assert.equal(
      state,
      capped && Math.abs(a - upperBound(s)) < EPS ? 'capped-by-demand' : 'charging',
      `${s.key}: state`,
    );
  }
}

/**
 * Admission replayed: in arrival order, a managed session has current iff
 * its min fits on every constraint beside the fixed load and the mins of the
 * sessions given current before it. So a waiting session's min would not fit
 * given the earlier admitted, and no admitted session is starved below its min.
 */
export function checkArrivalOrder(input: AllocationInput, out: Allocation): void {
  const used = new Map<string, number>();
  for (const s of input.sessions) {
    if (s.fixed == null) continue;
    for (const c of constraintsOf(input, s)) used.set(c.name, (used.get(c.name) ?? 0) + s.fixed);
  }
  for (const s of inArrivalOrder(input.sessions)) {
    if (s.fixed != null || s.idle) continue;
    const on = constraintsOf(input, s);
    const fits = s.max >= s.min && on.every((c) => (used.get(c.name) ?? 0) + s.min <= c.limit + EPS);
    const a = out.allowed.get(s.key)!;
    if (!fits) {
      assert.equal(a, 0, `${s.key}: its min ${s.min} A does not fit beside the earlier admitted, yet it has ${a} A`);
      continue;
    }
    assert.ok(
      a >= s.min - EPS,
      `${s.key}: its min ${s.min} A fits (${on.map((c) => `${c.name} ${used.get(c.name) ?? 0}/${c.limit}`).join(', ')}) yet it has ${a} A`,
    );
    for (const c of on) used.set(c.name, (used.get(c.name) ?? 0) + s.min);
  }
}

/**
 * Max-min fairness, discretely: every admitted session below its upper bound
 * has a bottleneck, a constraint it is on that (a) is full: its slack (from
 * the limit floored to 0.1 A) cannot give 0.1 A more to every session on it
 * with no more than this one that could take more, and (b) on which no
 * session raised above its own min has more than it. Then raising it would
 * need lowering one that has no more than it, or one at its min. Currents
 * on the 0.1 A grid only (randomSite).
 */
export function checkMaxMinFair(input: AllocationInput, out: Allocation): void {
  const t = tallies(input, out);
  for (const s of input.sessions) {
    const a = out.allowed.get(s.key)!;
    if (s.fixed != null || a === 0 || a >= upperBound(s) - EPS) continue;
    const reasons: string[] = [];
    const bottleneck = constraintsOf(input, s).some((c) => {
      const e = t.get(c.name)!;
      // Allowances are 0.1 A steps: measure the slack from the limit floored to 0.1 A.
      const slack = tenthFloor(e.limit) - e.allowed;
      const hungry = e.managed.filter((j) => {
        const aj = out.allowed.get(j.key)!;
        return aj > 0 && aj < a + EPS && aj < upperBound(j) - EPS;
      }).length;
      const full = slack < 0.1 * hungry - EPS;
      const richer = e.managed.filter((j) => {
        const aj = out.allowed.get(j.key)!;
        return aj > j.min + EPS && aj > a + EPS;
      });
      reasons.push(
        `${c.name}: slack ${slack.toFixed(3)} A, ${hungry} sessions at ${a} A or less below their bound, ${richer.length} raised above it`,
      );
      return full && richer.length === 0;
    });
    assert.ok(bottleneck, `${s.key} at ${a} A (bound ${upperBound(s)}) has no bottleneck: ${reasons.join('; ')}`);
  }
}
