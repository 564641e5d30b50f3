import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ManualClock } from '../../../server/clock.ts';
import { TRIGGER_WINDOW_MS } from '../../../server/ocpp/trigger-window.ts';
import { NOREPLY, type RPCClient } from '../../../server/ocpp/rpc.ts';
import { RedisEventBus } from '../../../server/events/redis-bus.ts';
import { RedisCommandRouter } from '../../../server/ocpp/redis-router.ts';
import { engineName } from '../../helpers/db.ts';
import { BOOT, callError, chargePoint, createOcppTestApp, type OcppTestApp } from '../../helpers/ocpp.ts';
import { INJECT_ORIGIN } from '../../helpers/app.ts';

const status = (connectorId: number) => ({ connectorId, errorCode: 'NoError', status: 'Available' });

/** An auto-registered charger, connected and booted: Pending (OCPP 1.6 §4.2). */
async function pendingCharger(t: OcppTestApp, id: string): Promise<RPCClient> {
  const cp = chargePoint(t, id, 'tofu-secret-1');
  await cp.connect();
  const boot = (await cp.call('BootNotification', BOOT)) as { status: string };
  assert.equal(boot.status, 'Pending');
  return cp;
}

/**
 * Answers TriggerMessage with `answer` and, as a real charger does (OCPP 1.6
 * §5.17), sends the requested messages right behind its TriggerMessage.conf;
 * `sent` resolves with what the Central System answered each of them.
 */
function answerTriggers(
  cp: RPCClient,
  answer: 'Accepted' | 'Rejected',
  messages: [string, unknown][],
): Promise<unknown[]> {
  return new Promise((resolve) => {
    cp.handle('TriggerMessage', async () => {
      setImmediate(() => {
        const answers = messages.map(([action, payload]) =>
          cp.call(action, payload).catch((err: { rpcErrorCode?: string }) => `CALLERROR ${err.rpcErrorCode}`),
        );
        void Promise.all(answers).then(resolve);
      });
      return { status: answer };
    });
  });
}

