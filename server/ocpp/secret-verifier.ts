import type { FastifyBaseLogger } from 'fastify';
import type { Counter } from 'prom-client';
import type { AdmissionRow, ChargerRepository } from '../../db/repositories/chargers.ts';
import { fastCheckAllowed, makeFastCheck, matchesFastCheck, unmatchableFastCheck } from '../auth/fast-secret-check.ts';
import { unmatchableHash, verifySecret } from '../auth/password.ts';
import { ScryptGate } from '../auth/scrypt-gate.ts';

/** What the check needs of the charger's row; undefined: no such id. */
export type SecretRow = Pick<AdmissionRow, 'id' | 'secretHash' | 'secretCheck'>;

/**
 * Checks a charger's Basic-auth secret (OCPP 1.6 security profile 1): by its
 * stored fast check when it has one (auth/fast-secret-check.ts: one HMAC, so
 * a reconnect storm after a restart costs microseconds per charger), else by
 * scrypt, storing a fast check after a success.
 *
 * Only a match is answered by the fast check. A mismatch (a wrong secret, or
 * a stale check) pays the full scrypt, as does an id without a check, an id
 * without a secret and an unknown id (against a hash nothing matches): every
 * refusal costs one HMAC and one scrypt, so their timing does not tell which
 * ids exist, and the refusal floor (auth/refusal-floor.ts) hides the rest.
 *
 * 'busy': the check needs scrypt and the scrypt queue is full
 * (auth/scrypt-gate.ts), so nothing was checked and the charger should come
 * back. Only a handshake that needs scrypt can be busy, and every refusal
 * does, so 'busy' tells nothing about an id either.
 */
export type Verdict = 'ok' | 'wrong' | 'busy';

export class SecretVerifier {
  scryptChecks = 0;
  fastChecks = 0;

  constructor(
    private readonly chargers: Pick<ChargerRepository, 'recordSecretCheck'>,
    private readonly log: FastifyBaseLogger,
    private readonly counter?: Counter<'kind'>,
    private readonly gate = new ScryptGate(),
  ) {}

  async verify(secret: string, row: SecretRow | undefined): Promise<Verdict> {
    const hash = row?.secretHash ?? null;
    // One HMAC on every path: against the charger's check, or a stand-in nothing matches.
    if (matchesFastCheck(secret, hash ?? '', (hash && row!.secretCheck) || unmatchableFastCheck())) {
      this.fastChecks++;
      this.counter?.inc({ kind: 'fast' });
      return 'ok';
    }
    const checked = this.gate.run(() => verifySecret(secret, hash ?? unmatchableHash()));
    if (!checked) {
      this.counter?.inc({ kind: 'busy' });
      return 'busy';
    }
    this.scryptChecks++;
    this.counter?.inc({ kind: 'scrypt' });
    const ok = (await checked) && hash !== null;
    if (ok && row && fastCheckAllowed(secret)) {
      // Conditional on the hash just verified: a secret changed meanwhile keeps its cleared check.
      await this.chargers.recordSecretCheck(row.id, hash, makeFastCheck(secret, hash)).catch((err: unknown) => {
        this.log.warn({ err, chargerId: row.id }, 'fast secret check not stored; the next handshake pays scrypt again');
      });
    }
    return ok ? 'ok' : 'wrong';
  }
}
