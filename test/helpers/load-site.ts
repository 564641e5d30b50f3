import { loadedPhases, SITE_PHASES, type PerPhase, type PhaseRotation, type SitePhase } from '../../contracts/load.ts';
import type { Clock } from '../../server/clock.ts';
import { NOREPLY, createRPCError, type RPCClient } from '../../server/ocpp/rpc.ts';
import { ChargingProfiles, type ChargingProfile } from '../../sim/charging-profiles.ts';
import { BOOT, chargePoint, nextEvent, registerCharger, type OcppTestApp } from './ocpp.ts';

/**
 * Strict OCPP 1.6 charge points that apply the charging profiles they
 * receive (sim/charging-profiles.ts: the simulator's own model of §3.13),
 * and a watch over the whole site that checks, at every profile applied and
 * every session started, that the limits the chargers themselves enforce
 * add up to no more than each site phase and circuit phase allows. A session
 * whose TxProfile has not come yet is at its TxDefaultProfile, or at its
 * maximum when it has none: exactly what a real charger would draw.
 */

export interface Wiring {
  maxPhase: number;
  phaseRotation: PhaseRotation;
  maxCurrent: number;
  minCurrent: number;
  circuitId?: number | null;
}

/** How the charger answers SetChargingProfile: as told, or by a function (a gate, to hold the answer). */
export type ProfileAnswer =
  'Accepted' | 'Rejected' | 'NotSupported' | 'error' | 'silent' | ((params: SetProfile) => Promise<'Accepted'>);

export interface SetProfile {
  connectorId: number;
  csChargingProfiles: ChargingProfile;
}

/** One CALL the charger received from the server, in arrival order across the site. */
export interface Received {
  seq: number;
  chargerId: string;
  action: string;
  params: Record<string, unknown>;
  /** The seq at which it was answered (applied); undefined while pending or when never answered. */
  answeredSeq?: number;
  /** The limit per phase in force before and after, for SetChargingProfile / ClearChargingProfile. */
  before?: number;
  after?: number;
}

export class LoadCharger {
  readonly profiles = new ChargingProfiles();
  tx: { id: number; connectorId: number; start: Date } | undefined;
  answer: ProfileAnswer = 'Accepted';
  meterStart = 1000;

  constructor(
    readonly id: string,
    public client: RPCClient,
    readonly wiring: Wiring,
    private readonly site: SiteWatch,
  ) {}

  get phases(): SitePhase[] {
    return loadedPhases(this.wiring.phaseRotation, this.wiring.maxPhase);
  }

  /**
   * The site phases its session may draw on now: the first of its wiring as
   * many as its profile's numberPhases allow (OCPP 1.6 §7.13); all it is
   * wired to without a session.
   */
  enforcedPhases(at = this.site.clock.now()): SitePhase[] {
    if (!this.tx) return this.phases;
    const n = this.profiles.limit(this.tx.connectorId, at, this.tx, this.wiring.maxPhase).phases;
    return this.phases.slice(0, Math.max(1, n));
  }

  /** The current it lets its session draw now, A per phase; 0 without a session. */
  limit(at = this.site.clock.now()): number {
    if (!this.tx) return 0;
    return Math.min(
      this.wiring.maxCurrent,
      this.profiles.limitAmps(this.tx.connectorId, at, this.tx, this.wiring.maxPhase),
    );
  }

  /** StartTransaction (drawing from the moment it is sent, checked then) and StatusNotification Charging. */
  async start(idTag = 'LOAD-TAG', connectorId = 1): Promise<number> {
    const start = this.site.clock.now();
    this.tx = { id: -1, connectorId, start };
    this.site.check(`${this.id} starts`);
    const res = (await this.client.call('StartTransaction', {
      connectorId,
      idTag,
      meterStart: this.meterStart,
      timestamp: start.toISOString(),
    })) as { transactionId: number };
    this.tx.id = res.transactionId;
    await this.status('Charging', connectorId);
    return res.transactionId;
  }

  async stop(): Promise<void> {
    const tx = this.tx;
    if (!tx) throw new Error(`${this.id} has no session`);
    this.tx = undefined;
    this.profiles.dropTxProfiles(tx.connectorId);
    this.meterStart += 5000;
    await this.client.call('StopTransaction', {
      transactionId: tx.id,
      meterStop: this.meterStart,
      timestamp: this.site.clock.now().toISOString(),
      reason: 'EVDisconnected',
    });
    await this.status('Available', tx.connectorId);
  }

