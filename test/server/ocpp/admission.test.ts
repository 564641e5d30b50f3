import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ManualClock } from '../../../server/clock.ts';
import { engineName } from '../../helpers/db.ts';
import {
  BOOT,
  SECRET,
  callError,
  chargePoint,
  createOcppTestApp,
  nextEvent,
  registerCharger,
  type OcppTestApp,
} from '../../helpers/ocpp.ts';

async function refused(p: Promise<unknown>): Promise<number> {
  try {
    await p;
  } catch (err) {
    return (err as { code?: number }).code ?? -1;
  }
  return 0;
}

describe(`OCPP admission on ${engineName}`, () => {
  let t: OcppTestApp;
  before(async () => {
    // Refusals are held to a 1 s floor (auth/refusal-floor.ts); here the sleep returns at once.
    t = await createOcppTestApp({ config: { ocppAutoRegister: false }, sleep: async () => undefined });
    await registerCharger(t, 'CP-A');
  });
  after(() => t.close());

  it('a registered charger with its secret is accepted and marked online', async () => {
    const connected = nextEvent(t, (e) => e.type === 'connected' && e.chargerId === 'CP-A');
    const cp = chargePoint(t, 'CP-A');
    await cp.connect();
    assert.equal(cp.protocol, 'ocpp1.6');
    await connected;
    const res = await t.app.inject({ url: '/api/chargers/CP-A', headers: await t.as('viewer') });
    assert.equal(res.json().connected, true);
    assert.equal(res.json().online, true);
    await cp.close();
  });

  it('a wrong secret, no secret and an unknown id are refused with 401', async () => {
    assert.equal(await refused(chargePoint(t, 'CP-A', 'wrong-secret').connect()), 401);
    assert.equal(await refused(chargePoint(t, 'CP-A', null).connect()), 401);
    assert.equal(await refused(chargePoint(t, 'CP-NOBODY').connect()), 401);
    assert.equal(await t.app.repos.chargers.get('CP-NOBODY'), undefined);
  });

  it('an unknown id with a secret pays a scrypt like a wrong secret, so timing does not tell which ids exist', async () => {
    const before = t.app.ocpp.secrets.scryptChecks;
    assert.equal(await refused(chargePoint(t, 'CP-NOBODY-2').connect()), 401);
    assert.equal(t.app.ocpp.secrets.scryptChecks, before + 1);
  });

  it('after 5 wrong secrets the charger id is backed off from that address without scrypt; others still get in', async () => {
    await registerCharger(t, 'CP-GUESS');
    await registerCharger(t, 'CP-NEIGHBOUR');
    for (let i = 0; i < 5; i++) assert.equal(await refused(chargePoint(t, 'CP-GUESS', `guess-${i}`).connect()), 401);
    const checks = t.app.ocpp.secrets.scryptChecks;
    assert.equal(
      await refused(chargePoint(t, 'CP-GUESS', SECRET).connect()),
      429,
      'even the right secret waits out the back-off',
    );
    assert.equal(t.app.ocpp.secrets.scryptChecks, checks, 'no scrypt ran for the backed-off id');
    const neighbour = chargePoint(t, 'CP-NEIGHBOUR'); // same address, its own secret
    await neighbour.connect();
    await neighbour.close();
    (t.clock as ManualClock).advance(1000);
    const back = chargePoint(t, 'CP-GUESS');
    await back.connect();
    await back.close();
  });

  it('only /ocpp/<id> is the endpoint', async () => {
    const nested = chargePoint(t, 'CP-A');
    nested.reconfigure({ endpoint: `${t.endpoint}/extra` } as never);
    assert.equal(await refused(nested.connect()), 400);
  });

  it('a verified secret is cached: reconnecting does not run scrypt again', async () => {
    const before = t.app.ocpp.secrets.scryptChecks;
    for (let i = 0; i < 3; i++) {
      const cp = chargePoint(t, 'CP-A');
      await cp.connect();
      await cp.close();
    }
    assert.equal(t.app.ocpp.secrets.scryptChecks, before, 'CP-A was verified by the first test');
    // A changed secret has a new hash: the cache cannot let the old one in.
    const res = await t.app.inject({
      method: 'PATCH',
      url: '/api/chargers/CP-A',
      headers: await t.as('admin'),
      payload: { secret: 'a-new-secret-9' },
    });
    assert.equal(res.statusCode, 200);
    assert.equal(await refused(chargePoint(t, 'CP-A').connect()), 401);
    const cp = chargePoint(t, 'CP-A', 'a-new-secret-9');
    await cp.connect();
    await cp.close();
    await t.app.inject({
      method: 'PATCH',
      url: '/api/chargers/CP-A',
      headers: await t.as('admin'),
      payload: { secret: SECRET },
    });
  });

  it('a second connection for the same id replaces the first, which is closed with a reason', async () => {
    const first = chargePoint(t, 'CP-A');
    await first.connect();
    const closed = new Promise<{ code: number; reason: string }>((resolve) => first.once('close', resolve));
    const second = chargePoint(t, 'CP-A');
    await second.connect();
    const { code, reason } = await closed;
    assert.equal(code, 1000);
    assert.equal(reason, 'Replaced by a new connection');
    // The replaced socket's close did not mark the charger offline: the new one is live.
    const hb = (await second.call('Heartbeat', {})) as { currentTime: string };
    assert.equal(hb.currentTime, t.clock.now().toISOString());
    assert.equal(t.app.ocpp.connections.size, 1);
    assert.equal((await t.app.repos.chargers.get('CP-A'))!.online, true);
    const offline = nextEvent(t, (e) => e.type === 'offline' && e.chargerId === 'CP-A');
    await second.close();
    await offline;
    assert.equal((await t.app.repos.chargers.get('CP-A'))!.online, false, 'a disconnect marks offline at once');
  });

  it('a rejected charger is refused at the handshake (403), and cut off when rejected while connected', async () => {
    await registerCharger(t, 'CP-R');
    const cp = chargePoint(t, 'CP-R');
    await cp.connect();
    const closed = new Promise<{ code: number }>((resolve) => cp.once('close', resolve));
    const res = await t.app.inject({
      method: 'PATCH',
      url: '/api/chargers/CP-R',
      headers: await t.as('admin'),
      payload: { registration: 'Rejected' },
    });
    assert.equal(res.json().registration, 'Rejected');
    assert.equal((await closed).code, 1008);
    assert.equal(await refused(chargePoint(t, 'CP-R').connect()), 403);
  });
});

