import type { FastifyInstance } from 'fastify';
import type { ChargerEvent } from '../../contracts/events.ts';
import type { LoadLeadership } from './leadership.ts';
import type { LoadSnapshot, SitePhase } from '../../contracts/load.ts';
import { sendToCharger, type SendResult } from './actuator.ts';
import { LOAD_ALERT, raiseLoadAlarms, roundAlarms, type LoadAlarm } from './alarms.ts';
import { allocate } from './allocate.ts';
import { DemandCaps, type DemandSubject } from './demand-caps.ts';
import { knownLimit, steerable, type ChargerLink, type TxGrant } from './installed.ts';
import { Measurements, sitePhaseCurrents } from './measurements.ts';
import { allocationInput, roundPlan, type DemandView, type ProfileOp } from './plan.ts';
import {
  afterLease,
  CONFIGURATION_KEYS,
  FALLBACK_SAMPLE_INTERVAL_S,
  FALLBACK_STACK_LEVEL,
  maxStackLevel,
  sampleInterval,
  txDefaultProfile,
  txProfile,
} from './profiles.ts';
import { safeDefaults } from './safe-default.ts';
import { forgetChargerKeys, loadSiteModel, reloadSessions, sessionKey, type SiteModel } from './site-model.ts';
import { SnapshotPublisher } from './publisher.ts';
import { SerialRunner } from './serial-runner.ts';
import { buildSnapshot, type Allowances } from './snapshot.ts';
import { sendAllLimited } from './send-limit.ts';
import { standDown } from './stand-down.ts';
import type { Allocation } from './types.ts';

/** What the controller needs of the load leadership (server/load/leadership.ts): whether this process steers, and when that changes. */
export type SteeringLeadership = Pick<LoadLeadership, 'isLeader' | 'onChange'>;

/** Events within this are handled in one round (the reaction target is 2 s, docs/LOAD.md). */
export const DEBOUNCE_MS = 200;
/** Rounds start at least this many times the last round's duration apart (serial-runner.ts), */
const ROUND_SPACING = 2;
/** but never more than this, so a round that waited on slow chargers does not hold back the next beyond the 2 s reaction target. */
const MAX_ROUND_GAP_MS = 1500;
/** A charger that has just connected may be about to boot: its BootNotification gets this long to come first. */
const CONNECT_GRACE_MS = 2000;
/** After a failed round (the database away) or refits that did not settle. */
const RETRY_MS = 1000;
/** load.changed at most this often. */
const PUBLISH_EVERY_MS = 1000;
/**
 * The picture (snapshot.ts) is rebuilt at most this often: a site of 10,000
 * charging sessions sends hundreds of meter values a second and a picture
 * walks every session, so one per meter value or round would cost the
 * ingest path a core. It is published at most once a second anyway
 * (PUBLISH_EVERY_MS); a reader (snapshot(), settle()) gets it built at once.
 */
const PICTURE_EVERY_MS = 500;
/**
 * A round that reads only the open sessions reads the whole site when the last whole read is older than this:
 * every change of wiring, settings or connection reads it at once anyway; this bounds what an event missed could cost.
 */
const SITE_READ_EVERY_MS = 30_000;
/** Refits after refusals within one round; a charger refuses once, then it is counted at its maximum. */
const MAX_REFITS = 4;

const STRUCTURAL = new Set<ChargerEvent['type']>([
  'transaction.started',
  'transaction.stopped',
  'status',
  'boot',
  'offline',
  'disconnected',
  'charger.changed',
  'settings.changed',
  'circuit.changed',
]);

/**
 * The load controller (docs/LOAD.md "Acting over OCPP"): on every event that
 * changes who may draw or what the limits are, it reads the site, runs the
 * allocator and sends what changed, lowers before raises; it renews leases at
 * half-life and keeps each charger's failsafe TxDefaultProfile in step with
 * the settings. Rounds never overlap, so the order of lowers and raises holds
 * across them.
 */
export class LoadController {
  private model: SiteModel | undefined;
  /**
   * What a round must read again: the whole site, or its open sessions only
   * (a start, a stop, a status of a connector the model knows), which at
   * 10,000 chargers is a fraction of the rows and their garbage.
   */
  private dirty: 'site' | 'sessions' | undefined = 'site';
  /** performance.now() of the last whole read: the site is read whole at least every SITE_READ_EVERY_MS. */
  private siteReadAt = 0;
  private readonly links = new Map<string, ChargerLink>();
  private readonly grants = new Map<string, TxGrant>();
  private readonly measurements = new Measurements();
  private allowances: Allowances | 'unmanaged' = 'unmanaged';
  private steering = false;
  private closed = false;
  private readonly runner: SerialRunner;
  private readonly publisher: SnapshotPublisher;
  private readonly demand = new DemandCaps();
  private readonly raised = new Set<string>();
  private readonly overcommitSince = new Map<string, string>();
  /** Set while the picture is out of date (PICTURE_EVERY_MS). */
  private pictureTimer: NodeJS.Timeout | undefined;
  /** The model whose sessions `sessionsByKey` indexes: rebuilt when a round reads the site afresh. */
  private indexed: SiteModel | undefined;
  private sessionsByKey = new Map<string, SiteModel['sessions']>();

