import ocpp from 'ocpp-rpc';

// ocpp-rpc is CommonJS: Node's ESM loader sees only its default export.
const { RPCClient } = ocpp;
import { abortableTimeout, type SimClock } from './clock.ts';
import { nextArrival, plugDurationS } from './arrivals.ts';
import { ChargingProfiles, type TxRef } from './charging-profiles.ts';
import type { DrawEvent } from './draw.ts';
import { connectorOffer, presentDraws, refreshDraws, type ConnectorDraw } from './connector-draw.ts';
import { IEC_MIN_AMPS } from './ev-model.ts';
import { registerCommands } from './commands.ts';
import { ConfigurationStore } from './configuration.ts';
import { TransactionOutbox } from './outbox.ts';
import type { Rng } from './random.ts';
import { runSession, type SessionPlan } from './session.ts';
import type { Connector, ConnectorStatus, SimEvent } from './types.ts';

type RPCClientOptions = ConstructorParameters<typeof RPCClient>[0];

/** The drivers' cards when none are given (`simulate` registers or prints them: the server must know them). */
export const DEFAULT_ID_TAGS: readonly string[] = ['D0000001', 'D0000002', 'D0000003', 'D0000004'];

export interface ChargePointOptions {
  id: string;
  /** OCPP endpoint without the identity, e.g. ws://127.0.0.1:8000/ocpp (the id is appended). */
  url: string;
  /** HTTP Basic password (OCPP security profile 1); none means no Authorization header. */
  secret?: string;
  clock: SimClock;
  rng: Rng;
  connectors?: number;
  phases?: 1 | 3;
  /** The charger's own maximum, A per phase (what it offers when no profile limits it). */
  maxAmps?: number;
  /** The least it offers: a limit below it suspends the car (SuspendedEVSE). Default IEC 61851's 6 A. */
  minAmps?: number;
  vendor?: string;
  model?: string;
  serialNumber?: string;
  firmwareVersion?: string;
  meterStartWh?: number;
  /** Id tags the simulated drivers present. */
  idTags?: readonly string[];
  /** Site time zone for the day/night pattern. */
  timeZone?: string;
  /** Simulated time a reboot takes. */
  rebootDelayMs?: number;
  /** Real-time reconnect back-off after a lost connection. */
  reconnectDelayMs?: number;
  callTimeoutMs?: number;
  onEvent?: (e: SimEvent) => void;
  /** Every change of a connector's draw, at the simulated instant it happens. */
  onDraw?: (e: DrawEvent) => void;
}

/**
 * One simulated charge point: its connection (ocpp-rpc, strict OCPP 1.6J
 * validation both ways), its connectors' state machine, configuration keys,
 * charging profiles and the transaction-message outbox that survives lost
 * connections and reboots.
 */
export class ChargePoint {
  readonly id: string;
  readonly rng: Rng;
  readonly clock: SimClock;
  readonly config: ConfigurationStore;
  readonly profiles = new ChargingProfiles();
  readonly connectors: Connector[];
  readonly phases: 1 | 3;
  readonly maxAmps: number;
  readonly minAmps: number;
  readonly outbox: TransactionOutbox;
  firmwareVersion: string;
  /** Last FirmwareStatusNotification / DiagnosticsStatusNotification status (§4.4, §4.5), for TriggerMessage. */
  firmwareStatus = 'Idle';
  diagnosticsStatus = 'Idle';
  localList = { version: 0, entries: new Map<string, string>() };
  authCache = new Map<string, string>();
  client: InstanceType<typeof RPCClient> | undefined;
  /** Aborts the heartbeat and arrival loops of the current power cycle. */
  private life = new AbortController();
  private online = false;
  private onlineWaiters: (() => void)[] = [];
  private stopped = false;
  /** Aborts when this power cycle ends (reboot or stop): waits tied to it end with it. */
  get lifeSignal(): AbortSignal {
    return this.life.signal;
  }
  /** Powered off by stop(): sessions end silently, nothing more is sent. */
  get halted(): boolean {
    return this.stopped;
  }
  /** Connector 0: the charge point as a whole (§4.9). */
  status0: ConnectorStatus = 'Available';

