import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TokenCache } from '../../../server/auth/token-cache.ts';

const token = { id: 7, name: 'station', role: 'operator' as const, prefix: 'co_abcd', createdBy: null, createdAt: new Date(0), lastUsedAt: null, revokedAt: null };

describe('TokenCache keeps a found token for a bounded time', () => {
  it('answers within the TTL, not after it, and not after forget (revocation in this process)', () => {
    const c = new TokenCache(5_000, 60_000);
    c.put('h', token, 1_000);
    assert.equal(c.get('h', 5_999)?.id, 7);
    assert.equal(c.get('h', 6_000), undefined, 'a token revoked elsewhere stops working within the TTL');
    c.put('h', token, 10_000);
    c.forget(7);
    assert.equal(c.get('h', 10_001), undefined);
  });

  it('stamps last-used at most once per interval per token', () => {
    const c = new TokenCache(5_000, 60_000);
    assert.equal(c.shouldTouch(7, 0), true);
    assert.equal(c.shouldTouch(7, 59_999), false);
    assert.equal(c.shouldTouch(8, 1), true);
    assert.equal(c.shouldTouch(7, 60_000), true);
  });
});