  constructor(
    private readonly app: FastifyInstance,
    private readonly leadership: SteeringLeadership,
  ) {
    this.publisher = new SnapshotPublisher(app, PUBLISH_EVERY_MS);
    this.runner = new SerialRunner(() => this.round(), {
      debounceMs: DEBOUNCE_MS,
      retryMs: RETRY_MS,
      spacing: ROUND_SPACING,
      maxGapMs: MAX_ROUND_GAP_MS,
      allowed: () => this.leadership.isLeader(),
      onError: (err) => {
        this.dirty = 'site';
        this.app.log.warn({ err }, 'load round failed; retrying');
      },
    });
  }

  private get leaseMs(): number {
    return this.app.config.loadLeaseSeconds * 1000;
  }

  /** The present picture; before the site was first read, an empty one. */
  snapshot(): LoadSnapshot | undefined {
    // What changed since the last picture is in the answer all the same.
    if (this.pictureTimer) this.drawPicture();
    return this.publisher.current;
  }

  /** Leadership lost: another process steers; this one serves its snapshots (load.changed) until it leads again. */
  standBy(): void {
    this.links.clear();
    this.grants.clear();
    this.steering = false;
  }

  /** Leadership gained: nothing is known of what another process installed. */
  takeOver(): void {
    this.links.clear();
    this.grants.clear();
    this.steering = false;
    this.dirty = 'site';
    this.schedule(0);
  }

  onEvent(e: ChargerEvent): void {
    if (!this.leadership.isLeader()) {
      // Another process steers: its pictures are this one's answer; what it learns now is read afresh if it leads.
      if (e.type === 'load.changed') this.publisher.current = e.load;
      this.dirty = 'site';
      return;
    }
    if (e.type === 'load.changed') return;
    if (e.type === 'meter') return this.onMeter(e);
    if (e.type === 'boot' || (e.type === 'charger.changed' && e.change === 'deleted')) {
      // A rebooted charger has no transactions, hence none of our TxProfiles; the rest is read afresh.
      const wait = this.links.get(e.chargerId)?.bootWaitUntil;
      this.links.delete(e.chargerId);
      forgetChargerKeys(this.grants, e.chargerId);
      // Only an accepted boot ends the wait (OCPP 1.6 §4.2: Pending or Rejected, it is not ready for us).
      if (e.type === 'boot' && e.registration !== 'Accepted' && wait !== undefined)
        this.links.set(e.chargerId, { bootWaitUntil: wait });
    }
    if (e.type === 'charger.changed') {
      // Rewired, perhaps: what was measured and judged is in the old site phases.
      this.measurements.forgetCharger(e.chargerId);
      this.demand.forgetCharger(e.chargerId);
    }
    if (e.type === 'connected') {
      // A new object: an answer to what was sent over the old connection no longer counts (send() compares).
      // Nothing is sent to it before its BootNotification or CONNECT_GRACE_MS (installed.ts bootWaitUntil).
      const link = this.links.get(e.chargerId);
      this.links.set(e.chargerId, {
        ...link,
        unreachable: undefined,
        refusedUntil: undefined,
        cleared: undefined,
        // From the connection, not this event: it is published once the charger's row says online.
        bootWaitUntil: Date.parse(e.at) + CONNECT_GRACE_MS,
      });
      this.dirty = 'site';
      return this.schedule(CONNECT_GRACE_MS);
    }
    // Charging: the car draws, so an idle session's car wants current again (demand.ts "Idle").
    if (e.type === 'status' && e.status === 'Charging') this.demand.resume(sessionKey(e.chargerId, e.connectorId));
    if (STRUCTURAL.has(e.type)) {
      if (this.dirty !== 'site') this.dirty = this.sessionsOnly(e) ? 'sessions' : 'site';
      this.schedule();
    }
  }

