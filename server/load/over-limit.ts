import type { FastifyInstance } from 'fastify';
import type { LoadSnapshot, PhaseLoad, SessionLoad, SitePhase } from '../../contracts/load.ts';
import { SITE_PHASES } from '../../contracts/load.ts';
import type { OverLimitDetails, OverLimitSession } from '../../contracts/load-alerts.ts';
import type { LoadLeadership } from './leadership.ts';
import { clearCondition, raiseCondition } from '../alerts/conditions.ts';

/** A phase measured above its limit for longer than this raises load.over-limit (docs/PRODUCT.md §7). */
export const OVER_LIMIT_AFTER_MS = 10_000;
/**
 * A session is named as drawing more than allowed beyond this, A: charger
 * meters read a few per cent off (0.5 A is 1.5 % of 32 A), and one that
 * obeys its profile must not be blamed for the noise.
 */
const EXCESS_TOLERANCE_A = 0.5;
/** How often the last picture is judged again when no new one comes (a constant overload publishes nothing new). */
const TICK_MS = 1_000;

interface Episode {
  since: number;
  peak: number;
  raised: boolean;
}

interface Constraint {
  key: string;
  scope: 'site' | 'circuit';
  circuitId: number | null;
  circuitName: string | null;
  phase: SitePhase;
  load: PhaseLoad;
  /** The sessions that load this constraint on some phase. */
  sessions: SessionLoad[];
}

export interface OverLimitMonitor {
  /** Resolves once every picture received so far has been judged and its alert written. */
  idle(): Promise<void>;
  close(): Promise<void>;
}

/**
 * The over-limit alarm: judges each `load.changed` picture, and the last one
 * again every second of the injected clock's time, per site phase and circuit
 * phase. Above its limit for more than 10 s raises one critical alert
 * (cause: the phase, e.g. `site:A`, one open per cause); falling to or below
 * the limit ends the episode and clears it, so the next episode raises anew.
 * A new leader reads which are open and clears those within their limit. Only the leader judges (the pictures are its
 * own); while distribution is off chargeops holds no limit, so nothing is judged.
 */
