import { performance } from 'node:perf_hooks';
import type { FastifyInstance } from 'fastify';
import type { LoadSnapshot } from '../../contracts/load.ts';
import { snapshotContent } from './snapshot.ts';

/**
 * Publishes `load.changed` (docs/LOAD.md "Visible") when the snapshot's
 * content changed, at most once per `everyMs` of real time (a rate, not an
 * instant of the site, so not the injected clock): a change within the
 * interval goes out at its end, the latest content only.
 */
export class SnapshotPublisher {
  private published = '';
  private publishedAt = -Infinity;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  current: LoadSnapshot | undefined;

  constructor(
    private readonly app: FastifyInstance,
    private readonly everyMs: number,
  ) {}

  update(snapshot: LoadSnapshot): void {
    this.current = snapshot;
    if (this.timer || this.stopped || snapshotContent(snapshot) === this.published) return;
    const wait = this.publishedAt + this.everyMs - performance.now();
    if (wait <= 0) return this.publish();
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.publish();
    }, wait);
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  private publish(): void {
    const snap = this.current;
    if (!snap || this.stopped) return;
    const content = snapshotContent(snap);
    if (content === this.published) return;
    this.published = content;
    this.publishedAt = performance.now();
    this.app.events.publish({ type: 'load.changed', at: snap.at, load: snap });
  }
}
