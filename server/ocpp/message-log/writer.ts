import type { MessageDirection, OcppMessageInsert } from '../../../db/schema/index.ts';
import { textProblem, textProblems } from '../../text/storable-text.ts';
import { parseFrame } from './frame.ts';
import { redactPayload } from './redact.ts';
import type { MessageLogMetrics } from './metrics.ts';

/** A frame as the socket saw it: all the message path pays for is this object and a push. */
interface Captured {
  chargerId: string;
  direction: MessageDirection;
  at: number;
  text: string;
}

export interface WriterOptions {
  /** Looked up at each flush (tests stall it). One multi-row statement. */
  insert(rows: OcppMessageInsert[]): Promise<void>;
  metrics: MessageLogMetrics;
  /** Frames waiting beyond these are dropped and counted, never waited for. */
  maxQueuedRows: number;
  maxQueuedChars: number;
  /** How long the first frame of a batch waits for others (real time: this is about load). */
  flushMs: number;
  /** Told of each batch written, per charger: retention counts them. */
  onWritten(counts: Map<string, number>): void;
  onError(err: unknown, rows: number): void;
}

/** Rows per INSERT: 11 bind parameters each, far below PostgreSQL's 65,535. */
const ROWS_PER_INSERT = 1000;
/** A frame larger than this is logged without its payload (the row says its size). */
export const MAX_LOGGED_PAYLOAD_CHARS = 64 * 1024;
/** Calls waiting for their answer, across chargers; the oldest is forgotten beyond it (a call never answered). */
const MAX_PENDING_CALLS = 50_000;

/**
 * The OCPP message log's writer (docs/OPERATIONS.md "OCPP message log"): frames
 * are captured on the socket's `message` event into a bounded queue and
 * written off the message path, every `flushMs`, as multi-row inserts, one
 * batch at a time. Parsing, linking an answer to its call (its action, the
 * time it took) and redaction happen at flush, in capture order. A full queue
 * or a failed write drops rows and counts them; OCPP never waits for the log.
 */
export class MessageLogWriter {
  private queue: Captured[] = [];
  private queuedChars = 0;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  /** `${charger}\0${direction of the call}\0${messageId}` → the call's action and time. */
  private readonly pending = new Map<string, { action: string | null; at: number }>();

  constructor(private readonly opts: WriterOptions) {}

  capture(chargerId: string, direction: MessageDirection, text: string, at: Date): void {
    if (this.queue.length >= this.opts.maxQueuedRows || this.queuedChars + text.length > this.opts.maxQueuedChars) {
      this.opts.metrics.dropped.inc({ reason: 'queue_full' });
      return;
    }
    this.queue.push({ chargerId, direction, at: at.getTime(), text });
    this.queuedChars += text.length;
    this.opts.metrics.queued.set(this.queue.length);
    if (!this.timer && !this.running) this.timer = setTimeout(() => void this.drain(), this.opts.flushMs).unref();
  }

  /** Writes everything captured so far; resolves once it is stored (or dropped by a failed write). */
  async flush(): Promise<void> {
    while (this.running || this.queue.length) {
      if (this.running) await this.running;
      else await this.drain();
    }
  }

  /** Stops the timer; what is still queued is written by a last flush(). */
  stop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private drain(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.running) return this.running;
    this.running = (async () => {
      while (this.queue.length) {
        const batch = this.queue.splice(0, ROWS_PER_INSERT);
        for (const c of batch) this.queuedChars -= c.text.length;
        this.opts.metrics.queued.set(this.queue.length);
        const rows = batch.map((c) => this.row(c));
        try {
          await this.opts.insert(rows);
          this.opts.metrics.written.inc(rows.length);
          this.opts.metrics.flushes.inc();
          const counts = new Map<string, number>();
          for (const r of rows) counts.set(r.chargerId, (counts.get(r.chargerId) ?? 0) + 1);
          this.opts.onWritten(counts);
        } catch (err) {
          this.opts.metrics.dropped.inc({ reason: 'write_failed' }, rows.length);
          this.opts.onError(err, rows.length);
        }
      }
    })().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private row(c: Captured): OcppMessageInsert {
    const f = parseFrame(c.text);
    let action = f.action;
    let durationMs: number | null = null;
    if (f.type === 'CALL' && f.messageId !== null)
      this.remember(`${c.chargerId}\0${c.direction}\0${f.messageId}`, action, c.at);
    if ((f.type === 'CALLRESULT' || f.type === 'CALLERROR') && f.messageId !== null) {
      const callDirection = c.direction === 'in' ? 'out' : 'in';
      const key = `${c.chargerId}\0${callDirection}\0${f.messageId}`;
      const call = this.pending.get(key);
      if (call) {
        this.pending.delete(key);
        action = call.action;
        durationMs = Math.max(0, c.at - call.at);
      }
    }
    // A payload PostgreSQL cannot hold (NUL, unpaired surrogates; storable-text.ts) would fail the whole batch.
    const payload =
      c.text.length > MAX_LOGGED_PAYLOAD_CHARS || Object.keys(textProblems(f.payload)).length
        ? null
        : redactPayload(action, f.payload);
    return {
      chargerId: c.chargerId,
      at: new Date(c.at),
      direction: c.direction,
      messageType: f.type,
      messageId: storableOrNull(f.messageId),
      action: storableOrNull(action),
      payload,
      errorCode: storableOrNull(f.errorCode),
      durationMs,
      size: c.text.length,
    };
  }

  private remember(key: string, action: string | null, at: number): void {
    this.pending.delete(key);
    this.pending.set(key, { action, at });
    if (this.pending.size > MAX_PENDING_CALLS) this.pending.delete(this.pending.keys().next().value!);
  }
}

function storableOrNull(s: string | null): string | null {
  return s !== null && textProblem(s) === undefined ? s : null;
}
