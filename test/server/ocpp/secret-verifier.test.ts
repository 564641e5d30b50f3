import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import pino from 'pino';
import type { Database } from '../../../db/client.ts';
import { createRepositories, type Repositories } from '../../../db/repositories/index.ts';
import { makeFastCheck } from '../../../server/auth/fast-secret-check.ts';
import { hashSecret } from '../../../server/auth/password.ts';
import { ScryptGate } from '../../../server/auth/scrypt-gate.ts';
import { SecretVerifier } from '../../../server/ocpp/secret-verifier.ts';
import { createTestDatabase, engineName } from '../../helpers/db.ts';

const SECRET = 'a-random-charger-key-0123';

/** The verifier over the real charger rows, with a scrypt gate of one slot and no waiting. */
describe(`secret verifier with a full scrypt queue on ${engineName}`, () => {
  let database: Database;
  let repos: Repositories;
  before(async () => {
    database = await createTestDatabase();
    repos = createRepositories(database.db);
    const hash = await hashSecret(SECRET);
    await repos.chargers.create({ id: 'CP-COLD', secretHash: hash }, new Date());
    await repos.chargers.create({ id: 'CP-WARM', secretHash: hash }, new Date());
    await repos.chargers.recordSecretCheck('CP-WARM', hash, makeFastCheck(SECRET, hash));
  });
  after(() => database.close());

  const row = async (id: string) => (await repos.chargers.admissionRows([id]))[0];

  it('a handshake that needs scrypt while none can start is busy, with nothing checked; a stored check still answers', async () => {
    const verifier = new SecretVerifier(
      repos.chargers,
      pino({ level: 'silent' }),
      undefined,
      new ScryptGate({ concurrency: 1, maxWaitMs: 0 }),
    );
    const first = verifier.verify(SECRET, await row('CP-COLD')); // takes the one slot
    assert.equal(
      await verifier.verify('wrong-secret-000000', await row('CP-COLD')),
      'busy',
      'a wrong secret cannot be judged now',
    );
    assert.equal(await verifier.verify(SECRET, undefined), 'busy', 'nor an unknown id: busy tells nothing about ids');
    assert.equal(await verifier.verify(SECRET, await row('CP-WARM')), 'ok', 'a charger with its check needs no slot');
    assert.equal(await first, 'ok');
    assert.equal(verifier.scryptChecks, 1, 'busy ran no scrypt');
    assert.match((await row('CP-COLD'))!.secretCheck!, /^hmac-sha256\$/, 'the first success stored its check');
    assert.equal(await verifier.verify(SECRET, await row('CP-COLD')), 'ok');
    assert.equal(verifier.scryptChecks, 1);
  });
});
