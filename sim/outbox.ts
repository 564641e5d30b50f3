import ocpp from 'ocpp-rpc';

// ocpp-rpc is CommonJS: Node's ESM loader sees only its default export.
const { RPCError } = ocpp;

/**
 * Transaction-related messages (StartTransaction, StopTransaction,
 * MeterValues) in the order they happened. OCPP 1.6 §4.10 and §3.16 (Error
 * responses to transaction-related messages): the charge point delivers them,
 * in order, also across a lost connection or a reboot. A message stays at the
 * head until the server answers it; everything behind it waits.
 *
 * - A lost connection or a timeout is not an attempt: the same message goes
 *   again once the charger is back online (the server's idempotency makes the
 *   repeat harmless).
 * - A CALLERROR is an attempt. §4.10: after the n-th failed transmission the
 *   charge point waits TransactionMessageRetryInterval × n seconds, and gives
 *   up after TransactionMessageAttempts transmissions.
 * - Except a StartTransaction, which is never given up: dropped, it would
 *   leave a session the server never saw, and every MeterValues and the
 *   StopTransaction behind it orphaned (sent without, or with a made-up,
 *   transactionId). It keeps being retried at the last interval.
 */
export type TxAction = 'StartTransaction' | 'StopTransaction' | 'MeterValues';

interface Entry {
  action: TxAction;
  /** Built at send time: MeterValues and StopTransaction need the transactionId the StartTransaction answer brings. */
  build: () => Record<string, unknown>;
  resolve: (result: Record<string, unknown> | undefined) => void;
  /** Runs before the next message is built (the next one may need what this answer brings). */
  onResult?: (result: Record<string, unknown>) => void;
  /** Transmissions answered with a CALLERROR. */
  failures: number;
}

export interface OutboxDeps {
  send(action: TxAction, params: Record<string, unknown>): Promise<Record<string, unknown>>;
  /** Resolves once the charger is connected and accepted again. */
  waitOnline(): Promise<void>;
  /** TransactionMessageAttempts (OCPP 1.6 §9.1.34). */
  maxAttempts(): number;
  /** TransactionMessageRetryInterval in seconds (OCPP 1.6 §9.1.35). */
  retryIntervalS(): number;
  /** Waits on the charger's clock (simulated time). */
  sleep(ms: number): Promise<void>;
  onSent?(action: TxAction, params: Record<string, unknown>, attempt: number): void;
  onRetry?(action: TxAction, err: unknown, failures: number, waitMs: number): void;
  onDropped?(action: TxAction, err: unknown): void;
}

/** The wait after the `failures`-th CALLERROR (§4.10), or undefined when the message is given up. */
export function retryDelayMs(
  action: TxAction,
  failures: number,
  attempts: number,
  intervalS: number,
): number | undefined {
  const max = Math.max(1, attempts);
  if (failures < max) return intervalS * failures * 1000;
  if (action !== 'StartTransaction') return undefined;
  // Never dropped: again and again at the last interval of the schedule (at least a second, so a 0 setting cannot spin).
  return Math.max(1000, intervalS * Math.max(1, max - 1) * 1000);
}

export class TransactionOutbox {
  private readonly queue: Entry[] = [];
  private running = false;
  private inFlight = false;
  private idleWaiters: (() => void)[] = [];

  constructor(private readonly deps: OutboxDeps) {}

  get length(): number {
    return this.queue.length;
  }

  /** A message is on the wire, its answer not yet in (otherwise the outbox is empty, waiting to retry, or waiting to be online). */
  get sending(): boolean {
    return this.inFlight;
  }

  /** Queues a message; resolves with the server's answer, or undefined when it was given up. */
  push(
    action: TxAction,
    build: () => Record<string, unknown>,
    onResult?: (result: Record<string, unknown>) => void,
  ): Promise<Record<string, unknown> | undefined> {
    return new Promise((resolve) => {
      this.queue.push({ action, build, resolve, onResult, failures: 0 });
      void this.drain();
    });
  }

  /** Resolves when every queued message has been answered. */
  idle(): Promise<void> {
    if (this.queue.length === 0 && !this.running) return Promise.resolve();
    return new Promise((r) => this.idleWaiters.push(r));
  }

  private async drain(): Promise<void> {
    if (this.running) return;
    this.running = true;
    while (this.queue.length) {
      const head = this.queue[0]!;
      const params = head.build();
      try {
        this.deps.onSent?.(head.action, params, head.failures + 1);
        this.inFlight = true;
        const result = await this.deps.send(head.action, params);
        this.inFlight = false;
        this.queue.shift();
        head.onResult?.(result);
        head.resolve(result);
      } catch (err) {
        this.inFlight = false;
        if (!(err instanceof RPCError)) {
          // Not answered (connection lost, timeout): not an attempt; the same message goes again once back online.
          await this.deps.waitOnline();
          continue;
        }
        head.failures++;
        const wait = retryDelayMs(head.action, head.failures, this.deps.maxAttempts(), this.deps.retryIntervalS());
        if (wait === undefined) {
          this.queue.shift();
          this.deps.onDropped?.(head.action, err);
          head.resolve(undefined);
          continue;
        }
        this.deps.onRetry?.(head.action, err, head.failures, wait);
        await this.deps.sleep(wait);
      }
    }
    this.running = false;
    for (const w of this.idleWaiters.splice(0)) w();
  }
}
