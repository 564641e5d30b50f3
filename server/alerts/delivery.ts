import type { FastifyInstance } from 'fastify';
import { channelState, type AlertChannel, type OutboxEntry } from '../../db/repositories/alerts.ts';

/** After this long failing, a notice is given up on a channel (docs/OPERATIONS.md "Alerts"). */
export const GIVE_UP_MS = 24 * 3600_000;

/** The wait before attempt `attempts + 1`: 1 s, 2 s, 4 s … at most 5 minutes. */
export function backoffMs(attempts: number): number {
  return Math.min(1000 * 2 ** Math.max(0, attempts - 1), 300_000);
}

/** One channel's way of sending a notice: resolves when the receiver took it, throws (why, as its message) when not. */
export interface Channel {
  name: AlertChannel;
  /** Notices attempted per round, in parallel. */
  batch: number;
  /**
   * A taken notice is not taken again before this (another process, or this
   * one after a crash mid-attempt, tries it then): longer than any attempt.
   */
  leaseMs: number;
  send(e: OutboxEntry): Promise<void>;
  /** Why an attempt failed, as stored and logged (never a secret). */
  describe(err: unknown): string;
}

/**
 * Attempts every notice due on `channel` by the injected clock, off the OCPP
 * path: one the receiver took is settled, one it did not is tried again after
 * the back-off, and given up after GIVE_UP_MS. Each channel keeps its own
 * state in the outbox, so one receiver being down neither holds nor repeats
 * another's notices. Resolves with how many were delivered.
 */
export async function deliverDue(app: FastifyInstance, channel: Channel): Promise<number> {
  let delivered = 0;
  for (;;) {
    const now = app.clock.now();
    const taken = await app.repos.alerts.takeDue(channel.name, now, channel.leaseMs, channel.batch);
    const results = await Promise.all(taken.map((e) => attempt(app, channel, e)));
    delivered += results.filter(Boolean).length;
    if (taken.length < channel.batch) return delivered;
  }
}

async function attempt(app: FastifyInstance, channel: Channel, e: OutboxEntry): Promise<boolean> {
  const { entry, alert } = e;
  const repo = app.repos.alerts;
  const attempts = channelState(entry, channel.name).attempts + 1;
  let error: string;
  try {
    await channel.send(e);
    await repo.delivered(channel.name, entry.id, app.clock.now(), attempts);
    return true;
  } catch (err) {
    error = channel.describe(err);
  }
  const now = app.clock.now();
  app.log.warn(
    { alertId: alert.id, deliveryId: entry.id, channel: channel.name, attempts, error },
    `alert ${channel.name} delivery failed`,
  );
  if (now.getTime() - entry.createdAt.getTime() >= GIVE_UP_MS)
    await repo.givenUp(channel.name, entry.id, now, attempts, error);
  else
    await repo.deliveryFailed(channel.name, entry.id, attempts, new Date(now.getTime() + backoffMs(attempts)), error);
  return false;
}
