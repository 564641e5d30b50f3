import type { IncomingMessage } from 'node:http';
import WebSocket from 'ws';
import type { Rng } from '../../../sim/random.ts';
import { BOOT } from '../frames.ts';

/**
 * One rebooting charger of the storm, behaving like real firmware: WebSocket
 * handshake with HTTP Basic auth, then BootNotification, StatusNotification
 * for connectors 0 and 1, Heartbeat (OCPP 1.6 §4.2, §4.9, §4.6), one CALL at
 * a time (OCPP-J §4.1.1). Refused with 503 or 429 it waits Retry-After; a
 * handshake or CALL unanswered within its timeout, a reset, any other
 * failure: it backs off and tries again, with the sequence from the start.
 */
export type RetryCause =
  '503-busy' | '503-deadline' | '429' | '408' | 'timeout' | 'call-timeout' | 'reset' | 'callerror' | 'other';
export const RETRY_CAUSES: RetryCause[] = [
  '503-busy',
  '503-deadline',
  '429',
  '408',
  'timeout',
  'call-timeout',
  'reset',
  'callerror',
  'other',
];
/**
 * The causes that are a server time-out: its handshake deadline (503), its
 * request-headers deadline (408), or no answer within the charger's patience.
 */
export const SERVER_TIMEOUTS: RetryCause[] = ['503-deadline', '408', 'timeout', 'call-timeout'];

export interface ChargerPlan {
  id: string;
  url: string;
  secret: string;
  localAddress: string;
  handshakeTimeoutMs: number;
  callTimeoutMs: number;
}

export interface ChargerOutcome {
  /** performance.now() of the first attempt, the handshake that succeeded, the BootNotification Accepted and the last answer. */
  firstAttemptAt: number;
  handshakeAt?: number;
  openedAt?: number;
  acceptedAt?: number;
  doneAt?: number;
  attempts: number;
  retries: Partial<Record<RetryCause, number>>;
  /** What each retry's cause looked like (`cause: detail`), for the report. */
  details: string[];
}

const SEQUENCE: [string, Record<string, unknown>][] = [
  ['BootNotification', BOOT],
  ['StatusNotification', { connectorId: 0, errorCode: 'NoError', status: 'Available' }],
  ['StatusNotification', { connectorId: 1, errorCode: 'NoError', status: 'Available' }],
  ['Heartbeat', {}],
];

/** The server's deadline answer (plugins/upgrades.ts), as opposed to the cap's 503. */
const DEADLINE_BODY = 'Handshake not answered in time';

export class StormCharger {
  readonly outcome: ChargerOutcome;
  private ws: WebSocket | undefined;
  private failures = 0;
  private step = 0;
  private seq = 0;
  private callTimer: NodeJS.Timeout | undefined;
  private attemptOver = true;

  constructor(
    private readonly plan: ChargerPlan,
    private readonly rng: Rng,
    private readonly onDone: (c: StormCharger) => void,
  ) {
    this.outcome = { firstAttemptAt: performance.now(), attempts: 0, retries: {}, details: [] };
  }

  start(): void {
    this.outcome.firstAttemptAt = performance.now();
    this.attempt();
  }

  close(): void {
    clearTimeout(this.callTimer);
    this.ws?.terminate();
  }

  private attempt(): void {
    this.outcome.attempts++;
    this.attemptOver = false;
    this.step = 0;
    const started = performance.now();
    const auth = Buffer.from(`${this.plan.id}:${this.plan.secret}`).toString('base64');
    const ws = new WebSocket(`${this.plan.url}/${this.plan.id}`, ['ocpp1.6'], {
      headers: { authorization: `Basic ${auth}` },
      perMessageDeflate: false,
      handshakeTimeout: this.plan.handshakeTimeoutMs,
      localAddress: this.plan.localAddress,
    });
    this.ws = ws;
    // Events of an attempt already given up (its socket terminated) must not touch the next one.
    const current = () => this.ws === ws;
    ws.on('unexpected-response', (req, res: IncomingMessage) => current() && this.refused(req, res));
    ws.on('open', () => {
      if (!current()) return;
      this.outcome.handshakeAt = started;
      this.outcome.openedAt = performance.now();
      this.send();
    });
    ws.on('message', (data) => current() && this.answer(JSON.parse(String(data)) as unknown[]));
    ws.on('error', (err: Error & { code?: string }) => {
      if (!current()) return;
      if (/handshake has timed out/i.test(err.message)) this.retry('timeout');
      else if (err.code === 'ECONNRESET' || err.code === 'EPIPE' || /socket hang up/i.test(err.message))
        this.retry(
          'reset',
          `${err.code ?? err.message} ${this.outcome.openedAt && this.outcome.handshakeAt === started ? 'after open' : 'in the handshake'}`,
        );
      else this.retry('other', err.code ?? err.message);
    });
    ws.on('close', (code: number, reason: Buffer) => {
      if (current() && this.outcome.doneAt === undefined)
        this.retry('reset', `closed ${code} ${String(reason)}`.trim());
    });
  }

