import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  FAST_CHECK_MIN_LENGTH,
  fastCheckAllowed,
  makeFastCheck,
  matchesFastCheck,
  unmatchableFastCheck,
} from '../../../server/auth/fast-secret-check.ts';

const SECRET = 'a-random-charger-key-0123';
const HASH = 'scrypt$32768$8$1$c2FsdA$a2V5';

describe('fast secret check', () => {
  it('matches the secret and hash it was made for, and nothing else', () => {
    const check = makeFastCheck(SECRET, HASH);
    assert.match(check, /^hmac-sha256\$[\w-]{22}\$[\w-]{43}$/);
    assert.equal(matchesFastCheck(SECRET, HASH, check), true);
    assert.equal(matchesFastCheck(`${SECRET}x`, HASH, check), false, 'another secret');
    assert.equal(matchesFastCheck(SECRET.slice(0, -1), HASH, check), false, 'a prefix of it');
    // Bound to the hash: a check left beside a changed hash lets nothing in, not even the old secret.
    assert.equal(matchesFastCheck(SECRET, 'scrypt$32768$8$1$b3RoZXI$a2V5', check), false);
  });

  it('each check has its own salt: two chargers with one secret get different checks', () => {
    const a = makeFastCheck(SECRET, HASH);
    const b = makeFastCheck(SECRET, HASH);
    assert.notEqual(a, b);
    assert.equal(matchesFastCheck(SECRET, HASH, a), true);
    assert.equal(matchesFastCheck(SECRET, HASH, b), true);
  });

  it('a missing, malformed or foreign check is no match (never a throw)', () => {
    const check = makeFastCheck(SECRET, HASH);
    for (const bad of [
      null,
      undefined,
      '',
      'hmac-sha256',
      'sha1$abc$def',
      check.replace('hmac-sha256', 'hmac-md5'),
      `${check}$extra`,
      check.slice(0, -4),
      'hmac-sha256$$',
    ]) {
      assert.equal(matchesFastCheck(SECRET, HASH, bad), false, String(bad));
    }
  });

  it('the stand-in check for ids without one is well formed and matches no secret', () => {
    const none = unmatchableFastCheck();
    assert.match(none, /^hmac-sha256\$/);
    for (const s of [SECRET, '', 'x'.repeat(64)]) assert.equal(matchesFastCheck(s, '', none), false);
  });

  it(`only secrets of at least ${FAST_CHECK_MIN_LENGTH} characters get a check`, () => {
    assert.equal(fastCheckAllowed('x'.repeat(FAST_CHECK_MIN_LENGTH)), true);
    assert.equal(fastCheckAllowed('x'.repeat(FAST_CHECK_MIN_LENGTH - 1)), false);
  });
});