  async status(status: string, connectorId = 1): Promise<void> {
    await this.client.call('StatusNotification', { connectorId, errorCode: 'NoError', status });
  }

  /** A MeterValues sample of Current.Import per line (L1, L2, L3 as given). */
  async meter(lines: number[]): Promise<void> {
    const tx = this.tx;
    if (!tx) throw new Error(`${this.id} has no session`);
    const sampledValue = lines.map((a, i) => ({
      value: a.toFixed(1),
      measurand: 'Current.Import',
      unit: 'A',
      phase: `L${i + 1}`,
    }));
    await this.client.call('MeterValues', {
      connectorId: tx.connectorId,
      transactionId: tx.id,
      meterValue: [{ timestamp: this.site.clock.now().toISOString(), sampledValue }],
    });
  }

  /** Answers what the load controller sends: GetConfiguration, SetChargingProfile, ClearChargingProfile. */
  attach(): void {
    this.client.handle('GetConfiguration', async ({ params }) => {
      this.site.answered(this.site.receive(this.id, 'GetConfiguration', params ?? {}));
      return { configurationKey: [{ key: 'ChargeProfileMaxStackLevel', readonly: true, value: '8' }] };
    });
    this.client.handle('SetChargingProfile', async ({ params: raw }) => {
      const params = raw as SetProfile;
      const entry = this.site.receive(this.id, 'SetChargingProfile', params as unknown as Record<string, unknown>);
      const answer = this.answer;
      if (answer === 'silent') return NOREPLY as never;
      if (answer === 'error') throw createRPCError('InternalError', 'profile store failed');
      if (answer === 'Rejected' || answer === 'NotSupported') return { status: answer };
      if (typeof answer === 'function') await answer(params);
      entry.before = this.limit();
      this.profiles.set(params.connectorId, params.csChargingProfiles, this.site.clock.now());
      entry.after = this.limit();
      this.site.answered(entry);
      this.site.check(
        `${this.id} applies ${params.csChargingProfiles.chargingProfilePurpose} ${entry.before} → ${entry.after}`,
      );
      return { status: 'Accepted' };
    });
    this.client.handle('ClearChargingProfile', async ({ params: raw }) => {
      const params = raw as { id?: number; connectorId?: number; chargingProfilePurpose?: string; stackLevel?: number };
      const entry = this.site.receive(this.id, 'ClearChargingProfile', params);
      entry.before = this.limit();
      const found = this.profiles.clear(params);
      entry.after = this.limit();
      this.site.answered(entry);
      return { status: found ? 'Accepted' : 'Unknown' };
    });
  }
}

/** The site as the chargers enforce it, checked at every change. */
export class SiteWatch {
  readonly chargers = new Map<string, LoadCharger>();
  readonly received: Received[] = [];
  readonly violations: string[] = [];
  /** Circuits by id: their limits and parent, as the test set them. */
  readonly circuits = new Map<number, { parentId: number | null; limits: PerPhase }>();
  checks = 0;
  private seq = 0;
  /** Which limits to hold now; a test changing them lets the looser of old and new hold until the controller settled. */
  limits: PerPhase;

  constructor(
    readonly clock: Clock,
    limits: PerPhase,
  ) {
    this.limits = { ...limits };
  }

  private readonly watchers = new Set<() => void>();

  receive(chargerId: string, action: string, params: Record<string, unknown>): Received {
    const entry: Received = { seq: ++this.seq, chargerId, action, params };
    this.received.push(entry);
    this.notify();
    return entry;
  }

  answered(entry: Received): void {
    entry.answeredSeq = ++this.seq;
    this.notify();
  }

  private notify(): void {
    for (const w of [...this.watchers]) w();
  }