  private refused(req: { destroy(): void }, res: IncomingMessage): void {
    const status = res.statusCode ?? 0;
    const retryAfter = Number(res.headers['retry-after']);
    let body = '';
    res.setEncoding('utf8');
    res.on('data', (chunk: string) => (body += chunk));
    res.on('error', () => undefined);
    res.on('end', () => {
      req.destroy();
      const cause: RetryCause =
        status === 503
          ? body.includes(DEADLINE_BODY)
            ? '503-deadline'
            : '503-busy'
          : status === 429
            ? '429'
            : status === 408
              ? '408'
              : 'other';
      this.retry(
        cause,
        cause === 'other' ? `HTTP ${status} ${body}` : undefined,
        Number.isFinite(retryAfter) ? retryAfter : undefined,
      );
    });
  }

  private send(): void {
    const [action, payload] = SEQUENCE[this.step]!;
    const msgId = `${this.plan.id}-${this.seq++}`;
    this.ws!.send(
      JSON.stringify([
        2,
        msgId,
        action,
        { ...payload, ...(action === 'BootNotification' ? { chargePointSerialNumber: this.plan.id } : {}) },
      ]),
    );
    clearTimeout(this.callTimer);
    this.callTimer = setTimeout(() => this.retry('call-timeout'), this.plan.callTimeoutMs);
  }

  private answer(msg: unknown[]): void {
    if (msg[0] === 2) {
      // a command from the central system: the storm charger supports none (OCPP-J §4.2.3)
      this.ws!.send(JSON.stringify([4, msg[1], 'NotImplemented', '', {}]));
      return;
    }
    clearTimeout(this.callTimer);
    if (msg[0] === 4) {
      // InternalError and the like: the message was not stored; send it again after a back-off.
      this.count('callerror', `${String(msg[2])} on ${SEQUENCE[this.step]![0]}`);
      this.callTimer = setTimeout(() => this.send(), this.backoffMs());
      return;
    }
    const action = SEQUENCE[this.step]![0];
    if (action === 'BootNotification') {
      const status = (msg[2] as { status?: string }).status;
      if (status !== 'Accepted') {
        this.count('other', `BootNotification ${status}`);
        this.callTimer = setTimeout(() => this.send(), this.backoffMs());
        return;
      }
      this.outcome.acceptedAt = performance.now();
    }
    this.step++;
    if (this.step < SEQUENCE.length) return this.send();
    this.outcome.doneAt = performance.now();
    this.attemptOver = true;
    this.onDone(this);
  }

  /** Ends this attempt once (error and close both fire) and schedules the next. */
  private retry(cause: RetryCause, detail?: string, retryAfterS?: number): void {
    if (this.attemptOver) return;
    this.attemptOver = true;
    clearTimeout(this.callTimer);
    const ws = this.ws;
    this.ws = undefined;
    ws?.terminate();
    this.count(cause, detail);
    this.outcome.acceptedAt = undefined;
    // Retry-After is a floor (RFC 9110 §10.2.3); up to a second more keeps refused chargers from returning in step.
    const wait = retryAfterS !== undefined ? retryAfterS * 1000 + this.rng.between(0, 1000) : this.backoffMs();
    setTimeout(() => this.attempt(), wait);
  }

  private count(cause: RetryCause, detail?: string): void {
    this.outcome.retries[cause] = (this.outcome.retries[cause] ?? 0) + 1;
    if (detail) this.outcome.details.push(`${cause}: ${detail}`);
  }

  /** Exponential from 1 s to 30 s, jittered to half..full: what charger firmware commonly does. */
  private backoffMs(): number {
    this.failures++;
    return Math.min(30_000, 1000 * 2 ** (this.failures - 1)) * this.rng.between(0.5, 1);
  }
}