  /** Whether the event changes the open sessions (or their connectors' statuses) of a charger the model holds, and nothing else. */
  private sessionsOnly(e: ChargerEvent): boolean {
    if (e.type !== 'transaction.started' && e.type !== 'transaction.stopped' && e.type !== 'status') return false;
    const charger = this.model?.chargers.get(e.chargerId);
    if (!charger) return false;
    // A connector's first status adds one to those a TxDefaultProfile on connector 0 covers (safe-default.ts).
    return e.type !== 'status' || e.connectorId === 0 || charger.connectorIds?.has(e.connectorId) === true;
  }

  private onMeter(e: Extract<ChargerEvent, { type: 'meter' }>): void {
    const model = this.model;
    const charger = model?.chargers.get(e.chargerId);
    if (!model || !charger) return;
    const key = sessionKey(e.chargerId, e.connectorId);
    const session = this.sessionsAt(model, key).find(
      (s) => e.transactionId === null || s.transactionId === e.transactionId,
    );
    const current = session && sitePhaseCurrents(e.values, charger.rotation, charger.phases);
    if (!session || !current) return;
    this.measurements.record(key, { transactionId: session.transactionId, at: Date.parse(e.at), current });
    // Only this session's demand is judged now (at this sample's time: the 30 s windows count between samples);
    // the others are stepped by the periodic tick (due()) and every round.
    if (this.steering) {
      const t = this.app.clock.now().getTime();
      if (this.demand.stepOne(t, this.demandSubject(model, session, t), this.measurements)) this.schedule();
    }
    this.present();
  }

  /** The picture is out of date: drawn within PICTURE_EVERY_MS, or when read. */
  private present(): void {
    if (!this.closed) this.pictureTimer ??= setTimeout(() => this.drawPicture(), PICTURE_EVERY_MS);
  }

  /** Rebuilds the snapshot; the publisher sends it when its content changed, at most once a second. */
  private drawPicture(): void {
    clearTimeout(this.pictureTimer);
    this.pictureTimer = undefined;
    if (!this.model || this.closed) return;
    this.publisher.update(
      buildSnapshot(this.model, this.allowances, this.measurements, this.app.clock.now(), this.steering),
    );
  }

  /** The open sessions on one connector (usually one), by a map rebuilt once per model. */
  private sessionsAt(model: SiteModel, key: string): SiteModel['sessions'] {
    if (this.indexed !== model) {
      this.indexed = model;
      this.sessionsByKey = new Map();
      for (const s of model.sessions) {
        const list = this.sessionsByKey.get(s.key);
        if (list) list.push(s);
        else this.sessionsByKey.set(s.key, [s]);
      }
    }
    return this.sessionsByKey.get(key) ?? [];
  }

  /** Steps every steered session's demand state (demand-caps.ts); true when a cap changed. */
  private stepDemand(model: SiteModel): boolean {
    if (!this.steering) return false;
    const t = this.app.clock.now().getTime();
    const subjects = model.sessions.map((s) => this.demandSubject(model, s, t));
    return this.demand.step(t, subjects, this.measurements);
  }

  private demandSubject(model: SiteModel, s: SiteModel['sessions'][number], t: number): DemandSubject {
    const c = model.chargers.get(s.chargerId)!;
    const link = this.links.get(c.id);
    const grant = this.grants.get(s.key);
    const steered = s.drawing && steerable(c, link, t) && grant?.transactionId === s.transactionId;
    return {
      key: s.key,
      transactionId: s.transactionId,
      min: c.min,
      max: c.max,
      allowance: steered ? knownLimit(s, c, link, grant, t, this.leaseMs) : undefined,
      staleMs: 2000 * (link?.sampleIntervalS ?? FALLBACK_SAMPLE_INTERVAL_S),
      wired: c.phases,
    };
  }

  private readonly demandView: DemandView = {
    cap: (s) => this.demand.cap(s.key, s.transactionId),
    phases: (s, wired) => this.demand.phases(s.key, s.transactionId, wired),
  };

  /** Runs a round `delay` ms from now, unless one is due sooner; one running already is followed by another. */
  schedule(delay = DEBOUNCE_MS): void {
    if (!this.closed) this.runner.schedule(delay);
  }

  /**
   * Whether a lease renewal, a refused charger's retry or a demand change is
   * due by the injected clock (the periodic tick asks): only for chargers
   * the next round can steer, so one that stays offline does not make a round a second.
   */
  due(): boolean {
    const model = this.model;
    if (!model) return false;
    const t = this.app.clock.now().getTime();
    for (const link of this.links.values())
      if (link.bootWaitUntil !== undefined && link.bootWaitUntil <= t) return true;
    if (!this.steering) return false;
    if (this.stepDemand(model)) return true;
    for (const c of model.chargers.values()) {
      const link = this.links.get(c.id);
      if (c.online && !link?.unreachable && link?.refusedUntil !== undefined && link.refusedUntil <= t) return true;
    }
    for (const s of model.sessions) {
      const grant = this.grants.get(s.key);
      const c = model.chargers.get(s.chargerId)!;
      if (grant && grant.until - t <= this.leaseMs / 2 && steerable(c, this.links.get(c.id), t)) return true;
    }
    return false;
  }

