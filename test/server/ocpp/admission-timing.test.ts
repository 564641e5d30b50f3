import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { engineName } from '../../helpers/db.ts';
import { SECRET, createOcppTestApp, registerCharger, type OcppTestApp } from '../../helpers/ocpp.ts';
import { handshake, handshakeAnswer } from '../../helpers/raw-handshake.ts';

/**
 * Every refusal of a well-formed handshake is answered at one floor from the
 * handshake's start, whichever way it was reached, so its timing tells
 * nothing about which ids exist. The injected sleep records the wait the
 * floor asks for; the manual clock does not move while a handshake runs, so
 * each refusal must ask for the whole floor (1 s) and a success for nothing.
 * The wall-clock figures are in bench/ocpp/admission-timing.ts.
 */
describe(`OCPP refusal timing on ${engineName}`, () => {
  let t: OcppTestApp;
  const waits: number[] = [];
  const waitsOf = async (run: () => Promise<number>, expected: number) => {
    waits.length = 0;
    assert.equal(await run(), expected);
    return [...waits];
  };
  before(async () => {
    t = await createOcppTestApp({ config: { ocppAutoRegister: false }, sleep: async (ms) => void waits.push(ms) });
    await registerCharger(t, 'CP-SEEN');
    await registerCharger(t, 'CP-FRESH');
    await registerCharger(t, 'CP-REJ');
    await t.app.inject({
      method: 'PATCH',
      url: '/api/chargers/CP-REJ',
      headers: await t.as('admin'),
      payload: { registration: 'Rejected' },
    });
    assert.equal(await handshake(t.endpoint, 'CP-SEEN', SECRET), 101, 'CP-SEEN is now in the verified-secret cache');
  });
  after(() => t.close());

  it('unknown id, wrong secret (cached or not), no secret and a rejected charger all wait the same floor; a success waits nothing', async () => {
    const paths: Record<string, [() => Promise<number>, number]> = {
      'unknown id': [() => handshake(t.endpoint, 'CP-NOBODY', 'guess'), 401],
      'known id, wrong secret, hash cached': [() => handshake(t.endpoint, 'CP-SEEN', 'guess'), 401],
      'known id, wrong secret, not cached': [() => handshake(t.endpoint, 'CP-FRESH', 'guess'), 401],
      'known id, no secret': [() => handshake(t.endpoint, 'CP-SEEN', null), 401],
      'unknown id, no secret': [() => handshake(t.endpoint, 'CP-NOBODY', null), 401],
      'rejected charger, right secret': [() => handshake(t.endpoint, 'CP-REJ', SECRET), 403],
      'rejected charger, wrong secret': [() => handshake(t.endpoint, 'CP-REJ', 'guess'), 401],
    };
    for (const [name, [run, status]] of Object.entries(paths))
      assert.deepEqual(await waitsOf(run, status), [1000], name);
    assert.deepEqual(await waitsOf(() => handshake(t.endpoint, 'CP-SEEN', SECRET), 101), [], 'a success is not held');
  });

  it('a throttled (locked-out) id waits the same floor', async () => {
    for (let i = 0; i < 5; i++) assert.equal(await handshake(t.endpoint, 'CP-FRESH', `guess-${i}`, '127.0.0.9'), 401);
    assert.deepEqual(await waitsOf(() => handshake(t.endpoint, 'CP-FRESH', SECRET, '127.0.0.9'), 429), [1000]);
    assert.deepEqual(await waitsOf(() => handshake(t.endpoint, 'CP-NOBODY', 'guess', '127.0.0.9'), 401), [1000]);
  });

  it('a wrong secret for a cached id still runs scrypt, a cached right secret does not', async () => {
    const before = t.app.ocpp.secrets.scryptChecks;
    assert.equal(await handshake(t.endpoint, 'CP-SEEN', 'another-guess'), 401);
    assert.equal(t.app.ocpp.secrets.scryptChecks, before + 1, 'the mismatch was not answered from the cache alone');
    assert.equal(await handshake(t.endpoint, 'CP-SEEN', SECRET), 101);
    assert.equal(t.app.ocpp.secrets.scryptChecks, before + 1, 'the reconnect was answered from the cache');
  });

  it('an unknown id and a wrong secret get the same answer text', async () => {
    const unknown = await handshakeAnswer(t.endpoint, 'CP-NOBODY-3', 'guess');
    const wrong = await handshakeAnswer(t.endpoint, 'CP-SEEN', 'guess');
    assert.deepEqual(unknown, wrong);
    assert.deepEqual(
      await handshakeAnswer(t.endpoint, 'CP-NOBODY-3', null),
      await handshakeAnswer(t.endpoint, 'CP-SEEN', null),
    );
  });
});