describe(`a Pending charger sends what the Central System triggered, on ${engineName}`, () => {
  let t: OcppTestApp;
  let operator: Record<string, string>;
  before(async () => {
    t = await createOcppTestApp({ config: { ocppAutoRegister: true } });
    operator = await t.as('operator');
  });
  after(() => t.close());

  const command = (charger: string, action: string, payload: unknown) =>
    t.app.inject({
      method: 'POST',
      url: `/api/chargers/${charger}/commands/${action}`,
      headers: operator,
      payload: payload as object,
    });
  const stored = async (charger: string) => (await t.app.repos.chargers.connectors(charger)).map((c) => c.connectorId);

  it('a triggered StatusNotification for one connector is accepted and stored once; other messages stay refused', async () => {
    const cp = await pendingCharger(t, 'CP-PEND-1');
    assert.equal(await callError(cp.call('StatusNotification', status(1))), 'SecurityError', 'untriggered');
    const sent = answerTriggers(cp, 'Accepted', [['StatusNotification', status(1)]]);
    const res = await command('CP-PEND-1', 'TriggerMessage', {
      requestedMessage: 'StatusNotification',
      connectorId: 1,
    });
    assert.equal(res.statusCode, 200, res.body);
    assert.deepEqual(res.json().response, { status: 'Accepted' });
    assert.deepEqual(await sent, [{}]);
    assert.deepEqual(await stored('CP-PEND-1'), [1]);
    // Only what was asked for: another connector, a second one, another message.
    assert.equal(await callError(cp.call('StatusNotification', status(2))), 'SecurityError');
    assert.equal(await callError(cp.call('StatusNotification', status(1))), 'SecurityError');
    assert.equal(
      await callError(
        cp.call('MeterValues', {
          connectorId: 1,
          meterValue: [{ timestamp: t.clock.now().toISOString(), sampledValue: [{ value: '1' }] }],
        }),
      ),
      'SecurityError',
    );
    assert.equal((await t.app.repos.chargers.get('CP-PEND-1'))!.registration, 'Pending');
  });

  it('the triggered message is admitted even when it arrives in the same read as the TriggerMessage.conf', async () => {
    const cp = await pendingCharger(t, 'CP-PEND-7');
    const answer = new Promise<unknown[]>((resolve) => {
      cp.on('message', (e: { message: string; outbound: boolean }) => {
        if (!e.outbound && /^\[[34],"same-read"/.test(e.message)) resolve(JSON.parse(e.message) as unknown[]);
      });
    });
    cp.handle('TriggerMessage', ({ messageId }: { messageId?: string }) => {
      // Both frames written in one go, before ocpp-rpc's own answer would leave.
      cp.sendRaw(JSON.stringify([3, messageId, { status: 'Accepted' }]));
      cp.sendRaw(JSON.stringify([2, 'same-read', 'StatusNotification', status(1)]));
      return NOREPLY as never;
    });
    assert.equal(
      (await command('CP-PEND-7', 'TriggerMessage', { requestedMessage: 'StatusNotification', connectorId: 1 }))
        .statusCode,
      200,
    );
    assert.deepEqual(await answer, [3, 'same-read', {}]);
    assert.deepEqual(await stored('CP-PEND-7'), [1]);
  });

  it('a trigger without connectorId lets one StatusNotification per connector through until the deadline', async () => {
    const cp = await pendingCharger(t, 'CP-PEND-2');
    const sent = answerTriggers(cp, 'Accepted', [
      ['StatusNotification', status(0)],
      ['StatusNotification', status(1)],
      ['StatusNotification', status(2)],
    ]);
    assert.equal(
      (await command('CP-PEND-2', 'TriggerMessage', { requestedMessage: 'StatusNotification' })).statusCode,
      200,
    );
    assert.deepEqual(await sent, [{}, {}, {}]);
    assert.deepEqual(await stored('CP-PEND-2'), [0, 1, 2]);
    assert.equal(await callError(cp.call('StatusNotification', status(1))), 'SecurityError', 'one per connector');
    assert.equal(await callError(cp.call('Authorize', { idTag: 'GOOD' })), 'SecurityError', 'nothing else');
    (t.clock as ManualClock).advance(TRIGGER_WINDOW_MS - 1);
    assert.deepEqual(
      await cp.call('StatusNotification', status(3)),
      {},
      'a connector not yet heard from, inside the window',
    );
    (t.clock as ManualClock).advance(1);
    assert.equal(await callError(cp.call('StatusNotification', status(4))), 'SecurityError', 'the window has closed');
    assert.deepEqual(await stored('CP-PEND-2'), [0, 1, 2, 3]);
  });

  it('the window closes at its deadline even if the triggered message never came', async () => {
    const cp = await pendingCharger(t, 'CP-PEND-3');
    const sent = answerTriggers(cp, 'Accepted', []);
    assert.equal(
      (await command('CP-PEND-3', 'TriggerMessage', { requestedMessage: 'DiagnosticsStatusNotification' })).statusCode,
      200,
    );
    await sent;
    (t.clock as ManualClock).advance(TRIGGER_WINDOW_MS);
    assert.equal(await callError(cp.call('DiagnosticsStatusNotification', { status: 'Idle' })), 'SecurityError');
  });

  it('a trigger the charger rejected lets nothing through', async () => {
    const cp = await pendingCharger(t, 'CP-PEND-4');
    const sent = answerTriggers(cp, 'Rejected', [['StatusNotification', status(1)]]);
    const res = await command('CP-PEND-4', 'TriggerMessage', {
      requestedMessage: 'StatusNotification',
      connectorId: 1,
    });
    assert.deepEqual(res.json().response, { status: 'Rejected' });
    assert.deepEqual(await sent, ['CALLERROR SecurityError']);
    assert.deepEqual(await stored('CP-PEND-4'), []);
  });

  it('a triggered MeterValues or FirmwareStatusNotification is accepted', async () => {
    const cp = await pendingCharger(t, 'CP-PEND-5');
    const meter = {
      connectorId: 1,
      meterValue: [
        {
          timestamp: t.clock.now().toISOString(),
          sampledValue: [{ value: '1200', measurand: 'Energy.Active.Import.Register', unit: 'Wh' }],
        },
      ],
    };
    let sent = answerTriggers(cp, 'Accepted', [['MeterValues', meter]]);
    assert.equal(
      (await command('CP-PEND-5', 'TriggerMessage', { requestedMessage: 'MeterValues', connectorId: 1 })).statusCode,
      200,
    );
    assert.deepEqual(await sent, [{}]);
    sent = answerTriggers(cp, 'Accepted', [['FirmwareStatusNotification', { status: 'Idle' }]]);
    assert.equal(
      (await command('CP-PEND-5', 'TriggerMessage', { requestedMessage: 'FirmwareStatusNotification' })).statusCode,
      200,
    );
    assert.deepEqual(await sent, [{}]);
    assert.equal(
      await callError(cp.call('FirmwareStatusNotification', { status: 'Idle' })),
      'SecurityError',
      'one FirmwareStatusNotification was asked for',
    );
  });

  it('GetConfiguration and ChangeConfiguration reach a Pending charger (OCPP 1.6 §4.2: the Central System MAY send them)', async () => {
    const cp = await pendingCharger(t, 'CP-PEND-6');
    cp.handle('GetConfiguration', async () => ({
      configurationKey: [{ key: 'HeartbeatInterval', readonly: false, value: '60' }],
    }));
    cp.handle('ChangeConfiguration', async () => ({ status: 'Accepted' }));
    const get = await command('CP-PEND-6', 'GetConfiguration', { key: ['HeartbeatInterval'] });
    assert.equal(get.statusCode, 200, get.body);
    assert.equal(get.json().response.configurationKey[0].value, '60');
    const change = await command('CP-PEND-6', 'ChangeConfiguration', { key: 'HeartbeatInterval', value: '120' });
    assert.equal(change.statusCode, 200, change.body);
    assert.deepEqual(change.json().response, { status: 'Accepted' });
  });
});

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

describe(`scaled out: a trigger sent through another process opens the window where the socket is, on ${engineName}`, () => {
  let a: OcppTestApp;
  let b: OcppTestApp;
  before(async () => {
    a = await createOcppTestApp({
      config: { ocppAutoRegister: true },
      events: await RedisEventBus.connect(REDIS_URL),
      ocppRouter: await RedisCommandRouter.connect(REDIS_URL),
    });
    b = await createOcppTestApp({
      database: a.database,
      clock: a.clock,
      events: await RedisEventBus.connect(REDIS_URL),
      ocppRouter: await RedisCommandRouter.connect(REDIS_URL),
    });
    await a.as('admin');
  });
  after(async () => {
    await b.close();
    await a.close();
  });

  it('TriggerMessage through B to a Pending charger held by A: its StatusNotification is accepted', async () => {
    const id = `PEND${process.pid}`; // charger ids are global in Redis
    const cp = await pendingCharger(a, id);
    const sent = answerTriggers(cp, 'Accepted', [['StatusNotification', status(1)]]);
    const login = await b.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'admin-user', password: 'correct-horse' },
    });
    const cookie = `chargeops_session=${login.cookies.find((c) => c.name === 'chargeops_session')!.value}`;
    const res = await b.app.inject({
      method: 'POST',
      url: `/api/chargers/${id}/commands/TriggerMessage`,
      headers: { cookie, origin: INJECT_ORIGIN },
      payload: { requestedMessage: 'StatusNotification', connectorId: 1 },
    });
    assert.equal(res.statusCode, 200, res.body);
    assert.deepEqual(await sent, [{}]);
    assert.deepEqual(
      (await a.app.repos.chargers.connectors(id)).map((c) => c.connectorId),
      [1],
    );
  });
});
