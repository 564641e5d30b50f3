import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Database } from '../../../db/client.ts';
import { createRepositories } from '../../../db/repositories/index.ts';
import { makeFastCheck } from '../../../server/auth/fast-secret-check.ts';
import { hashSecret } from '../../../server/auth/password.ts';
import { createTestDatabase, engineName } from '../../helpers/db.ts';
import { scrape } from '../../helpers/metrics.ts';
import { BOOT, SECRET, chargePoint, createOcppTestApp, type OcppTestApp } from '../../helpers/ocpp.ts';

const CHARGERS = 200;
/** Four sites behind their own NAT address, 50 chargers each: under the per-address cap of 64 pending handshakes. */
const ADDRESSES = ['127.0.0.2', '127.0.0.3', '127.0.0.4', '127.0.0.5'];
const ids = Array.from({ length: CHARGERS }, (_, i) => `STORM-${String(i).padStart(3, '0')}`);

/**
 * A small reconnect storm, for correctness (bench/ocpp/storm/ measures the
 * big one): every charger of a site that was connected before a restart
 * reconnects at once to a fresh process and runs a rebooting charger's
 * sequence. All get in, none through scrypt, every message is stored.
 */
describe(`a reconnect storm of ${CHARGERS} chargers after a restart on ${engineName}`, () => {
  let database: Database;
  let t: OcppTestApp;
  before(async () => {
    database = await createTestDatabase();
    // The site before the restart: registered chargers, each with the fast check its last handshake stored.
    const repos = createRepositories(database.db);
    const secretHash = await hashSecret(SECRET);
    const at = new Date('2026-03-15T07:00:00Z');
    for (const id of ids) {
      await repos.chargers.create({ id, secretHash }, at);
      await repos.chargers.recordSecretCheck(id, secretHash, makeFastCheck(SECRET, secretHash));
    }
    t = await createOcppTestApp({ database });
  });
  after(async () => {
    await t.close();
    await database.close();
  });

  it('every charger is accepted and its boot, statuses and heartbeat are stored, without scrypt or a timeout', async () => {
    const answers = await Promise.all(
      ids.map(async (id, i) => {
        const cp = chargePoint(t, id, SECRET, { wsOpts: { localAddress: ADDRESSES[i % ADDRESSES.length] } });
        await cp.connect();
        const boot = (await cp.call('BootNotification', { ...BOOT, chargePointSerialNumber: id })) as {
          status: string;
        };
        await cp.call('StatusNotification', { connectorId: 0, errorCode: 'NoError', status: 'Available' });
        await cp.call('StatusNotification', { connectorId: 1, errorCode: 'NoError', status: 'Available' });
        await cp.call('Heartbeat', {});
        return boot.status;
      }),
    );
    assert.deepEqual(new Set(answers), new Set(['Accepted']));
    assert.equal(t.app.ocpp.secrets.scryptChecks, 0, 'every secret passed its stored fast check');
    assert.equal(t.app.ocpp.secrets.fastChecks, CHARGERS);

    await t.app.ocpp.seen.flush(); // the heartbeats' times are kept in memory (server/ocpp/seen-buffer.ts)
    const rows = await t.app.repos.chargers.list();
    const stormed = rows.filter((r) => r.id.startsWith('STORM-'));
    assert.equal(stormed.length, CHARGERS);
    for (const r of stormed) {
      assert.equal(r.online, true, r.id);
      assert.equal(r.state, 'Available', r.id);
      assert.equal(r.lastCommand, 'Heartbeat', r.id);
      assert.equal(r.serialNumber, r.id, 'each boot stored its own charger');
      assert.equal(r.lastBootAt?.toISOString(), t.clock.now().toISOString());
    }
    assert.equal(
      (await t.app.repos.chargers.allConnectors()).filter(
        (c) => c.chargerId.startsWith('STORM-') && c.status === 'Available',
      ).length,
      CHARGERS * 2,
    );

    // Group commit did its work: fewer batches than writes (the exact split depends on timing).
    const metrics = await scrape(t);
    const count = (batch: string) =>
      Number(new RegExp(`^ocpp_write_batch_size_count\\{batch="${batch}"\\} (\\d+)`, 'm').exec(metrics)?.[1]);
    const sum = (batch: string) =>
      Number(new RegExp(`^ocpp_write_batch_size_sum\\{batch="${batch}"\\} (\\d+)`, 'm').exec(metrics)?.[1]);
    // The heartbeat is not among them: it is kept in memory and flushed (server/ocpp/seen-buffer.ts).
    assert.equal(sum('live'), CHARGERS * 4, 'connect, boot and two statuses per charger');
    assert.ok(count('live') < sum('live'), `${count('live')} batches for ${sum('live')} writes`);
    assert.equal(sum('admission'), CHARGERS);
    assert.doesNotMatch(metrics, /^ocpp_write_batch_splits_total\{[^}]*\} [1-9]/m, 'no batch failed');
    assert.doesNotMatch(
      metrics,
      /^websocket_handshakes_refused_total\{[^}]*\} [1-9]/m,
      'no handshake refused or timed out',
    );
  });
});
