import { createHash, randomBytes } from 'node:crypto';

/**
 * Session cookies and API tokens are 256-bit random values; only their SHA-256
 * is stored, which is enough for values with that much entropy (no KDF needed).
 */
export function newOpaqueToken(prefix: string): string {
  return `${prefix}${randomBytes(32).toString('base64url')}`;
}

export function sha256(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}
