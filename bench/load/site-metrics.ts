import { SITE_PHASES, type PerPhase, type SitePhase } from '../../contracts/load.ts';
import type { ConnectorDraw } from '../../sim/connector-draw.ts';
import type { DrawEvent } from '../../sim/draw.ts';
import { addOnto } from './site-plan.ts';

/** A charger as the meter sees it: which site phases its L1..L3 load. */
export interface MeteredCharger {
  id: string;
  map: (SitePhase | null)[];
}

/** A session that would take more than it draws by this much (A) is held back by the allocation. */
const CONSTRAINED_A = 1;
/** A stop not followed by a raise within this long (simulated) counts as not raised. */
const RAISE_WINDOW_MS = 120_000;

export interface SiteFigures {
  sampledSeconds: number;
  secondsAboveLimit: number;
  /** Time any phase summed above its limit, from every draw change (not sampled), s. */
  exactSecondsAboveLimit: number;
  maxExcessA: number;
  /** Phase-seconds whose demand at full offer exceeded the limit, and the mean share of the limit drawn in them. */
  bindingPhaseSeconds: number;
  capacityShare: number | null;
  /** The same on the most demanded phase of each second (demand ÷ limit highest), where phase coupling cannot leave room idle. */
  bottleneckSeconds: number;
  bottleneckShare: number | null;
  /** Jain's index over equal sessions (same site phases, all held back), weighted by their number; null: no such group. */
  jain: number | null;
  jainSamples: number;
  raises: { simS: number; realMs: number }[];
  notRaised: number;
  meanDrawing: number;
}

interface PendingStop {
  at: number;
  realMs: number;
  baseline: Map<string, number>;
}

const zero = (): PerPhase => ({ A: 0, B: 0, C: 0 });
const maxOf = (a: readonly number[]) => Math.max(a[0] ?? 0, a[1] ?? 0, a[2] ?? 0);

/**
 * The site benchmark's measures, from the simulated chargers' own draw
 * (ChargePoint.presentDraw each simulated second, and every draw change):
 * nothing here reads MeterValues or the server.
 */
export class SiteMeter {
  private readonly byId: Map<string, MeteredCharger>;
  private readonly live = new Map<string, PerPhase>();
  private sums = zero();
  private lastEventAt: number | undefined;
  private exactAboveMs = 0;
  private drewUntil = new Map<string, { at: number; phases: Set<SitePhase> }>();
  private pending: PendingStop[] = [];
  private f: Omit<
    SiteFigures,
    'exactSecondsAboveLimit' | 'capacityShare' | 'bottleneckShare' | 'jain' | 'meanDrawing'
  > = {
    sampledSeconds: 0,
    secondsAboveLimit: 0,
    maxExcessA: 0,
    bindingPhaseSeconds: 0,
    bottleneckSeconds: 0,
    jainSamples: 0,
    raises: [],
    notRaised: 0,
  };
  private shareSum = 0;
  private bottleneckSum = 0;
  private jainSum = 0;
  private drawingSum = 0;

  constructor(
    private readonly limits: PerPhase,
    chargers: MeteredCharger[],
  ) {
    this.byId = new Map(chargers.map((c) => [c.id, c]));
  }

  /** One sample: every charger's present draw and demand at simulated instant `at`. */
  sample(at: number, draws: { chargerId: string; draw: ConnectorDraw }[]): void {
    const used = zero();
    const demand = zero();
    const groups = new Map<string, number[]>();
    let drawing = 0;
    for (const { chargerId, draw } of draws) {
      const c = this.byId.get(chargerId)!;
      addOnto(used, c.map, draw.amps);
      addOnto(demand, c.map, draw.demand);
      const level = maxOf(draw.amps);
      if (level <= 0) continue;
      drawing++;
      const heldBack = draw.demand.some((d, i) => d - draw.amps[i]! > CONSTRAINED_A);
      if (!heldBack) continue;
      const key = c.map
        .filter((p, i) => p && draw.amps[i]! > 0)
        .sort()
        .join('');
      (groups.get(key) ?? groups.set(key, []).get(key)!).push(level);
    }
    this.f.sampledSeconds++;
    this.drawingSum += drawing;
    let excess = -Infinity;
    for (const p of SITE_PHASES) {
      excess = Math.max(excess, used[p] - this.limits[p]);
      if (demand[p] > this.limits[p] + 1e-6) {
        this.f.bindingPhaseSeconds++;
        this.shareSum += used[p] / this.limits[p];
      }
    }
    const top = SITE_PHASES.reduce((a, b) => (demand[b] / this.limits[b] > demand[a] / this.limits[a] ? b : a));
    if (demand[top] > this.limits[top] + 1e-6) {
      this.f.bottleneckSeconds++;
      this.bottleneckSum += used[top] / this.limits[top];
    }
    if (excess > 1e-6) {
      this.f.secondsAboveLimit++;
      this.f.maxExcessA = Math.max(this.f.maxExcessA, excess);
    }
    for (const xs of groups.values()) {
      if (xs.length < 2) continue;
      const sum = xs.reduce((s, x) => s + x, 0);
      const squares = xs.reduce((s, x) => s + x * x, 0);
      this.jainSum += ((sum * sum) / (xs.length * squares)) * xs.length;
      this.f.jainSamples += xs.length;
    }
    this.f.notRaised += this.pending.filter((s) => at - s.at > RAISE_WINDOW_MS).length;
    this.pending = this.pending.filter((s) => at - s.at <= RAISE_WINDOW_MS);
  }

