import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { openRedisPair } from '../redis-pair.ts';
import { LocalEventBus, type EventBus, type EventListener } from './bus.ts';
import type { ChargerEvent } from '../../contracts/events.ts';

const CHANNEL = 'chargeops:events';

/**
 * Scale-out event bus (docs/PRODUCT.md §2): every process delivers its own events locally
 * at once and publishes them on one Redis channel; events from other processes
 * arrive through the subscription. The origin id keeps a process from
 * delivering its own events twice.
 */
export class RedisEventBus implements EventBus {
  private local = new LocalEventBus();
  private own = new LocalEventBus();
  private readonly origin = randomUUID();
  private constructor(
    private pub: Redis,
    private sub: Redis,
  ) {}

  static async connect(url: string, onError: (err: Error) => void = () => {}): Promise<RedisEventBus> {
    const { pub, sub } = await openRedisPair(url, onError);
    const bus = new RedisEventBus(pub, sub);
    sub.on('message', (_channel: string, message: string) => bus.receive(message));
    await sub.subscribe(CHANNEL);
    return bus;
  }

  private receive(message: string): void {
    let parsed: { origin: string; event: ChargerEvent };
    try {
      parsed = JSON.parse(message);
    } catch {
      return; // not ours
    }
    if (parsed.origin !== this.origin && parsed.event) this.local.publish(parsed.event);
  }

  publish(event: ChargerEvent): void {
    this.local.publish(event);
    this.own.publish(event);
    // Fan-out is best effort: a Redis hiccup must not fail the charger's call.
    this.pub.publish(CHANNEL, JSON.stringify({ origin: this.origin, event })).catch(() => {});
  }

  subscribe(listener: EventListener): () => void {
    return this.local.subscribe(listener);
  }

  subscribeOwn(listener: EventListener): () => void {
    return this.own.subscribe(listener);
  }

  async close(): Promise<void> {
    await this.local.close();
    await this.own.close();
    this.sub.disconnect();
    await this.pub.quit().catch(() => this.pub.disconnect());
  }
}
