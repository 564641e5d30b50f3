import assert from 'node:assert/strict';
import { once } from 'node:events';
import { after, before, describe, it } from 'node:test';
import { RedisEventBus } from '../../../server/events/redis-bus.ts';
import { RedisCommandRouter } from '../../../server/ocpp/redis-router.ts';
import { createRPCError } from '../../../server/ocpp/rpc.ts';
import { engineName } from '../../helpers/db.ts';
import { INJECT_ORIGIN } from '../../helpers/app.ts';
import { BOOT, bootedCharger, chargePoint, createOcppTestApp, type OcppTestApp } from '../../helpers/ocpp.ts';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
// Charger ids are global in Redis: keep this run's apart from any other.
const id = (n: number) => `SCALE${process.pid}${n}`;

/** Two processes of one site (docs/PRODUCT.md §2): one database, one Redis, a charger connected to either. */
describe(`commands reach a charger held by another process, through Redis, on ${engineName}`, () => {
  let a: OcppTestApp;
  let b: OcppTestApp;
  let operatorB: Record<string, string>;
  let adminB: Record<string, string>;
  before(async () => {
    a = await createOcppTestApp({
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
    operatorB = await b.as('operator');
    // The admin user exists already (shared database): log in to B with it.
    const login = await b.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'admin-user', password: 'correct-horse' },
    });
    adminB = {
      cookie: `chargeops_session=${login.cookies.find((c) => c.name === 'chargeops_session')!.value}`,
      origin: INJECT_ORIGIN,
    };
  });
  after(async () => {
    await b.close();
    await a.close();
  });

  const command = (charger: string, action: string, payload: unknown) =>
    b.app.inject({
      method: 'POST',
      url: `/api/chargers/${charger}/commands/${action}`,
      headers: operatorB,
      payload: payload as object,
    });

  it('a command sent through B reaches the charger connected to A, and B answers with its response', async () => {
    const cp = await bootedCharger(a, id(1));
    cp.handle('GetConfiguration', async () => ({
      configurationKey: [{ key: 'HeartbeatInterval', readonly: false, value: '300' }],
    }));
    const res = await command(id(1), 'GetConfiguration', { key: ['HeartbeatInterval'] });
    assert.equal(res.statusCode, 200, res.body);
    assert.deepEqual(res.json().response, {
      configurationKey: [{ key: 'HeartbeatInterval', readonly: false, value: '300' }],
    });
    const view = (await b.app.inject({ url: `/api/chargers/${id(1)}`, headers: operatorB })).json();
    assert.equal(view.connected, true, 'B shows the charger connected, though A holds it');
  });

  it("the charger's CALLERROR comes back through B as 502 with its code; a charger held nowhere is 409", async () => {
    const cp = await bootedCharger(a, id(2));
    cp.handle('Reset', async () => {
      throw createRPCError('NotSupported', 'no resets here');
    });
    const res = await command(id(2), 'Reset', { type: 'Soft' });
    assert.equal(res.statusCode, 502, res.body);
    assert.equal(res.json().details.errorCode, 'NotSupported');

    const reg = await a.app.inject({
      method: 'POST',
      url: '/api/chargers',
      headers: await a.as('admin'),
      payload: { id: id(3), secret: 'charger-secret-1' },
    });
    assert.equal(reg.statusCode, 201);
    assert.equal((await command(id(3), 'Reset', { type: 'Soft' })).statusCode, 409);
  });

  it('a charger reconnecting to B takes over: A closes its old socket and commands go to the new one', async () => {
    const first = await bootedCharger(a, id(4));
    const closed = once(first, 'close');
    const second = chargePoint(b, id(4));
    await second.connect();
    await second.call('BootNotification', BOOT);
    await closed;
    second.handle('GetConfiguration', async () => ({ configurationKey: [], unknownKey: ['Nope'] }));
    const res = await a.app.inject({
      method: 'POST',
      url: `/api/chargers/${id(4)}/commands/GetConfiguration`,
      headers: await a.as('admin'),
      payload: { key: ['Nope'] },
    });
    assert.equal(res.statusCode, 200, res.body);
    assert.deepEqual(res.json().response.unknownKey, ['Nope']);
  });

  it('removing the charger through B closes its socket on A', async () => {
    const cp = await bootedCharger(a, id(5));
    const closed = once(cp, 'close');
    assert.equal(
      (await b.app.inject({ method: 'DELETE', url: `/api/chargers/${id(5)}`, headers: adminB })).statusCode,
      204,
    );
    await closed;
  });
});