export function startOverLimitMonitor(
  app: FastifyInstance,
  leadership: LoadLeadership,
  opts: { tickMs?: number } = {},
): OverLimitMonitor {
  const episodes = new Map<string, Episode>();
  let latest: LoadSnapshot | undefined;
  let chain: Promise<void> = Promise.resolve();
  let unsubscribe: (() => void) | undefined;
  let tick: NodeJS.Timeout | undefined;
  /** Causes with an open alert that this leader has not raised (a previous leader's, or before a restart). */
  let inherited: Set<string> | undefined;

  const judge = () => {
    chain = chain
      .then(check)
      .catch((err: unknown) => app.log.error({ err }, 'over-limit monitor: raising an alert failed'));
  };

  async function check(): Promise<void> {
    if (!leadership.isLeader()) {
      episodes.clear();
      inherited = undefined; // read again when leading (another leader may have cleared them)
      return;
    }
    if (!latest) return; // no picture yet: nothing to judge
    inherited ??= new Set(await app.repos.alerts.openCauses('load.over-limit'));
    if (!latest.enabled) {
      // Distribution off: chargeops holds no limit, so none is exceeded.
      for (const key of new Set([...inherited, ...episodes.keys()]))
        if (episodes.get(key)?.raised || inherited.has(key)) await clear(key);
      episodes.clear();
      return;
    }
    const now = app.clock.now().getTime();
    const seen = new Set<string>();
    for (const c of constraints(latest)) {
      seen.add(c.key);
      if (!(c.load.measured > c.load.limit)) {
        if (episodes.get(c.key)?.raised || inherited.has(c.key)) await clear(c.key);
        episodes.delete(c.key);
        continue;
      }
      let ep = episodes.get(c.key);
      if (!ep) episodes.set(c.key, (ep = { since: now, peak: c.load.measured, raised: false }));
      ep.peak = Math.max(ep.peak, c.load.measured);
      if (ep.raised || now - ep.since <= OVER_LIMIT_AFTER_MS) continue;
      await raise(c, ep, now);
      ep.raised = true;
    }
    for (const key of [...episodes.keys(), ...inherited]) {
      if (seen.has(key)) continue;
      // A circuit removed: its phases are over their limit no more.
      if (episodes.get(key)?.raised || inherited.has(key)) await clear(key);
      episodes.delete(key);
    }
  }

  async function clear(key: string): Promise<void> {
    if ((await clearCondition(app, { kind: 'load.over-limit', causes: [key] })).length) app.alerts.kick();
    inherited?.delete(key);
  }

  async function raise(c: Constraint, ep: Episode, now: number): Promise<void> {
    const details: OverLimitDetails = {
      scope: c.scope,
      circuitId: c.circuitId,
      circuitName: c.circuitName,
      phase: c.phase,
      limit: c.load.limit,
      peak: ep.peak,
      since: new Date(ep.since).toISOString(),
      durationMs: now - ep.since,
      sessions: overdrawing(c.sessions, c.phase),
    };
    const where = c.scope === 'site' ? `Site phase ${c.phase}` : `Phase ${c.phase} of circuit "${c.circuitName}"`;
    const culprits = details.sessions.length
      ? `; drawing more than allowed: ${details.sessions.map((s) => s.chargerId).join(', ')}`
      : '';
    const row = await raiseCondition(app, {
      kind: 'load.over-limit',
      cause: c.key,
      message: `${where} measured up to ${Math.round(ep.peak * 10) / 10} A, above its ${c.load.limit} A limit, for ${Math.round((now - ep.since) / 1000)} s${culprits}`,
      details: details as unknown as Record<string, unknown>,
    });
    if (row) app.alerts.kick();
    inherited?.delete(c.key);
  }

  function follow(leader: boolean): void {
    if (leader && !unsubscribe) {
      unsubscribe = app.events.subscribe((e) => {
        if (e.type !== 'load.changed') return;
        latest = e.load;
        judge();
      });
      tick = setInterval(judge, opts.tickMs ?? TICK_MS);
      tick.unref();
    } else if (!leader && unsubscribe) {
      unsubscribe();
      unsubscribe = undefined;
      clearInterval(tick);
      latest = undefined;
      judge(); // clears the episodes behind any check in flight
    }
  }

  const stopFollowing = leadership.onChange(follow);
  follow(leadership.isLeader());
  return {
    idle: () => chain,
    async close() {
      stopFollowing();
      follow(false);
      await chain;
    },
  };
}

/** Every site phase and circuit phase of the picture, with the sessions that load it. */
function constraints(s: LoadSnapshot): Constraint[] {
  const parent = new Map(s.circuits.map((c) => [c.id, c.parentId]));
  const under = (session: SessionLoad, circuitId: number) => {
    // Every circuit on the way from the charger to the site carries its current (cycles are refused when saved; bounded anyway).
    for (
      let c = session.circuitId, hops = 0;
      c !== null && c !== undefined && hops <= s.circuits.length;
      c = parent.get(c) ?? null, hops++
    ) {
      if (c === circuitId) return true;
    }
    return false;
  };
  const out: Constraint[] = SITE_PHASES.map((phase) => ({
    key: `site:${phase}`,
    scope: 'site',
    circuitId: null,
    circuitName: null,
    phase,
    load: s.site[phase],
    sessions: s.sessions,
  }));
  for (const circuit of s.circuits) {
    const sessions = s.sessions.filter((x) => under(x, circuit.id));
    for (const phase of SITE_PHASES) {
      out.push({
        key: `circuit:${circuit.id}:${phase}`,
        scope: 'circuit',
        circuitId: circuit.id,
        circuitName: circuit.name,
        phase,
        load: circuit.phases[phase],
        sessions,
      });
    }
  }
  return out;
}

/** The sessions on `phase` measured clearly above their allowance there, most excess first. */
function overdrawing(sessions: SessionLoad[], phase: SitePhase): OverLimitSession[] {
  return sessions
    .filter((s) => s.phases.includes(phase) && (s.measured?.[phase] ?? 0) > s.allowed + EXCESS_TOLERANCE_A)
    .map((s) => ({
      chargerId: s.chargerId,
      connectorId: s.connectorId,
      transactionId: s.transactionId,
      allowed: s.allowed,
      measured: s.measured![phase]!,
    }))
    .sort((a, b) => b.measured - b.allowed - (a.measured - a.allowed) || a.chargerId.localeCompare(b.chargerId));
}