  constructor(readonly opts: ChargePointOptions) {
    this.id = opts.id;
    this.rng = opts.rng;
    this.clock = opts.clock;
    this.phases = opts.phases ?? 1;
    this.maxAmps = opts.maxAmps ?? 32;
    this.minAmps = opts.minAmps ?? IEC_MIN_AMPS;
    this.firmwareVersion = opts.firmwareVersion ?? '2';
    const n = opts.connectors ?? 1;
    this.config = new ConfigurationStore({ NumberOfConnectors: String(n) });
    this.connectors = Array.from({ length: n }, (_, i) => ({
      id: i + 1,
      status: 'Available' as const,
      availability: 'Operative' as const,
      meterWh: opts.meterStartWh ?? 0,
    }));
    this.outbox = new TransactionOutbox({
      send: (action, params) => this.call(action, params),
      waitOnline: () => this.waitOnline(),
      maxAttempts: () => this.config.int('TransactionMessageAttempts'),
      retryIntervalS: () => this.config.int('TransactionMessageRetryInterval'),
      // Tied to the power cycle: a reboot ends the wait, and the message goes again once booted.
      sleep: (ms) => this.clock.sleep(ms, this.lifeSignal),
      onRetry: (action, err, failures, waitMs) =>
        this.emit('error', `${action} answered ${errorCode(err)} (${failures}×), again in ${waitMs / 1000} s`),
      onDropped: (action, err) =>
        this.emit(
          'error',
          `${action} dropped after ${this.config.int('TransactionMessageAttempts')} CALLERRORs: ${String(err)}`,
        ),
    });
  }

  connector(id: number): Connector | undefined {
    return this.connectors.find((c) => c.id === id);
  }

  emit(kind: SimEvent['kind'], detail: string, clock: SimClock = this.clock): void {
    this.opts.onEvent?.({ at: clock.now(), chargerId: this.id, kind, detail });
  }

  /** Power on: connect (retrying until the server is there), BootNotification, statuses, then the live loops. */
  async start(): Promise<void> {
    this.stopped = false;
    this.life = new AbortController();
    const client = new RPCClient({
      endpoint: this.opts.url,
      identity: this.id,
      ...(this.opts.secret ? { password: this.opts.secret } : {}),
      protocols: ['ocpp1.6'],
      strictMode: true,
      reconnect: true,
      callTimeoutMs: this.opts.callTimeoutMs ?? 30_000,
      backoff: {
        initialDelay: this.opts.reconnectDelayMs ?? 1000,
        maxDelay: Math.max(10_000, this.opts.reconnectDelayMs ?? 0),
        factor: 2,
        randomisationFactor: 0,
      },
    } as Partial<RPCClientOptions> as RPCClientOptions); // the bundled typings mark every option required
    this.client = client;
    registerCommands(this, client);
    client.on('open', () => {
      if (this.client !== client) return;
      this.emit('connected', 'websocket open');
      if (!this.booted) return;
      this.setOnline(true);
      // Status changes made while offline were not delivered: report the present ones (§4.9).
      for (const c of this.connectors) void this.sendStatus(c.id, c.status, this.clock).catch(() => {});
    });
    client.on('disconnect', ({ code }: { code: number }) => {
      if (this.client !== client) return;
      this.setOnline(false);
      this.emit('disconnected', `code ${code}`);
    });
    this.booted = false;
    for (let attempt = 0; ; attempt++) {
      if (this.stopped) return;
      try {
        await client.connect();
        break;
      } catch (err) {
        this.emit('error', `connect failed: ${(err as Error).message}`);
        await abortableTimeout(
          Math.min(10_000, (this.opts.reconnectDelayMs ?? 1000) * 2 ** Math.min(attempt, 4)),
          this.life.signal,
        );
      }
    }
    await this.boot();
    if (this.stopped) return;
    void this.heartbeatLoop(this.life.signal);
    if (this.arrivalsOn) for (const c of this.connectors) void this.arrivalLoop(c, this.life.signal);
  }

  private arrivalsOn = false;