  /** Resolves once no round is running or waiting. */
  settle(): Promise<void> {
    if (this.pictureTimer) this.drawPicture();
    return this.runner.settle();
  }

  /** No new rounds, sends or alarms from now on (the app is closing; a round under way ends soon). */
  stop(): void {
    this.closed = true;
    clearTimeout(this.pictureTimer);
    this.pictureTimer = undefined;
    this.runner.stop();
    this.publisher.stop();
  }

  async close(): Promise<void> {
    this.stop();
    await this.runner.close();
  }

  private link(chargerId: string): ChargerLink {
    let link = this.links.get(chargerId);
    if (!link) this.links.set(chargerId, (link = {}));
    return link;
  }

  /** One round; false when refusals kept it from settling (it runs again shortly). */
  private async round(): Promise<boolean> {
    if (this.closed || !this.leadership.isLeader()) return true;
    const stale = performance.now() - this.siteReadAt >= SITE_READ_EVERY_MS;
    if (this.dirty === 'site' || !this.model || (this.dirty && stale)) {
      this.dirty = undefined;
      this.siteReadAt = performance.now();
      this.model = await loadSiteModel(this.app);
    } else if (this.dirty === 'sessions') {
      this.dirty = undefined;
      this.model = await reloadSessions(this.app, this.model);
    }
    const model = this.model;
    const started = this.app.clock.now().getTime();
    // A charger whose time to boot is over is steered from this round on, booted or not.
    for (const link of this.links.values())
      if (link.bootWaitUntil !== undefined && link.bootWaitUntil <= started) link.bootWaitUntil = undefined;
    const open = new Set(model.sessions.map((s) => s.key));
    this.measurements.retain(open);
    for (const key of this.grants.keys()) if (!open.has(key)) this.grants.delete(key);
    if (!model.enabled) {
      if (this.steering) for (const link of this.links.values()) link.cleared = undefined;
      this.steering = false;
      this.allowances = 'unmanaged';
      await standDown(this.app, model, this.links, this.grants, () => this.mayAct(), started);
      this.present();
      return true;
    }
    const now = this.app.clock.now().getTime();
    // A refused charger whose wait is over is tried again in this round (and waits again if it refuses).
    for (const link of this.links.values())
      if (link.refusedUntil !== undefined && link.refusedUntil <= now) link.refusedUntil = undefined;
    if (!this.steering) {
      // Steering (again): what was cleared or never known is counted at each charger's maximum until answered.
      for (const link of this.links.values()) link.defaultLimit = undefined;
      this.grants.clear();
      this.steering = true;
    }
    await this.readConfiguration(model);
    const safe = safeDefaults(model.limits, model.circuits, [...model.chargers.values()]);
    this.stepDemand(model);
    let allocation: Allocation | undefined;
    let counted = new Map<string, SitePhase[]>();
    let settled = false;
    for (let i = 0; i < MAX_REFITS && this.mayAct(); i++) {
      const t = this.app.clock.now().getTime();
      const known = { links: this.links, grants: this.grants, leaseMs: this.leaseMs };
      const input = allocationInput(model, known, this.demandView, t);
      allocation = allocate(input);
      counted = new Map(input.sessions.map((s) => [s.key, s.phases]));
      const plan = roundPlan(model, input, allocation, safe, known, t);
      if (!(await this.execute(plan.lowers))) continue;
      if (!(await this.execute(plan.raises))) continue;
      settled = true;
      break;
    }
    if (!allocation) return true;
    const given = allocation;
    this.allowances = new Map(
      model.sessions.map((s) => [
        s.key,
        s.drawing
          ? {
              allowed: given.allowed.get(s.key) ?? 0,
              state: given.state.get(s.key) ?? 'waiting',
              phases: counted.get(s.key),
            }
          : { allowed: 0, state: 'waiting' },
      ]),
    );
    const alarms = roundAlarms({
      model,
      overcommitted: given.overcommitted,
      safe,
      since: this.overcommitSince,
      now: this.app.clock.now().toISOString(),
    });
    await raiseLoadAlarms(
      this.app,
      alarms.filter((a) => this.firstTime(a)),
    );
    this.present();
    return settled;
  }

