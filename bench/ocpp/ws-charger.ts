import WebSocket from 'ws';
import { BOOT } from './frames.ts';

/**
 * A bench charger as a plain `ws` connection speaking OCPP 1.6J by hand (an
 * ocpp-rpc client each would cost the load generator more than the server
 * under test costs): one CALL in flight at a time (OCPP-J §4.1.1), commands
 * from the central system answered NotImplemented (§4.2.3).
 */
export interface Answer {
  ok: boolean;
  payload?: Record<string, unknown>;
  /** CALLERROR code, or 'timeout' / 'closed'. */
  error?: string;
}

export class WsCharger {
  private ws: WebSocket | undefined;
  private seq = 0;
  private pending: { msgId: string; resolve: (a: Answer) => void; timer: NodeJS.Timeout } | undefined;
  private lastStampMs = 0;
  /** The session's state, kept by the drivers. */
  energyWh: number;
  transactionId: number | undefined;

  constructor(
    readonly id: string,
    readonly idTag: string,
    private readonly callTimeoutMs: number,
  ) {
    // Registers only rise, across runs too: the start is the wall clock in seconds.
    this.energyWh = Math.floor(Date.now() / 1000);
  }

  /** Opens the socket (HTTP Basic auth when `secret` is given) and sends BootNotification. */
  async connect(url: string, secret?: string, localAddress?: string): Promise<Answer> {
    const headers: Record<string, string> = secret
      ? { authorization: `Basic ${Buffer.from(`${this.id}:${secret}`).toString('base64')}` }
      : {};
    const ws = new WebSocket(`${url}/${this.id}`, ['ocpp1.6'], {
      headers,
      perMessageDeflate: false,
      localAddress,
    });
    this.ws = ws;
    const opened = await new Promise<boolean>((resolve) => {
      ws.once('open', () => resolve(true));
      ws.once('error', () => resolve(false));
    });
    if (!opened) return { ok: false, error: 'closed' };
    // A socket given up (a retried connect) must not touch the next one's calls.
    ws.on('message', (data) => this.ws === ws && this.onMessage(JSON.parse(String(data)) as unknown[]));
    ws.on('error', () => undefined);
    ws.on('close', () => this.ws === ws && this.settle({ ok: false, error: 'closed' }));
    return this.call('BootNotification', { ...BOOT, chargePointSerialNumber: this.id });
  }

  get busy(): boolean {
    return this.pending !== undefined;
  }

  call(action: string, payload: Record<string, unknown>): Promise<Answer> {
    if (this.pending) throw new Error(`${this.id}: a CALL is already in flight (OCPP-J §4.1.1)`);
    const msgId = `${this.id}-${this.seq++}`;
    return new Promise<Answer>((resolve) => {
      const timer = setTimeout(() => this.settle({ ok: false, error: 'timeout' }), this.callTimeoutMs);
      this.pending = { msgId, resolve, timer };
      this.ws!.send(JSON.stringify([2, msgId, action, payload]));
    });
  }

  /**
   * A timestamp later than every earlier one of this charger: samples are
   * identified by their time (a resend is stored once), so two calls in one
   * millisecond must not look like one.
   */
  stamp(): string {
    this.lastStampMs = Math.max(Date.now(), this.lastStampMs + 1);
    return new Date(this.lastStampMs).toISOString();
  }

  close(): void {
    this.ws?.terminate();
  }

  private onMessage(msg: unknown[]): void {
    if (msg[0] === 2) {
      this.ws!.send(JSON.stringify([4, msg[1], 'NotImplemented', '', {}]));
      return;
    }
    if (!this.pending || msg[1] !== this.pending.msgId) return;
    this.settle(
      msg[0] === 3 ? { ok: true, payload: msg[2] as Record<string, unknown> } : { ok: false, error: String(msg[2]) },
    );
  }

  private settle(a: Answer): void {
    const p = this.pending;
    if (!p) return;
    this.pending = undefined;
    clearTimeout(p.timer);
    p.resolve(a);
  }
}
