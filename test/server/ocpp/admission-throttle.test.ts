import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ManualClock } from '../../../server/clock.ts';
import { engineName } from '../../helpers/db.ts';
import { SECRET, createOcppTestApp, registerCharger, type OcppTestApp } from '../../helpers/ocpp.ts';
import { handshake } from '../../helpers/raw-handshake.ts';

/**
 * Guessing throttle of the OCPP handshake, per (charge point id, address) with
 * exponential back-off and a cap per address, through real handshakes from
 * distinct loopback addresses. Refusals are held to a floor by the injected
 * sleep, which here only records, so the tests never wait.
 */
describe(`OCPP admission throttle on ${engineName}`, () => {
  let t: OcppTestApp;
  const waits: number[] = [];
  const clock = () => t.clock as ManualClock;
  before(async () => {
    t = await createOcppTestApp({ config: { ocppAutoRegister: false }, sleep: async (ms) => void waits.push(ms) });
    for (const id of ['CP-X', 'CP-Y', 'CP-M', 'CP-N1', 'CP-N2']) await registerCharger(t, id);
  });
  after(() => t.close());

  it('an attacker failing 20 times for a charger is backed off exponentially, and only from its own address', async () => {
    const attacker = '127.0.0.2';
    const backoffs: number[] = [];
    let failures = 0;
    while (failures < 20) {
      const status = await handshake(t.endpoint, 'CP-X', `guess-${failures}`, attacker);
      if (status === 401) {
        failures++;
        continue;
      }
      assert.equal(status, 429, `attempt after ${failures} failures`);
      // Find the wait: step the clock a second at a time until the pair is let through.
      let waited = 0;
      while ((await handshake(t.endpoint, 'CP-X', null, attacker)) === 429 && waited <= 900_000) {
        clock().advance(1000);
        waited += 1000;
      }
      backoffs.push(waited);
    }
    // 5 free failures, then 1 s doubling per failure, capped at 15 minutes.
    assert.deepEqual(
      backoffs,
      [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 900, 900, 900, 900, 900].map((s) => s * 1000),
    );
    assert.equal(
      await handshake(t.endpoint, 'CP-X', SECRET, attacker),
      429,
      'even the right secret waits out the back-off from the guessing address',
    );
    assert.equal(
      await handshake(t.endpoint, 'CP-X', SECRET, '127.0.0.3'),
      101,
      'the charger itself, from its own address, is not locked out',
    );
    clock().advance(900_000);
    assert.equal(
      await handshake(t.endpoint, 'CP-X', SECRET, attacker),
      101,
      'after the back-off the right secret gets in and clears the record',
    );
    assert.equal(await handshake(t.endpoint, 'CP-X', 'wrong', attacker), 401);
  });

  it('an address that fails for 20 different ids is refused whatever it asks for, other addresses are not', async () => {
    const sprayer = '127.0.0.4';
    for (let i = 0; i < 20; i++)
      assert.equal(await handshake(t.endpoint, `CP-GUESS-${i}`, 'guess', sprayer), 401, `id ${i}`);
    assert.equal(await handshake(t.endpoint, 'CP-GUESS-20', 'guess', sprayer), 429);
    assert.equal(await handshake(t.endpoint, 'CP-Y', SECRET, sprayer), 429, 'a charger behind that address waits too');
    assert.equal(await handshake(t.endpoint, 'CP-Y', SECRET, '127.0.0.5'), 101);
    clock().advance(15 * 60_000);
    assert.equal(await handshake(t.endpoint, 'CP-Y', SECRET, sprayer), 101, 'the address block ends after 15 minutes');
  });

  it('one misconfigured charger behind a shared NAT address never locks its neighbours out', async () => {
    const site = '127.0.0.6';
    // Hours of a charger retrying with a stale secret, as fast as the back-off lets it.
    let failures = 0;
    for (let step = 0; step < 40; step++) {
      const status = await handshake(t.endpoint, 'CP-M', 'stale-secret', site);
      if (status === 401) failures++;
      else assert.equal(status, 429);
      assert.equal(await handshake(t.endpoint, 'CP-N1', SECRET, site), 101, `neighbour at step ${step}`);
      clock().advance(step < 20 ? 60_000 : 15 * 60_000);
    }
    assert.ok(failures > 20, `the misconfigured charger kept failing (${failures} times) without blocking the address`);
    assert.equal(await handshake(t.endpoint, 'CP-N2', SECRET, site), 101);
  });
});