  private firstTime(a: LoadAlarm): boolean {
    const key = `${a.kind}:${a.dedupKey}`;
    if (this.raised.has(key)) return false;
    this.raised.add(key);
    return true;
  }

  /** Sends the ops together; true when every one was Accepted. */
  private async execute(ops: ProfileOp[]): Promise<boolean> {
    const results = await sendAllLimited(ops, (op) => this.send(op));
    return results.every(Boolean);
  }

  /** Whether this process may act now: not closing, and still the steering one (checked before every send). */
  private mayAct(): boolean {
    return !this.closed && this.leadership.isLeader();
  }

  private async send(op: ProfileOp): Promise<boolean> {
    if (!this.mayAct()) return false;
    const link = this.link(op.chargerId);
    const now = this.app.clock.now();
    const stackLevel = link.stackLevel ?? FALLBACK_STACK_LEVEL;
    const leaseSeconds = this.app.config.loadLeaseSeconds;
    const payload =
      op.kind === 'tx'
        ? txProfile({
            connectorId: op.connectorId,
            transactionId: op.transactionId,
            stackLevel,
            limit: op.limit,
            numberPhases: op.numberPhases,
            safeShare: op.safeShare,
            now,
            leaseSeconds,
          })
        : txDefaultProfile({ stackLevel, limit: op.limit, numberPhases: op.numberPhases, leaseSeconds });
    const result = await sendToCharger(this.app, op.chargerId, 'SetChargingProfile', payload);
    // The charger booted or reconnected meanwhile: what it answered is about a state that is gone.
    if (this.links.get(op.chargerId) !== link) return false;
    if (result.outcome !== 'accepted') {
      // A charger that will not take numberPhases 1 keeps the session on its wiring (phase-demand.ts).
      const wired = this.model?.chargers.get(op.chargerId)?.phases.length;
      if (op.kind === 'tx' && wired !== undefined && op.numberPhases < wired)
        this.demand.refusedNarrowing(op.key, op.transactionId);
      this.fail(link, op.chargerId, result, now.getTime(), 'SetChargingProfile');
      return false;
    }
    link.refusedSince = undefined;
    if (op.kind === 'tx')
      this.grants.set(op.key, {
        transactionId: op.transactionId,
        limit: op.limit,
        numberPhases: op.numberPhases,
        until: now.getTime() + this.leaseMs,
        after: afterLease(op.limit, op.safeShare),
      });
    else link.defaultLimit = op.limit;
    return true;
  }

  /** A charger that did not take a profile: counted at its maximum, retried after half a lease (or when it reconnects), alarm raised. */
  private fail(link: ChargerLink, chargerId: string, result: SendResult, t: number, action: string): void {
    if (result.outcome === 'unreachable') {
      link.unreachable = true;
      return;
    }
    link.refusedUntil = t + this.leaseMs / 2;
    link.defaultLimit = undefined;
    forgetChargerKeys(this.grants, chargerId);
    if (link.refusedSince !== undefined || !this.mayAct()) return;
    link.refusedSince = t;
    void raiseLoadAlarms(this.app, [
      {
        kind: LOAD_ALERT.refused,
        severity: 'warning',
        chargerId,
        message: `${chargerId} did not accept ${action} (${result.why}); its sessions are counted at the charger's maximum current and the others are fitted around them`,
        details: { action, why: result.why },
        dedupKey: `charger:${chargerId}@${new Date(t).toISOString()}`,
      },
    ]);
  }

  /** ChargeProfileMaxStackLevel and MeterValueSampleInterval of every steered charger not asked since its boot (profiles.ts). */
  private async readConfiguration(model: SiteModel): Promise<void> {
    const t = this.app.clock.now().getTime();
    const ask = [...model.chargers.values()].filter(
      (c) => steerable(c, this.links.get(c.id), t) && this.links.get(c.id)?.stackLevel === undefined,
    );
    await sendAllLimited(ask, async (c) => {
      if (!this.mayAct()) return;
      const link = this.link(c.id);
      const result = await sendToCharger(this.app, c.id, 'GetConfiguration', { key: CONFIGURATION_KEYS });
      if (this.links.get(c.id) !== link) return;
      // A CALLERROR is an answer (the charger does not say); silence or absence is not.
      if (result.outcome === 'accepted' || (result.outcome === 'refused' && result.why !== 'timeout')) {
        Object.assign(link, {
          stackLevel: maxStackLevel(result.response),
          sampleIntervalS: sampleInterval(result.response),
        });
      } else this.fail(link, c.id, result, t, 'GetConfiguration');
    });
  }
}