  /** From now on (and after every reboot) drivers plug in on their own. */
  startArrivals(): void {
    if (this.arrivalsOn) return;
    this.arrivalsOn = true;
    if (this.booted) for (const c of this.connectors) void this.arrivalLoop(c, this.life.signal);
  }

  private booted = false;

  /** BootNotification (§4.2); while Pending or Rejected, ask again after the given interval. */
  private async boot(): Promise<void> {
    for (;;) {
      const res = (await this.call('BootNotification', {
        chargePointVendor: this.opts.vendor ?? 'evpower',
        chargePointModel: this.opts.model ?? 'Amos_EVG-32N',
        chargePointSerialNumber: this.opts.serialNumber ?? this.id,
        chargeBoxSerialNumber: this.opts.serialNumber ?? this.id,
        firmwareVersion: this.firmwareVersion,
        meterType: 'AC',
      }).catch((err) => {
        this.emit('error', `BootNotification failed: ${(err as Error).message}`);
        return undefined;
      })) as { status: string; interval: number } | undefined;
      if (this.stopped) return;
      if (res?.status === 'Accepted') {
        if (res.interval > 0) this.config.setInternal('HeartbeatInterval', String(res.interval));
        this.emit('boot', `Accepted, heartbeat ${res.interval}s`);
        break;
      }
      this.emit('boot', `${res?.status ?? 'no answer'}, retrying`);
      await this.clock.sleep(Math.max(10, res?.interval || 60) * 1000, this.life.signal);
    }
    this.booted = true;
    this.setOnline(true);
    // §4.9: after boot, the status of the charge point and of every connector.
    await this.sendStatus(0, this.status0, this.clock).catch(() => {});
    for (const c of this.connectors) await this.sendStatus(c.id, c.status, this.clock).catch(() => {});
  }

  /** Calls sent (for the CLI summary). */
  callsSent = 0;

  call(action: string, params: Record<string, unknown>): Promise<Record<string, unknown>> {
    if (!this.client || this.client.state !== 1) return Promise.reject(new Error('not connected'));
    this.callsSent++;
    return this.client.call(action, params) as Promise<Record<string, unknown>>;
  }

  private setOnline(online: boolean): void {
    this.online = online;
    if (online) for (const w of this.onlineWaiters.splice(0)) w();
  }

  waitOnline(): Promise<void> {
    // Also the socket itself: while it closes, `online` is still true until ocpp-rpc's disconnect event, and a
    // caller that resends at once would spin without yielding (the event never comes).
    if (this.online && this.client?.state === 1) return Promise.resolve();
    return new Promise((r) => this.onlineWaiters.push(r));
  }

  get isOnline(): boolean {
    return this.online;
  }

  /** Authorize (§4.1); offline, the local list and cache decide (LocalAuthorizeOffline). */
  async authorize(idTag: string): Promise<boolean> {
    try {
      const res = (await this.call('Authorize', { idTag })) as { idTagInfo: { status: string } };
      if (this.config.bool('AuthorizationCacheEnabled')) this.authCache.set(idTag, res.idTagInfo.status);
      return res.idTagInfo.status === 'Accepted';
    } catch {
      const known = this.localList.entries.get(idTag) ?? this.authCache.get(idTag);
      if (known) return known === 'Accepted' && this.config.bool('LocalAuthorizeOffline');
      return this.config.bool('AllowOfflineTxForUnknownId');
    }
  }

  /** Changes a connector's status and tells the server (§4.9); `paced` waits for the answer. */
  async setStatus(c: Connector, status: ConnectorStatus, clock: SimClock, paced = false): Promise<void> {
    if (c.status === status) return;
    c.status = status;
    const sent = this.sendStatus(c.id, status, clock).catch(() => {});
    if (paced) await sent;
  }

  sendStatus(connectorId: number, status: ConnectorStatus, clock: SimClock): Promise<unknown> {
    return this.call('StatusNotification', {
      connectorId,
      errorCode: 'NoError',
      status,
      timestamp: clock.now().toISOString(),
    });
  }

