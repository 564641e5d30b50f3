import { randomBytes, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from 'node:crypto';

/**
 * Passwords and charger secrets are stored with scrypt, a memory-hard KDF
 * built into Node (no native addon to build on the site's machine).
 * Parameters travel with the hash so they can be raised later.
 * N=2^15, r=8 costs 32 MiB and ~50 ms per check on this class of machine.
 */
const N = 1 << 15;
const R = 8;
const P = 1;
const KEYLEN = 32;

function scrypt(secret: string, salt: Buffer, keylen: number, opts: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scryptCb(secret, salt, keylen, opts, (err, key) => (err ? reject(err) : resolve(key))),
  );
}

export async function hashSecret(secret: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scrypt(secret, salt, KEYLEN, { N, r: R, p: P, maxmem: 128 * N * R * 2 });
  return `scrypt$${N}$${R}$${P}$${salt.toString('base64url')}$${key.toString('base64url')}`;
}

export async function verifySecret(secret: string, stored: string): Promise<boolean> {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [n, r, p] = [Number(parts[1]), Number(parts[2]), Number(parts[3])];
  const salt = Buffer.from(parts[4]!, 'base64url');
  const expected = Buffer.from(parts[5]!, 'base64url');
  const key = await scrypt(secret, salt, expected.length, { N: n, r, p, maxmem: 128 * n * r * 2 });
  return timingSafeEqual(key, expected);
}

/**
 * A hash in the stored format, with the same parameters, that no presented
 * secret matches: random bytes stand in for the salt and the key, so nothing
 * derives to it. Checking a secret against it costs exactly one scrypt, like
 * a wrong secret against a real hash, so refusing an unknown user or charger
 * id takes what refusing a known one takes (and there is no first-call hash
 * to build: the first unknown id costs what every later one costs).
 */
let unmatchable: string | undefined;
export function unmatchableHash(): string {
  unmatchable ??= `scrypt$${N}$${R}$${P}$${randomBytes(16).toString('base64url')}$${randomBytes(KEYLEN).toString('base64url')}`;
  return unmatchable;
}
