import { cpus, loadavg } from 'node:os';
import { allocate } from '../../server/load/allocate.ts';
import { buildConstraintSpace } from '../../server/load/constraints.ts';
import type { Allocation, AllocationInput } from '../../server/load/types.ts';
import { allocationInput } from './allocation-input.ts';

/**
 * Part (a) of `npm run bench:load`: the time of one allocate() (server/load/allocate.ts)
 * for 100 / 1,000 / 10,000 sessions on 3 phases and 50 circuits (bench/load/allocation-input.ts),
 * median and p99 over repeated runs after a warm-up, against the target of 10 ms for 10,000.
 *
 * The baseline, in the same run over the same input: a naive equal share (each session
 * gets the least of limit ÷ sessions over its constraints, clamped to its max) that
 * walks the same wiring and builds the same two answer maps. It is the cheapest
 * answer of the same shape, so allocate ÷ baseline is what admission in arrival
 * order, max-min fairness and the 0.1 A rounding cost beyond reading the input
 * once; what the naive answer gets wrong is why it is not shipped (it overloads
 * no limit, but wastes what binding phases leave free and ignores the minima).
 */
const SIZES = [100, 1000, 10_000];
const BUDGET_MS = Number(process.env.BENCH_LOAD_MS ?? 3000);

function naiveEqualShare(input: AllocationInput): Allocation {
  const space = buildConstraintSpace(input.site, input.circuits);
  const count = new Float64Array(space.limits.length);
  const on = input.sessions.map((s) => space.constraintsOf(s.circuitId, s.phases));
  for (const list of on) for (const c of list) count[c]!++;
  const allowed = new Map<string, number>();
  const state: Allocation['state'] = new Map();
  input.sessions.forEach((s, j) => {
    let share = s.max;
    for (const c of on[j]!) share = Math.min(share, space.limits[c]! / count[c]!);
    allowed.set(s.key, Math.floor(share * 10) / 10);
    state.set(s.key, 'charging');
  });
  return { allowed, state, overcommitted: [] };
}

interface Timing {
  median: number;
  p99: number;
  /** The median CPU time of this process per run, ms: on a shared machine, the wall time less the waits for a core. */
  cpu: number;
  runs: number;
}

function time(fn: () => unknown, budgetMs: number): Timing {
  // Warm-up: a third of the budget, at least 20 runs, so the JIT has compiled the hot loops.
  const warmEnd = performance.now() + budgetMs / 3;
  for (let k = 0; k < 20 || performance.now() < warmEnd; k++) fn();
  const wall: number[] = [];
  const cpu: number[] = [];
  const end = performance.now() + budgetMs;
  while (wall.length < 50 || (performance.now() < end && wall.length < 20_000)) {
    const c = process.cpuUsage();
    const t = performance.now();
    fn();
    wall.push(performance.now() - t);
    const used = process.cpuUsage(c);
    cpu.push((used.user + used.system) / 1000);
  }
  const q = (xs: number[], p: number) => xs.sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))]!;
  return { median: q(wall, 0.5), p99: q(wall, 0.99), cpu: q(cpu, 0.5), runs: wall.length };
}

export async function run(_args: string[] = []): Promise<void> {
  console.log(
    `allocation: ${cpus().length} × ${cpus()[0]?.model ?? '?'}, node ${process.version}, load average ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
  const head = [
    'sessions',
    'waiting',
    'allocate p50',
    'p99',
    'cpu p50',
    'naive p50',
    'p99',
    'cpu p50',
    'ratio',
    'runs',
  ];
  const widths = [8, 7, 12, 10, 10, 10, 10, 10, 6, 6];
  const row = (cells: string[]) => console.log(cells.map((c, k) => c.padStart(widths[k]!)).join(' '));
  row(head);
  for (const n of SIZES) {
    const input = allocationInput(n);
    const out = allocate(input);
    const waiting = [...out.state.values()].filter((s) => s === 'waiting').length;
    const a = time(() => allocate(input), BUDGET_MS);
    const b = time(() => naiveEqualShare(input), BUDGET_MS / 2);
    const ms = (x: number) => `${x.toFixed(3)} ms`;
    row([
      String(n),
      String(waiting),
      ms(a.median),
      ms(a.p99),
      ms(a.cpu),
      ms(b.median),
      ms(b.p99),
      ms(b.cpu),
      (a.median / b.median).toFixed(1),
      String(a.runs),
    ]);
  }
  console.log(
    'target: allocate under 10 ms for 10,000 sessions; ratio = allocate p50 ÷ naive equal-share p50 (same input, same answer maps);',
  );
  console.log(
    'cpu = CPU time of this process per run (what the wall time would be without waiting for a core on a shared machine)',
  );
}