describe(`OCPP auto-registration on ${engineName}`, () => {
  let t: OcppTestApp;
  before(async () => {
    t = await createOcppTestApp({
      config: { ocppAutoRegister: true, ocppHeartbeatInterval: 300 },
      sleep: async () => undefined,
    });
  });
  after(() => t.close());

  it('an unknown charger is created Pending, limited to Boot and Heartbeat, then approved', async () => {
    assert.equal(await refused(chargePoint(t, 'CP-NEW', null).connect()), 401, 'a secret is still required');
    const cp = chargePoint(t, 'CP-NEW', 'tofu-secret-1');
    cp.handle('TriggerMessage', async ({ params }: { params?: Record<string, unknown> }) => {
      setImmediate(() => void cp.call('BootNotification', BOOT).then((r: unknown) => cp.emit('reboot', r)));
      return { status: params?.requestedMessage === 'BootNotification' ? 'Accepted' : 'Rejected' };
    });
    await cp.connect();
    const boot = (await cp.call('BootNotification', BOOT)) as { status: string; interval: number };
    assert.equal(boot.status, 'Pending');
    assert.equal(boot.interval, 60);
    assert.ok(await cp.call('Heartbeat', {}));
    assert.equal(
      await callError(cp.call('StatusNotification', { connectorId: 1, errorCode: 'NoError', status: 'Available' })),
      'SecurityError',
    );
    const listed = await t.app.inject({ url: '/api/chargers', headers: await t.as('viewer') });
    const row = listed.json().find((c: { id: string }) => c.id === 'CP-NEW');
    assert.equal(row.registration, 'Pending');
    assert.equal(row.hasSecret, true);
    assert.equal(row.secretHash, undefined);

    // Approval asks the charger to boot again (TriggerMessage); the new boot is Accepted.
    const reboot = new Promise<{ status: string; interval: number }>((resolve) => cp.once('reboot', resolve));
    const res = await t.app.inject({
      method: 'PATCH',
      url: '/api/chargers/CP-NEW',
      headers: await t.as('admin'),
      payload: { registration: 'Accepted' },
    });
    assert.equal(res.statusCode, 200);
    const again = await reboot;
    assert.equal(again.status, 'Accepted');
    assert.equal(again.interval, 300);
    assert.deepEqual(
      await cp.call('StatusNotification', { connectorId: 1, errorCode: 'NoError', status: 'Available' }),
      {},
    );
    await cp.close();
    // The secret it first presented is now its own.
    assert.equal(await refused(chargePoint(t, 'CP-NEW', 'another-secret').connect()), 401);
  });
});
