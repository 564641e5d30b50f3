import type { Clock } from '../clock.ts';

/**
 * Every authentication refusal (OCPP handshake, dashboard login) is answered
 * no earlier than this long after the attempt began, whichever way it was
 * reached: unknown id or user, wrong secret (scrypt run or cached hash),
 * no secret, a rejected charger, a throttled pair or address. Without it the
 * time of a refusal tells which ids exist (a cached hash answered a mismatch
 * in ~6 ms against ~200 ms of scrypt for an unknown id) and whether a
 * throttle is holding. One second is above the scrypt time seen under heavy
 * load (≈ 500 ms on two busy cores), so the floor, not the work, sets the
 * answer time; a charger retries in seconds and a person does not notice.
 * Successes are not held.
 */
export const REFUSAL_FLOOR_MS = 1_000;

export type Sleep = (ms: number) => Promise<void>;
export const realSleep: Sleep = (ms) => new Promise<void>((r) => setTimeout(r, ms).unref());

export class RefusalFloor {
  constructor(
    private readonly clock: Clock,
    private readonly sleep: Sleep = realSleep,
    readonly floorMs = REFUSAL_FLOOR_MS,
  ) {}

  /** When an attempt began (the injected clock, so tests see the same wait on every path). */
  start(): number {
    return this.clock.now().getTime();
  }

  /**
   * Waits until `floorMs` after `startedAt`. Clamped to [0, floorMs]: a wall
   * clock stepped backwards cannot make a refusal wait longer than the floor.
   */
  async hold(startedAt: number): Promise<void> {
    const wait = Math.min(this.floorMs, Math.max(0, startedAt + this.floorMs - this.clock.now().getTime()));
    if (wait > 0) await this.sleep(wait);
  }
}
