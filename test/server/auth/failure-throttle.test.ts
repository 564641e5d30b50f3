import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { addressKey } from '../../../server/auth/client-address.ts';
import { FailureThrottle, GUESSING_POLICY } from '../../../server/auth/failure-throttle.ts';
import { ManualClock } from '../../../server/clock.ts';

describe('FailureThrottle memory stays bounded under a flood', () => {
  it('a flood of distinct identities and addresses never holds more than maxEntries keys of each kind', () => {
    const clock = new ManualClock();
    const throttle = new FailureThrottle(clock, { ...GUESSING_POLICY, maxEntries: 100 });
    for (let i = 0; i < 5_000; i++) throttle.fail(`id-${i}`, `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`);
    assert.deepEqual(throttle.size, { pairs: 100, addresses: 100 });
    // One address spraying identities keeps at most addressIdentities of them, then is blocked.
    for (let i = 0; i < 5_000; i++) throttle.fail(`spray-${i}`, '192.0.2.1');
    assert.equal(throttle.check('anyone', '192.0.2.1').allowed, false);
    assert.ok(throttle.size.pairs <= 100);
  });

  it('evicts the least recently failed, so an active attacker stays remembered', () => {
    const clock = new ManualClock();
    const throttle = new FailureThrottle(clock, { ...GUESSING_POLICY, maxEntries: 10 });
    for (let i = 0; i < 5; i++) throttle.fail('admin', '203.0.113.1');
    assert.equal(throttle.check('admin', '203.0.113.1').allowed, false);
    for (let i = 0; i < 30; i++) {
      throttle.fail(`noise-${i}`, `198.51.100.${i}`);
      throttle.fail('admin', '203.0.113.1'); // still failing: refreshed, never the oldest
    }
    assert.equal(throttle.check('admin', '203.0.113.1').allowed, false);
  });

  it('address keys: IPv4-mapped is IPv4, IPv6 counts by /64', () => {
    assert.equal(addressKey('::ffff:203.0.113.7'), '203.0.113.7');
    assert.equal(addressKey('2001:db8:1:2::1'), addressKey('2001:0db8:0001:0002:ffff:ffff:ffff:ffff'));
    assert.notEqual(addressKey('2001:db8:1:2::1'), addressKey('2001:db8:1:3::1'));
    assert.equal(addressKey('::1'), '0:0:0:0::/64');
    assert.equal(addressKey(undefined), 'unknown');
  });
});
