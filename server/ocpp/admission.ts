import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { LoginThrottle } from '../auth/login-throttle.ts';
import { hashSecret, verifySecret } from '../auth/password.ts';
import type { RegistrationState } from '../../db/schema/index.ts';

export interface Handshake {
  identity: string;
  password?: Buffer | undefined;
  protocols: Set<string>;
  /** The path before the identity: only /ocpp/<id> is the OCPP endpoint (SPEC §2). */
  endpoint: string;
  remoteAddress?: string;
}
export interface OcppSession {
  chargerId: string;
  registration: RegistrationState;
}
type Accept = (session: OcppSession, protocol: string) => void;
type Reject = (code: number, message: string) => void;

/** chargePointIdentity is a CiString25 in BootNotification's world; we allow a little more, never a path. */
export const IDENTITY = /^[A-Za-z0-9._:-]{1,64}$/;
const CACHE_MAX = 10_000;

/**
 * Remembers secrets that passed scrypt, so a reconnect storm after a site
 * outage does not cost ~50 ms of scrypt per charger. Keyed by the stored hash:
 * a changed secret has a new hash, so stale entries can never match, and the
 * value is a SHA-256 of the presented secret (never the secret itself). The
 * price: someone who can read this process's memory could test guesses at
 * SHA-256 speed; charger secrets are random keys, so that buys them nothing.
 * Failures are never cached: a wrong secret always pays the full scrypt.
 */
export class VerifiedSecretCache {
  private readonly entries = new Map<string, Buffer>();
  scryptChecks = 0;

  async verify(secret: string, storedHash: string): Promise<boolean> {
    const digest = createHash('sha256').update(secret).digest();
    const known = this.entries.get(storedHash);
    if (known) return timingSafeEqual(known, digest);
    this.scryptChecks++;
    if (!(await verifySecret(secret, storedHash))) return false;
    if (this.entries.size >= CACHE_MAX) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(storedHash, digest);
    return true;
  }
}

/** A hash no presented secret matches, so refusing an unknown id costs what a wrong secret costs. */
let dummyHash: Promise<string> | undefined;
const unmatchable = () => (dummyHash ??= hashSecret(randomBytes(32).toString('hex')));

/**
 * The WebSocket handshake gate (OCPP 1.6 security profile 1, SPEC §5): HTTP
 * Basic auth with the charger's own secret. Unknown ids are refused (401)
 * unless auto-registration is on; then the charger is created Pending with
 * the secret it presented (trust on first use) and waits for an operator.
 * Rejected chargers are refused (403).
 *
 * Guessing is made slow and quiet: an unknown id with a secret runs the same
 * scrypt as a wrong secret (timing does not tell which ids exist), and after
 * 10 failures in 15 minutes a charger id, or for unknown ids the address they
 * come from, is refused with 429 before any scrypt runs. Known ids are not
 * counted by address: a site's chargers often share one NAT address, and one
 * misconfigured charger must not lock out its neighbours.
 */
export function createAdmission(app: FastifyInstance, cache: VerifiedSecretCache) {
  const throttle = new LoginThrottle(app.clock);
  return async (accept: Accept, reject: Reject, handshake: Handshake): Promise<void> => {
    const id = handshake.identity;
    try {
      if (!handshake.protocols.has('ocpp1.6')) return reject(400, 'Subprotocol ocpp1.6 required');
      if (handshake.endpoint !== '/ocpp' || !IDENTITY.test(id)) return reject(400, 'Expected /ocpp/<chargePointId>');
      const secret = handshake.password?.toString('utf8');
      let charger = await app.repos.chargers.get(id);
      if (!charger && !app.config.ocppAutoRegister) {
        const keys = [`unknown-from:${handshake.remoteAddress ?? 'unknown'}`];
        if (throttle.locked(keys)) return reject(429, 'Too many failed attempts; try later');
        if (secret) await cache.verify(secret, await unmatchable());
        throttle.fail(keys);
        return reject(401, 'Unknown charge point');
      }
      if (!charger) {
        if (!secret) return reject(401, 'HTTP Basic authentication required');
        const at = app.clock.now();
        charger = (await app.repos.chargers.create({ id, registration: 'Pending', secretHash: await hashSecret(secret) }, at)) ?? (await app.repos.chargers.get(id));
        if (!charger) return reject(503, 'Try again');
        await app.repos.audit.record({ at, actor: `charger:${id}`, action: 'charger.autoregister', target: `charger:${id}`, after: { registration: 'Pending', from: handshake.remoteAddress } });
      }
      if (charger.registration === 'Rejected') return reject(403, 'Charge point rejected');
      if (!secret || !charger.secretHash) return reject(401, 'HTTP Basic authentication required');
      const keys = [`charger:${id}`];
      if (throttle.locked(keys)) return reject(429, 'Too many failed attempts; try later');
      if (!(await cache.verify(secret, charger.secretHash))) {
        throttle.fail(keys);
        return reject(401, 'Wrong charge point credentials');
      }
      throttle.succeed(keys);
      accept({ chargerId: id, registration: charger.registration }, 'ocpp1.6');
    } catch (err) {
      app.log.error({ err, chargerId: id }, 'ocpp admission failed');
      reject(503, 'Service unavailable');
    }
  };
}
