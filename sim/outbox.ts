import ocpp from 'ocpp-rpc';

// ocpp-rpc is CommonJS: Node's ESM loader sees only its default export.
const { RPCError } = ocpp;

/**
 * Transaction-related messages (StartTransaction, StopTransaction,
 * MeterValues) in the order they happened. OCPP 1.6 §4.8/§4.10 and §3.16 (Error
 * responses to transaction-related messages): the charge point must deliver them,
 * in order, also across a lost connection or a reboot. A message stays at the head until the
 * server answers it; a lost connection or a timeout means "resend after
 * reconnecting" (the server's idempotency makes the repeat harmless). A
 * CALLERROR is retried TransactionMessageAttempts times, then dropped.
 */
export type TxAction = 'StartTransaction' | 'StopTransaction' | 'MeterValues';

interface Entry {
  action: TxAction;
  /** Built at send time: MeterValues and StopTransaction need the transactionId the StartTransaction answer brings. */
  build: () => Record<string, unknown>;
  resolve: (result: Record<string, unknown> | undefined) => void;
  /** Runs before the next message is built (the next one may need what this answer brings). */
  onResult?: (result: Record<string, unknown>) => void;
  attempts: number;
}

export interface OutboxDeps {
  send(action: TxAction, params: Record<string, unknown>): Promise<Record<string, unknown>>;
  /** Resolves once the charger is connected and accepted again. */
  waitOnline(): Promise<void>;
  maxAttempts(): number;
  onSent?(action: TxAction, params: Record<string, unknown>, attempt: number): void;
  onDropped?(action: TxAction, err: unknown): void;
}

export class TransactionOutbox {
  private readonly queue: Entry[] = [];
  private running = false;
  private idleWaiters: (() => void)[] = [];

  constructor(private readonly deps: OutboxDeps) {}

  get length(): number {
    return this.queue.length;
  }

  /** Queues a message; resolves with the server's answer, or undefined when it was given up. */
  push(action: TxAction, build: () => Record<string, unknown>, onResult?: (result: Record<string, unknown>) => void): Promise<Record<string, unknown> | undefined> {
    return new Promise((resolve) => {
      this.queue.push({ action, build, resolve, onResult, attempts: 0 });
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
        head.attempts++;
        this.deps.onSent?.(head.action, params, head.attempts);
        const result = await this.deps.send(head.action, params);
        this.queue.shift();
        head.onResult?.(result);
        head.resolve(result);
      } catch (err) {
        if (err instanceof RPCError && head.attempts < this.deps.maxAttempts()) continue;
        if (err instanceof RPCError) {
          this.queue.shift();
          this.deps.onDropped?.(head.action, err);
          head.resolve(undefined);
          continue;
        }
        // Not answered (connection lost, timeout): the same message goes again once back online.
        head.attempts = 0;
        await this.deps.waitOnline();
      }
    }
    this.running = false;
    for (const w of this.idleWaiters.splice(0)) w();
  }
}