  /** Resolves once `cond` holds, judged at every call the chargers receive or answer. */
  until(cond: () => boolean, timeoutMs = 10_000): Promise<void> {
    if (cond()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.watchers.delete(check);
        reject(new Error('the chargers did not get there in time'));
      }, timeoutMs);
      const check = () => {
        if (!cond()) return;
        clearTimeout(timer);
        this.watchers.delete(check);
        resolve();
      };
      this.watchers.add(check);
    });
  }

  /** The sum the chargers enforce on each site phase and circuit phase, against its limit. */
  check(why: string): void {
    this.checks += 1;
    const sums = new Map<string, number>();
    for (const c of this.chargers.values()) {
      const limit = c.limit();
      if (limit === 0) continue;
      const chain: string[] = ['site'];
      const seen = new Set<number>();
      for (
        let id = c.wiring.circuitId ?? null;
        id !== null && !seen.has(id);
        id = this.circuits.get(id)?.parentId ?? null
      ) {
        seen.add(id);
        chain.push(`circuit:${id}`);
      }
      for (const p of c.enforcedPhases())
        for (const name of chain) sums.set(`${name}:${p}`, (sums.get(`${name}:${p}`) ?? 0) + limit);
    }
    for (const [name, sum] of sums) {
      const [scope, id, phase] = name.split(':') as [string, string, SitePhase];
      const limit = scope === 'site' ? this.limits[id as SitePhase] : this.circuits.get(Number(id))?.limits[phase];
      if (limit !== undefined && sum > limit + 1e-6)
        this.violations.push(
          `${why}: ${scope === 'site' ? `site ${id}` : `circuit ${id} ${phase}`} enforces ${sum} A > ${limit} A`,
        );
    }
  }

  /** The sum the chargers enforce per site phase now. */
  enforced(): PerPhase {
    const out: PerPhase = { A: 0, B: 0, C: 0 };
    for (const c of this.chargers.values()) for (const p of c.enforcedPhases()) out[p] += c.limit();
    for (const p of SITE_PHASES) out[p] = Math.round(out[p] * 10) / 10;
    return out;
  }

  /** SetChargingProfile calls received after `seq` (optionally for one charger). */
  profilesSince(seq: number, chargerId?: string): Received[] {
    return this.received.filter(
      (r) => r.seq > seq && r.action === 'SetChargingProfile' && (!chargerId || r.chargerId === chargerId),
    );
  }

  get lastSeq(): number {
    return this.seq;
  }
}

/**
 * The charger's connection drops and it connects again without rebooting:
 * what it had installed stays (OCPP 1.6 §3.13: profiles belong to the
 * charger, not to the connection). Resolves once the old socket is gone
 * and the new one is open.
 */
export async function reconnect(t: OcppTestApp, charger: LoadCharger): Promise<void> {
  await charger.client.close({ force: true });
  charger.client = chargePoint(t, charger.id);
  charger.attach();
  await connectAndAnnounce(t, charger);
}

/** Connects and waits for the server's `connected` event, published once the charger's row says online. */
async function connectAndAnnounce(t: OcppTestApp, charger: LoadCharger): Promise<void> {
  const announced = nextEvent(t, (e) => e.type === 'connected' && e.chargerId === charger.id);
  await charger.client.connect();
  await announced;
}

/** Registers a charger with its wiring, connects it as a profile-applying charge point and boots it. */
export async function loadCharger(
  t: OcppTestApp,
  site: SiteWatch,
  id: string,
  wiring: Partial<Wiring> = {},
  answer: ProfileAnswer = 'Accepted',
): Promise<LoadCharger> {
  const charger = await connectLoadCharger(t, site, id, wiring, answer);
  await bootLoadCharger(charger);
  return charger;
}

/** Its BootNotification, which must be Accepted. */
export async function bootLoadCharger(charger: LoadCharger): Promise<void> {
  const boot = (await charger.client.call('BootNotification', BOOT)) as { status: string };
  if (boot.status !== 'Accepted') throw new Error(`boot ${charger.id}: ${boot.status}`);
}

/** Registers a charger with its wiring and connects it as a profile-applying charge point, without booting it. */
export async function connectLoadCharger(
  t: OcppTestApp,
  site: SiteWatch,
  id: string,
  wiring: Partial<Wiring> = {},
  answer: ProfileAnswer = 'Accepted',
): Promise<LoadCharger> {
  const w: Wiring = { maxPhase: 1, phaseRotation: 'ABC', maxCurrent: 32, minCurrent: 6, circuitId: null, ...wiring };
  await registerCharger(t, id, {
    maxPhase: w.maxPhase,
    phaseRotation: w.phaseRotation,
    maxCurrent: w.maxCurrent,
    minCurrent: w.minCurrent,
    circuitId: w.circuitId ?? null,
  });
  const client = chargePoint(t, id);
  const charger = new LoadCharger(id, client, w, site);
  charger.answer = answer;
  charger.attach();
  site.chargers.set(id, charger);
  await connectAndAnnounce(t, charger);
  return charger;
}

/** The site's settings through the seed's settings route, as an admin saves them. */
export async function saveSettings(t: OcppTestApp, patch: Record<string, unknown>): Promise<void> {
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/basic/settings/',
    headers: await t.as('admin'),
    payload: patch,
  });
  if (res.statusCode !== 200) throw new Error(`settings: ${res.statusCode} ${res.body}`);
}
