/**
 * Group commit: writes (or reads) that arrive close together run as one
 * batch (for the charger writes, one multi-row statement) instead of one
 * round trip (on PGlite one pass through its single query queue) each. After
 * a restart thousands of chargers send the same few messages within seconds;
 * batched, their cost is per batch, not per charger.
 *
 * - The first item of a batch waits up to `windowMs` for others (0: until
 *   the end of this turn of the event loop), a full batch goes at once, and
 *   while `maxConcurrent` batches are in flight new items wait and form the
 *   next batch when one finishes. The window is what keeps PGlite, which runs
 *   its queries on the event loop's own thread, from spending the thread on
 *   per-statement overhead: each statement costs far more than each row.
 * - Each item's promise settles only when its batch has committed: a caller
 *   that answers after awaiting it never acknowledges what is not stored.
 * - Items with the same key keep their order: a batch holds at most one item
 *   per key, and an item waits while an earlier one of its key is in flight.
 * - A batch that fails is retried item by item (`runOne`, each on its own),
 *   so one bad item fails alone with its own error and the rest are stored.
 *   The items must be idempotent: a batch whose COMMIT was lost may have
 *   been stored after all.
 */
export interface BatcherOptions<I, O> {
  /** Items of one key (a charger) are applied in submission order. */
  key(item: I): string;
  /** All of them, all or nothing (one transaction); one answer per item, in order. */
  runBatch(items: I[]): Promise<O[]>;
  /** One item on its own: a batch of one, and each item of a failed batch. */
  runOne(item: I): Promise<O>;
  /** Statement size bound (each row costs bind parameters; PostgreSQL allows 65,535). */
  maxItems?: number;
  /** Batches in flight at once (database connections they may hold). */
  maxConcurrent?: number;
  /** How long the first item of a batch waits for others, in milliseconds (real time: this is about load, not business time). */
  windowMs?: number;
  /** Told of every batch run (its size, whether it had to be split): for metrics. */
  onBatch?(size: number, split: boolean): void;
}

interface Entry<I, O> {
  item: I;
  key: string;
  /** performance.now() when submitted. */
  at: number;
  resolve(v: O): void;
  reject(e: unknown): void;
}

export class Batcher<I, O> {
  private queue: Entry<I, O>[] = [];
  private readonly busyKeys = new Set<string>();
  private inFlight = 0;
  private idle: (() => void)[] = [];
  /** A flush to come: at the end of this turn ('now'), or when the window closes. */
  private scheduled: 'now' | NodeJS.Timeout | undefined;
  private readonly maxItems: number;
  private readonly maxConcurrent: number;
  private readonly windowMs: number;

  constructor(private readonly opts: BatcherOptions<I, O>) {
    this.maxItems = opts.maxItems ?? 500;
    this.maxConcurrent = opts.maxConcurrent ?? 1;
    this.windowMs = opts.windowMs ?? 0;
  }

  /** Items waiting for a batch. */
  get queued(): number {
    return this.queue.length;
  }

  /** Resolves once nothing is queued or in flight (a stopping server lets its last writes land). */
  settled(): Promise<void> {
    if (this.queue.length === 0 && this.inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => this.idle.push(resolve));
  }

  submit(item: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.queue.push({ item, key: this.opts.key(item), at: performance.now(), resolve, reject });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.inFlight >= this.maxConcurrent || this.scheduled === 'now') return;
    // The window runs from the oldest item that could go now (one whose key is not in flight).
    const first = this.queue.find((e) => !this.busyKeys.has(e.key));
    if (!first) return;
    const waited = performance.now() - first.at;
    const due = this.queue.length >= this.maxItems || waited >= this.windowMs;
    if (this.scheduled && !due) return;
    clearTimeout(this.scheduled as NodeJS.Timeout | undefined);
    const go = () => {
      this.scheduled = undefined;
      this.flush();
    };
    if (due) {
      this.scheduled = 'now';
      setImmediate(go);
    } else this.scheduled = setTimeout(go, this.windowMs - waited);
  }

  private flush(): void {
    while (this.inFlight < this.maxConcurrent) {
      const batch = this.take();
      if (batch.length === 0) return;
      this.inFlight++;
      void this.run(batch).finally(() => {
        this.inFlight--;
        for (const e of batch) this.busyKeys.delete(e.key);
        this.schedule();
        if (this.queue.length === 0 && this.inFlight === 0) for (const resolve of this.idle.splice(0)) resolve();
      });
    }
  }

  /** The oldest items whose key is free, one per key, in queue order; the rest keep their places. */
  private take(): Entry<I, O>[] {
    const batch: Entry<I, O>[] = [];
    const rest: Entry<I, O>[] = [];
    for (const e of this.queue) {
      // busyKeys holds the keys in flight and those already taken: a later item of theirs waits.
      if (batch.length < this.maxItems && !this.busyKeys.has(e.key)) {
        this.busyKeys.add(e.key);
        batch.push(e);
      } else rest.push(e);
    }
    this.queue = rest;
    return batch;
  }

  private async run(batch: Entry<I, O>[]): Promise<void> {
    if (batch.length === 1) {
      this.opts.onBatch?.(1, false);
      const [e] = batch as [Entry<I, O>];
      await this.opts.runOne(e.item).then(e.resolve, e.reject);
      return;
    }
    let results: O[] | undefined;
    try {
      results = await this.opts.runBatch(batch.map((e) => e.item));
    } catch {
      // Nothing of it was stored: each item again on its own, so only the bad one fails.
    }
    this.opts.onBatch?.(batch.length, results === undefined);
    if (results) {
      batch.forEach((e, k) => e.resolve(results[k]!));
      return;
    }
    await Promise.all(batch.map((e) => this.opts.runOne(e.item).then(e.resolve, e.reject)));
  }
}
