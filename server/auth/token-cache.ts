import type { ApiToken } from '../../db/repositories/tokens.ts';

/**
 * Active API tokens by hash, kept for a few seconds so a busy station's
 * requests do not each cost a token query (issue 5 benchmark). Revocation in
 * this process forgets the token at once; another process (scale-out) stops
 * accepting it within `ttlMs`. Only found tokens are kept, so a wrong token
 * always goes to the database. Last-used stamps are written at most once per
 * `touchEveryMs` per token instead of on every request.
 */
export class TokenCache {
  private readonly entries = new Map<string, { token: ApiToken; until: number }>();
  private readonly touched = new Map<number, number>();
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

  put(hash: string, token: ApiToken, now: number): void {
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
    for (const [hash, e] of this.entries) if (e.token.id === id) this.entries.delete(hash);
  }
}
