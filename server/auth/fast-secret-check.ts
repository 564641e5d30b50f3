import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * A charger's fast secret check: stored beside its scrypt hash after the
 * first handshake whose secret passed scrypt, so that every later handshake,
 * after a restart too, costs one HMAC-SHA256 (microseconds) instead of one
 * scrypt (~50 ms and 32 MiB). A reconnect storm of 10,000 chargers is ten
 * minutes of scrypt on two cores; with this it is nothing.
 *
 * Format `hmac-sha256$<salt>$<mac>`: MAC = HMAC-SHA256(key = a random
 * per-charger salt, data = the scrypt hash ‖ NUL ‖ the secret). The salt
 * makes each charger's check its own (no table of precomputed guesses
 * serves two chargers); the scrypt hash in the data binds the check to it,
 * so a check left behind by a writer that changed the hash without
 * clearing it (the repository clears it in the same statement) can never
 * match the new secret.
 *
 * The trade-off. A check only ever lets in a secret that scrypt accepted
 * before, and a mismatch still pays the full scrypt, so on the wire nothing
 * changes: no faster guessing, and a wrong secret for a known id costs what
 * an unknown id costs (auth/refusal-floor.ts answers both at the same
 * floor anyway). What changes is a stolen database (or backup): guesses at
 * a charger's secret can be tested at SHA-256 speed (~10^10 per second on a
 * GPU) instead of scrypt's (~10^3). That matters only for a guessable
 * secret, so the check is kept only for secrets of at least
 * FAST_CHECK_MIN_LENGTH characters: the OCPP 1.6 Security Whitepaper makes
 * the AuthorizationKey a random key of at least 16 bytes, and 16 random
 * characters from the Basic-auth alphabet (≥ 64 symbols, 96 bits) stay out
 * of reach at any speed. A shorter secret (the API allows 8) keeps paying
 * scrypt at every handshake. And whoever reads the database already has
 * every registration, session and reading: keeping it and its backups
 * private is what protects a site anyway (docs/OPERATIONS.md "Charger
 * secrets and reconnect storms").
 */
export const FAST_CHECK_MIN_LENGTH = 16;
const PREFIX = 'hmac-sha256';
const SALT_BYTES = 16;

function mac(salt: Buffer, storedHash: string, secret: string): Buffer {
  return createHmac('sha256', salt).update(storedHash).update('\0').update(secret).digest();
}

/** Whether a secret that passed scrypt may be given a fast check (long enough to be out of brute-force reach). */
export function fastCheckAllowed(secret: string): boolean {
  return secret.length >= FAST_CHECK_MIN_LENGTH;
}

/** A new check for `secret` (which has just passed scrypt against `storedHash`). */
export function makeFastCheck(secret: string, storedHash: string, salt: Buffer = randomBytes(SALT_BYTES)): string {
  return `${PREFIX}$${salt.toString('base64url')}$${mac(salt, storedHash, secret).toString('base64url')}`;
}

/** True only when `check` was made for this secret and this hash; a missing or malformed check is false. */
export function matchesFastCheck(secret: string, storedHash: string, check: string | null | undefined): boolean {
  const parts = (check ?? '').split('$');
  if (parts.length !== 3 || parts[0] !== PREFIX) return false;
  const salt = Buffer.from(parts[1]!, 'base64url');
  const expected = Buffer.from(parts[2]!, 'base64url');
  const actual = mac(salt, storedHash, secret);
  return salt.length === SALT_BYTES && expected.length === actual.length && timingSafeEqual(actual, expected);
}

/**
 * A well-formed check nothing matches, for ids without one (unknown ids
 * included): computing against it costs what a real check costs, so the
 * work before the scrypt is the same on every path.
 */
const NOTHING = makeFastCheck(randomBytes(32).toString('base64url'), '');
export function unmatchableFastCheck(): string {
  return NOTHING;
}
