import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TokenCache } from '../../../server/auth/token-cache.ts';

const token = {
  id: 7,
  name: 'station',
  role: 'operator' as const,
  prefix: 'co_abcd',
  createdBy: null,
  createdAt: new Date(0),
  lastUsedAt: null,
  revokedAt: null,
};

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

  it('forgets the tokens of a changed creator, and never stores a look-up that raced a revocation', () => {
    const c = new TokenCache(5_000, 60_000);
    c.put('h', { ...token, createdBy: 3 }, 0);
    c.put('k', { ...token, id: 8, createdBy: 4 }, 0);
    c.forgetCreatedBy(3);
    assert.equal(c.get('h', 1), undefined);
    assert.equal(c.get('k', 1)?.id, 8);
    const epoch = c.epoch; // a look-up starts, reads the token ...
    c.forget(99); // ... a revocation commits meanwhile ...
    c.put('h', { ...token, createdBy: 3 }, 2, epoch); // ... and its answer is not kept
    assert.equal(c.get('h', 3), undefined);
  });

  it('stamps last-used at most once per interval per token', () => {
    const c = new TokenCache(5_000, 60_000);
    assert.equal(c.shouldTouch(7, 0), true);
    assert.equal(c.shouldTouch(7, 59_999), false);
    assert.equal(c.shouldTouch(8, 1), true);
    assert.equal(c.shouldTouch(7, 60_000), true);
  });
});