  idleStatus(c: Connector): ConnectorStatus {
    if (c.availability === 'Inoperative') return 'Unavailable';
    if (c.reservation) return 'Reserved';
    return 'Available';
  }

  applyScheduledAvailability(c: Connector): void {
    if (c.scheduledAvailability) c.availability = c.scheduledAvailability;
    c.scheduledAvailability = undefined;
  }

  /** Starts a session on the connector unless one runs; returns its completion. */
  startSession(
    c: Connector,
    plan: Omit<SessionPlan, 'sampleS' | 'clock'> & Partial<Pick<SessionPlan, 'sampleS' | 'clock'>>,
  ): Promise<void> {
    const run = runSession(this, c, {
      clock: this.clock,
      sampleS: () => Math.max(1, this.config.int('MeterValueSampleInterval')),
      ...plan,
    });
    return run.catch((err) => this.emit('error', `session failed: ${String(err)}`));
  }

  /** What the connector offers its car now and on how many phases (sim/connector-draw.ts). */
  offer(c: Connector, at: Date, tx: TxRef): { amps: number; phases: number } {
    return connectorOffer(this, c, at, tx);
  }

  /** The profiles changed (or a session began, ended or got its transactionId): every running session's draw is set again now. */
  refresh(): void {
    refreshDraws(this);
  }

  /** Each connector's present draw, as the model holds it (not a meter reading): what a bench sums per site phase. */
  presentDraw(): ConnectorDraw[] {
    return presentDraws(this);
  }

  drawChanged(e: Omit<DrawEvent, 'chargerId'>): void {
    this.opts.onDraw?.({ chargerId: this.id, ...e });
  }

  timeZone(): string {
    return this.opts.timeZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone;
  }

  randomIdTag(): string {
    return this.rng.pick(this.opts.idTags ?? DEFAULT_ID_TAGS);
  }

  private async heartbeatLoop(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      await this.clock.sleep(Math.max(1, this.config.int('HeartbeatInterval')) * 1000, signal);
      if (signal.aborted) return;
      await this.call('Heartbeat', {}).catch(() => {});
    }
  }

  /** Drivers arrive on their own following the day/night pattern (live mode). */
  private async arrivalLoop(c: Connector, signal: AbortSignal): Promise<void> {
    const tz = this.timeZone();
    while (!signal.aborted) {
      const at = nextArrival(this.clock.now(), this.rng, tz);
      await this.clock.sleep(at.getTime() - this.clock.now().getTime(), signal);
      if (signal.aborted) return;
      if (c.session || c.status !== 'Available' || !this.online) continue;
      await this.startSession(c, { idTag: this.randomIdTag(), plugS: plugDurationS(at, this.rng, tz) });
    }
  }

  /**
   * Reset (§5.13): end running sessions with reason SoftReset/HardReset, close
   * the connection, stay off for the reboot delay, then power on and boot again.
   */
  async reboot(kind: 'Soft' | 'Hard'): Promise<void> {
    this.emit('boot', `${kind} reset`);
    const running = this.connectors.flatMap((c) => (c.session ? [c.session] : []));
    for (const s of running) {
      s.stopReason = kind === 'Hard' ? 'HardReset' : 'SoftReset';
      s.stop.abort();
    }
    await Promise.all(running.map((s) => s.done));
    await Promise.race([this.outbox.idle(), abortableTimeout(5000)]);
    this.life.abort();
    this.booted = false;
    this.setOnline(false);
    await this.client?.close({ code: 1000, reason: 'reboot' }).catch(() => {});
    await this.clock.sleep(this.opts.rebootDelayMs ?? 10_000);
    if (this.stopped) return;
    await this.start();
  }

  /** Power off for good: end the loops and sessions without sending anything more, close the connection. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.life.abort();
    this.setOnline(false);
    for (const c of this.connectors) c.session?.stop.abort();
    await this.client?.close({ code: 1000, reason: 'simulator stopping', force: true }).catch(() => {}); // power off: nothing in flight is awaited
  }
}

function errorCode(err: unknown): string {
  return (err as { rpcErrorCode?: string }).rpcErrorCode ?? String(err);
}
