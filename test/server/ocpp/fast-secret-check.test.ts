import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Database } from '../../../db/client.ts';
import { hashSecret } from '../../../server/auth/password.ts';
import { createTestDatabase, engineName } from '../../helpers/db.ts';
import { SECRET, chargePoint, createOcppTestApp, registerCharger, type OcppTestApp } from '../../helpers/ocpp.ts';

async function refused(p: Promise<unknown>): Promise<number> {
  try {
    await p;
  } catch (err) {
    return (err as { code?: number }).code ?? -1;
  }
  return 0;
}

/** Connects and closes; resolves once the handshake was accepted. */
async function visit(t: OcppTestApp, id: string, secret = SECRET): Promise<void> {
  const cp = chargePoint(t, id, secret);
  await cp.connect();
  await cp.close();
}

const checkOf = async (t: OcppTestApp, id: string) =>
  (await t.app.repos.chargers.admissionRows([id]))[0]?.secretCheck ?? null;

/**
 * The fast secret check (server/auth/fast-secret-check.ts) across a restart:
 * the first app stores it, a second app over the same database, with nothing
 * in memory, is what a restarted process is.
 */
describe(`fast secret check across a restart on ${engineName}`, () => {
  let database: Database;
  let first: OcppTestApp;
  let t: OcppTestApp;
  const sleeps: number[] = [];
  /** The admin's session lives in the database, so it outlives the first process. */
  let admin: Record<string, string>;
  before(async () => {
    database = await createTestDatabase();
    first = await createOcppTestApp({ database, config: { ocppAutoRegister: false }, sleep: async () => undefined });
    admin = await first.as('admin');
    await registerCharger(first, 'CP-A');
    await registerCharger(first, 'CP-B');
  });
  after(async () => {
    await t?.close();
    await first.close();
    await database.close();
  });

  it('the first handshake pays one scrypt and stores the check; after a restart the charger gets in without scrypt', async () => {
    assert.equal(
      await checkOf(first, 'CP-A'),
      null,
      'registration stores no check: only a handshake that passed scrypt does',
    );
    await visit(first, 'CP-A');
    assert.equal(first.app.ocpp.secrets.scryptChecks, 1);
    assert.match((await checkOf(first, 'CP-A'))!, /^hmac-sha256\$/);
    await first.close();

    t = await createOcppTestApp({
      database,
      config: { ocppAutoRegister: false },
      sleep: async (ms) => void sleeps.push(ms),
    });
    await visit(t, 'CP-A');
    await visit(t, 'CP-A');
    assert.equal(t.app.ocpp.secrets.scryptChecks, 0, 'no scrypt after the restart');
    assert.equal(t.app.ocpp.secrets.fastChecks, 2);
  });

  it('a wrong secret for a known id and an unknown id each cost exactly one scrypt and the same refusal floor', async () => {
    const before = t.app.ocpp.secrets.scryptChecks;
    assert.equal(await refused(chargePoint(t, 'CP-A', 'not-the-secret-00').connect()), 401);
    assert.equal(t.app.ocpp.secrets.scryptChecks, before + 1, 'the failed fast check did not answer: scrypt ran');
    assert.equal(await refused(chargePoint(t, 'CP-NOBODY', 'not-the-secret-00').connect()), 401);
    assert.equal(t.app.ocpp.secrets.scryptChecks, before + 2);
    // A charger that has never connected (no check yet) costs the same.
    assert.equal(await refused(chargePoint(t, 'CP-B', 'not-the-secret-00').connect()), 401);
    assert.equal(t.app.ocpp.secrets.scryptChecks, before + 3);
    assert.deepEqual(sleeps, [1000, 1000, 1000], 'every refusal waits out the same floor');
    assert.equal(t.app.ocpp.secrets.fastChecks, 2, 'no refusal was answered by a fast check');
  });

  it('changing the secret clears the check in the same statement: the old secret is refused, the new one pays scrypt once', async () => {
    const res = await t.app.inject({
      method: 'PATCH',
      url: '/api/chargers/CP-A',
      headers: admin,
      payload: { secret: 'a-brand-new-secret-42' },
    });
    assert.equal(res.statusCode, 200);
    assert.equal(await checkOf(t, 'CP-A'), null);
    const before = t.app.ocpp.secrets.scryptChecks;
    assert.equal(await refused(chargePoint(t, 'CP-A').connect()), 401, 'the old secret no longer gets in');
    await visit(t, 'CP-A', 'a-brand-new-secret-42');
    await visit(t, 'CP-A', 'a-brand-new-secret-42');
    assert.equal(
      t.app.ocpp.secrets.scryptChecks,
      before + 2,
      'one for the refusal, one for the new secret; the second visit was fast',
    );
  });

  it('a check made against a hash that changed meanwhile is not stored', async () => {
    const row = (await t.app.repos.chargers.admissionRows(['CP-B']))[0]!;
    await t.app.repos.chargers.update('CP-B', { secretHash: await hashSecret('yet-another-secret-7') }, new Date());
    await t.app.repos.chargers.recordSecretCheck('CP-B', row.secretHash!, 'hmac-sha256$stale$stale');
    assert.equal(await checkOf(t, 'CP-B'), null);
  });

  it('a secret shorter than 16 characters never gets a check: every handshake pays scrypt', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/chargers',
      headers: admin,
      payload: { id: 'CP-SHORT', secret: 'short-8ch' },
    });
    assert.equal(res.statusCode, 201);
    const before = t.app.ocpp.secrets.scryptChecks;
    await visit(t, 'CP-SHORT', 'short-8ch');
    await visit(t, 'CP-SHORT', 'short-8ch');
    assert.equal(t.app.ocpp.secrets.scryptChecks, before + 2);
    assert.equal(await checkOf(t, 'CP-SHORT'), null);
  });
});
