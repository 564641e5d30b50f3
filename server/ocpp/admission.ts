import type { FastifyInstance } from 'fastify';
import { clientAddress, proxyTrust } from '../auth/client-address.ts';
import { FailureThrottle } from '../auth/failure-throttle.ts';
import { hashSecret } from '../auth/password.ts';
import type { AdmissionRow } from '../../db/repositories/chargers.ts';
import type { RegistrationState } from '../../db/schema/index.ts';
import type { SecretVerifier } from './secret-verifier.ts';

export interface Handshake {
  identity: string;
  password?: Buffer | undefined;
  protocols: Set<string>;
  /** The path before the identity: only /ocpp/<id> is the OCPP endpoint (docs/PRODUCT.md §2). */
  endpoint: string;
  remoteAddress?: string;
  headers?: Record<string, string | string[] | undefined>;
}
export interface OcppSession {
  chargerId: string;
  registration: RegistrationState;
}
type Accept = (session: OcppSession, protocol: string) => void;
type Reject = (code: number, message: string) => void;

/** chargePointIdentity is a CiString25 in BootNotification's world; we allow a little more, never a path. */
export const IDENTITY = /^[A-Za-z0-9._:-]{1,64}$/;

/**
 * The WebSocket handshake gate (OCPP 1.6 security profile 1, docs/PRODUCT.md §5): HTTP
 * Basic auth with the charger's own secret. Unknown ids are refused (401)
 * unless auto-registration is on; then the charger is created Pending with
 * the secret it presented (trust on first use) and waits for an operator.
 * A rejected charger that proves its secret is told so (403).
 *
 * Nothing in a refusal tells which ids exist: an unknown id, a known id with
 * a wrong secret and a charger without a secret get the same 401 text; a
 * wrong secret and an unknown id each run one scrypt; and every refusal of a
 * well-formed request (401, 403, 429) is answered at the same floor from the
 * handshake's start (auth/refusal-floor.ts). Malformed requests (subprotocol,
 * path) are refused at once: that answer is the same for every id.
 * Guessing is throttled per (id, address) with exponential back-off and
 * capped per address (auth/failure-throttle.ts explains the numbers for
 * chargers sharing a NAT address); unknown ids are throttled exactly like
 * known ones, or a 429 would tell them apart. A success is never held: a
 * secret with a stored fast check answers in microseconds (secret-verifier.ts),
 * after a restart too, and the row comes from a batched look-up, so a
 * reconnect storm costs one query per batch of handshakes, not one each.
 * A handshake that needs scrypt while the scrypt queue is full is answered
 * 503 at once (the handshake cap in plugins/upgrades.ts says 503 with
 * Retry-After; ocpp-rpc's refusal carries no headers, so the wait is in the
 * text): the charger backs off and returns instead of timing out in a queue.
 */
export function createAdmission(
  app: FastifyInstance,
  verifier: SecretVerifier,
  lookup: (id: string) => Promise<AdmissionRow | undefined>,
) {
  const throttle = new FailureThrottle(app.clock);
  const floor = app.refusalFloor;
  const trusted = proxyTrust(app.config.trustProxy);
  return async (accept: Accept, reject: Reject, handshake: Handshake): Promise<void> => {
    const started = floor.start();
    const id = handshake.identity;
    const from = clientAddress(handshake.remoteAddress, handshake.headers?.['x-forwarded-for'], trusted);
    const refuse = async (code: number, message: string) => {
      await floor.hold(started);
      reject(code, message);
    };
    try {
      if (!handshake.protocols.has('ocpp1.6')) return reject(400, 'Subprotocol ocpp1.6 required');
      if (handshake.endpoint !== '/ocpp' || !IDENTITY.test(id)) return reject(400, 'Expected /ocpp/<chargePointId>');
      const verdict = throttle.check(id, from);
      if (!verdict.allowed) return await refuse(429, 'Too many failed attempts; try later');
      const secret = handshake.password?.toString('utf8');
      if (!secret) return await refuse(401, 'HTTP Basic authentication required');
      let charger: AdmissionRow | undefined = await lookup(id);
      if (!charger && app.config.ocppAutoRegister) {
        const at = app.clock.now();
        const created = await app.repos.chargers.create(
          { id, registration: 'Pending', secretHash: await hashSecret(secret) },
          at,
        );
        if (created)
          await app.repos.audit.record({
            at,
            actor: `charger:${id}`,
            action: 'charger.autoregister',
            target: `charger:${id}`,
            after: { registration: 'Pending', from },
          });
        charger = created ?? (await app.repos.chargers.admissionRows([id]))[0]; // lost a race with its own second handshake
        if (!charger) return reject(503, 'Try again');
      }
      // Unknown ids and chargers registered without a secret check against a
      // hash nothing matches: the same one scrypt a wrong secret costs.
      const checked = await verifier.verify(secret, charger);
      // Not a refusal of these credentials (nothing was checked): no throttle count, no floor.
      if (checked === 'busy') return reject(503, 'Server busy checking secrets; try again in 10 s');
      if (!charger || checked === 'wrong') {
        throttle.fail(id, from);
        return await refuse(401, 'Wrong charge point credentials');
      }
      throttle.succeed(id, from);
      if (charger.registration === 'Rejected') return await refuse(403, 'Charge point rejected');
      accept({ chargerId: id, registration: charger.registration }, 'ocpp1.6');
    } catch (err) {
      app.log.error({ err, chargerId: id }, 'ocpp admission failed');
      reject(503, 'Service unavailable');
    }
  };
}