  /** A draw change, at its exact simulated instant: the time above a limit, and whether it raises a session a stop left room for. */
  change(e: DrawEvent, realMs: number): void {
    const c = this.byId.get(e.chargerId)!;
    const t = e.at.getTime();
    if (
      this.lastEventAt !== undefined &&
      t > this.lastEventAt &&
      SITE_PHASES.some((p) => this.sums[p] > this.limits[p] + 1e-6)
    )
      this.exactAboveMs += t - this.lastEventAt;
    this.lastEventAt = Math.max(t, this.lastEventAt ?? t);
    const before = this.live.get(e.chargerId) ?? zero();
    const now = zero();
    addOnto(now, c.map, e.amps);
    for (const p of SITE_PHASES) this.sums[p] += now[p] - before[p];
    this.live.set(e.chargerId, now);
    const was = SITE_PHASES.filter((p) => before[p] > 0);
    if (maxOf(e.amps) === 0 && was.length) this.drewUntil.set(e.chargerId, { at: t, phases: new Set(was) });
    const level = maxOf(e.amps);
    this.pending = this.pending.filter((s) => {
      const base = s.baseline.get(e.chargerId);
      if (base === undefined || level <= base + 0.05) return true;
      this.f.raises.push({ simS: (t - s.at) / 1000, realMs: realMs - s.realMs });
      return false;
    });
  }

  /**
   * A session ended at `at`. If its car was drawing until then, the sessions
   * on the same site phases that were held back should be raised: the wait
   * until the first of them draws more is the reaction time.
   */
  stopped(chargerId: string, at: number, realMs: number, draws: { chargerId: string; draw: ConnectorDraw }[]): void {
    const freed = this.drewUntil.get(chargerId);
    if (!freed || at - freed.at > 1000) return;
    const baseline = new Map<string, number>();
    for (const { chargerId: id, draw } of draws) {
      if (id === chargerId) continue;
      const map = this.byId.get(id)!.map;
      const shares = map.some((p, i) => p && freed.phases.has(p) && draw.demand[i]! - draw.amps[i]! > CONSTRAINED_A);
      if (shares) baseline.set(id, maxOf(draw.amps));
    }
    if (baseline.size) this.pending.push({ at, realMs, baseline });
  }

  /** The end of the measured time: the draw since the last change counts up to `at`. */
  close(at: number): void {
    if (
      this.lastEventAt !== undefined &&
      at > this.lastEventAt &&
      SITE_PHASES.some((p) => this.sums[p] > this.limits[p] + 1e-6)
    )
      this.exactAboveMs += at - this.lastEventAt;
    this.lastEventAt = Math.max(at, this.lastEventAt ?? at);
  }

  figures(): SiteFigures {
    return {
      ...this.f,
      exactSecondsAboveLimit: this.exactAboveMs / 1000,
      capacityShare: this.f.bindingPhaseSeconds ? this.shareSum / this.f.bindingPhaseSeconds : null,
      bottleneckShare: this.f.bottleneckSeconds ? this.bottleneckSum / this.f.bottleneckSeconds : null,
      jain: this.f.jainSamples ? this.jainSum / this.f.jainSamples : null,
      meanDrawing: this.f.sampledSeconds ? this.drawingSum / this.f.sampledSeconds : 0,
    };
  }
}
