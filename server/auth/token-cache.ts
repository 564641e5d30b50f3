import type { ApiToken } from '../../db/repositories/tokens.ts';

/**
 * Active API tokens by hash, kept for a few seconds so a busy station's
 * requests do not each cost a token query (issue 5 benchmark). Each entry
 * holds the role as the creator may use it at the time it was read (the
 * lesser of the token's and the creator's). Revoking a token, or changing,
 * disabling or deleting its creator, in this process forgets it at once;
 * another process (scale-out) sees the change within `ttlMs`. Only found tokens are kept, so a wrong token
 * always goes to the database. Last-used stamps are written at most once per
 * `touchEveryMs` per token instead of on every request.
 */
export class TokenCache {
  private readonly entries = new Map<string, { token: ApiToken; until: number }>();
  private readonly touched = new Map<number, number>();
  /**
   * Bumped by every forget: a look-up that started before a revocation (and
   * may have read the token before it committed) must not store what it read.
   */
  private generation = 0;
  constructor(
    readonly ttlMs = 5_000,
    readonly touchEveryMs = 60_000,
    private readonly maxEntries = 10_000,
  ) {}

  get(hash: string, now: number): ApiToken | undefined {
    const e = this.entries.get(hash);
    if (!e) return undefined;
    if (e.until > now) return e.token;
    this.entries.delete(hash);
    return undefined;
  }

  /** Where a database look-up starts: pass it to `put`. */
  get epoch(): number {
    return this.generation;
  }

  /** Stores a token read from the database, unless something was forgotten since `epoch`. */
  put(hash: string, token: ApiToken, now: number, epoch = this.generation): void {
    if (epoch !== this.generation) return;
    if (this.entries.size >= this.maxEntries) this.entries.clear();
    this.entries.set(hash, { token, until: now + this.ttlMs });
  }

  /** True when the token's last-used stamp is due for a write. */
  shouldTouch(id: number, now: number): boolean {
    const last = this.touched.get(id);
    if (last !== undefined && now - last < this.touchEveryMs) return false;
    if (this.touched.size >= this.maxEntries) this.touched.clear();
    this.touched.set(id, now);
    return true;
  }

  /** Called when a token is revoked in this process. */
  forget(id: number): void {
    this.generation++;
    for (const [hash, e] of this.entries) if (e.token.id === id) this.entries.delete(hash);
  }

  /** Called when a user's role changes or the user is disabled or deleted in this process. */
  forgetCreatedBy(userId: number): void {
    this.generation++;
    for (const [hash, e] of this.entries) if (e.token.createdBy === userId) this.entries.delete(hash);
  }
}
