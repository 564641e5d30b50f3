import type { RPCClient } from '../../server/ocpp/rpc.ts';
import { BOOT, chargePoint, registerCharger, type OcppTestApp } from './ocpp.ts';

interface ProfileCall {
  connectorId: number;
  csChargingProfiles: {
    chargingProfileId: number;
    transactionId?: number;
    chargingProfilePurpose: string;
    chargingSchedule: { chargingSchedulePeriod: { limit: number }[] };
  };
}

/**
 * A strict OCPP 1.6 charger whose car draws what its profiles allow
 * (OCPP 1.6 §3.13): on each TxProfile it accepts, it reports (MeterValues,
 * Current.Import per wired line) the lower of the profile's first limit and
 * the car's own maximum, less `shortfall` A; with no TxProfile (a new session
 * under the TxDefaultProfile's 0 A hold) it draws nothing, and once its
 * profiles are cleared it draws the car's maximum.
 */
export class DrawingCharger {
  readonly cp: RPCClient;
  /** The TxProfile limit per connector; absent: none installed. */
  readonly limits = new Map<number, number>();
  private readonly sessions = new Map<number, number>();
  private cleared = false;
  private sends: Promise<unknown>[] = [];

  constructor(
    private readonly t: OcppTestApp,
    readonly id: string,
    private readonly opts: { lines: number; carMax: number; shortfall: number; at: () => Date },
  ) {
    this.cp = chargePoint(t, id);
    this.cp.handle('GetConfiguration', async () => ({ configurationKey: [{ key: 'ChargeProfileMaxStackLevel', readonly: true, value: '8' }] }));
    this.cp.handle('SetChargingProfile', async ({ params }) => {
      const call = params as ProfileCall;
      const p = call.csChargingProfiles;
      if (p.chargingProfilePurpose === 'TxProfile') {
        this.cleared = false;
        this.limits.set(call.connectorId, p.chargingSchedule.chargingSchedulePeriod[0]!.limit);
        this.later(call.connectorId);
      }
      return { status: 'Accepted' };
    });
    this.cp.handle('ClearChargingProfile', async () => {
      this.cleared = true;
      this.limits.clear();
      for (const c of this.sessions.keys()) this.later(c);
      return { status: 'Accepted' };
    });
  }

  /** Registers (with its wiring), connects and boots it. */
  async boot(wiring: Record<string, unknown>): Promise<this> {
    await registerCharger(this.t, this.id);
    const res = await this.t.app.inject({ method: 'PATCH', url: `/api/chargers/${this.id}`, headers: await this.t.as('admin'), payload: wiring });
    if (res.statusCode !== 200) throw new Error(`wiring ${this.id}: ${res.statusCode} ${res.body}`);
    await this.cp.connect();
    await this.cp.call('BootNotification', BOOT);
    return this;
  }

  /** The current the car draws on connector `c` now, A per line. */
  draw(c: number): number {
    const limit = this.cleared ? this.opts.carMax : (this.limits.get(c) ?? 0);
    return Math.max(0, Math.min(limit, this.opts.carMax) - (limit > 0 ? this.opts.shortfall : 0));
  }

  async start(idTag: string, at: Date, connectorId = 1): Promise<number> {
    const { transactionId } = (await this.cp.call('StartTransaction', { connectorId, idTag, meterStart: 0, timestamp: at.toISOString() })) as { transactionId: number };
    this.sessions.set(connectorId, transactionId);
    await this.status(connectorId, 'Charging');
    return transactionId;
  }

  async stop(connectorId = 1): Promise<void> {
    const transactionId = this.sessions.get(connectorId)!;
    this.sessions.delete(connectorId);
    this.limits.delete(connectorId);
    await this.cp.call('StopTransaction', { transactionId, meterStop: 1000, timestamp: this.opts.at().toISOString(), reason: 'EVDisconnected' });
    await this.status(connectorId, 'Finishing');
  }

  /** Resolves once every MeterValues it decided to send was answered. */
  async idle(): Promise<void> {
    while (this.sends.length) await Promise.all(this.sends.splice(0));
  }

  /** MeterValues decided on and not yet answered. */
  get busy(): number {
    return this.sends.length;
  }

  /** The open session on a connector. */
  transactionId(connectorId = 1): number | undefined {
    return this.sessions.get(connectorId);
  }

  private status(connectorId: number, status: string) {
    return this.cp.call('StatusNotification', { connectorId, errorCode: 'NoError', status, timestamp: this.opts.at().toISOString() });
  }

  /** After the answer went out: the car follows its new limit, and the charger reports it. */
  private later(connectorId: number): void {
    this.sends.push(new Promise((resolve) => setImmediate(resolve)).then(() => this.meter(connectorId)));
  }

  private meter(connectorId: number) {
    const transactionId = this.sessions.get(connectorId);
    if (transactionId === undefined) return undefined;
    const a = this.draw(connectorId).toFixed(1);
    const sampledValue = Array.from({ length: this.opts.lines }, (_, i) => ({ value: a, measurand: 'Current.Import', phase: `L${i + 1}`, unit: 'A' }));
    return this.cp.call('MeterValues', { connectorId, transactionId, meterValue: [{ timestamp: this.opts.at().toISOString(), sampledValue }] });
  }
}
