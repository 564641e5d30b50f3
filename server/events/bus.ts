import type { ChargerEvent } from '../../contracts/events.ts';

export type EventListener = (event: ChargerEvent) => void;

/**
 * Publish/subscribe for charger events. The in-process bus delivers
 * synchronously to local listeners; a scale-out bus (Redis) has the same
 * surface and also delivers events published by other processes.
 */
export interface EventBus {
  publish(event: ChargerEvent): void;
  subscribe(listener: EventListener): () => void;
  /**
   * Only the events this process published: for work that must be done once
   * per event on the site (raising an alert), not once per process.
   */
  subscribeOwn(listener: EventListener): () => void;
  close(): Promise<void>;
}

export class LocalEventBus implements EventBus {
  private listeners = new Set<EventListener>();

  publish(event: ChargerEvent): void {
    for (const l of this.listeners) {
      // A failing subscriber must not stop delivery to the others or reach the publisher.
      try {
        l(event);
      } catch {
        /* the subscriber's own concern */
      }
    }
  }

  subscribe(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Every event of an in-process bus is this process's own. */
  subscribeOwn(listener: EventListener): () => void {
    return this.subscribe(listener);
  }

  async close(): Promise<void> {
    this.listeners.clear();
  }
}
