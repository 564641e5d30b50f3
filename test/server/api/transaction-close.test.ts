import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ManualClock } from '../../../server/clock.ts';
import type { RPCClient } from '../../../server/ocpp/rpc.ts';
import { engineName } from '../../helpers/db.ts';
import { bootedCharger, createOcppTestApp, nextEvent, type OcppTestApp } from '../../helpers/ocpp.ts';
import { rollupDrift } from '../../helpers/rollups.ts';

const T = (min: number) => new Date(Date.parse('2026-03-15T08:00:00Z') + min * 60_000).toISOString();

describe(`POST /api/transactions/<id>/close on ${engineName}`, () => {
  let t: OcppTestApp;
  let cp: RPCClient;
  let open = 0;
  let second = 0;
  const close = async (id: number, role: 'viewer' | 'operator' | 'admin' | null, payload: unknown = {}) =>
    t.app.inject({
      method: 'POST',
      url: `/api/transactions/${id}/close`,
      headers: role ? await t.as(role) : {},
      payload: payload as object,
    });
  const audits = async () => (await t.app.repos.audit.recent()).filter((a) => a.action === 'transaction.close');

  before(async () => {
    t = await createOcppTestApp();
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/id-tags',
      headers: await t.as('admin'),
      payload: { idTag: 'GOOD' },
    });
    assert.equal(res.statusCode, 201, res.body);
    cp = await bootedCharger(t, 'CP1');
    open = (
      (await cp.call('StartTransaction', { connectorId: 1, idTag: 'GOOD', meterStart: 2000, timestamp: T(0) })) as {
        transactionId: number;
      }
    ).transactionId;
    await cp.call('MeterValues', {
      connectorId: 1,
      transactionId: open,
      meterValue: [{ timestamp: T(10), sampledValue: [{ value: '2800' }] }],
    });
    second = (
      (await cp.call('StartTransaction', { connectorId: 2, idTag: 'NOBODY', meterStart: 0, timestamp: T(1) })) as {
        transactionId: number;
      }
    ).transactionId;
  });
  after(() => t.close());

  it('is for operators and admins only', async () => {
    assert.equal((await close(open, null)).statusCode, 401);
    const res = await close(open, 'viewer');
    assert.equal(res.statusCode, 403);
    assert.equal(res.json().code, 'FORBIDDEN');
    assert.equal((await t.app.repos.transactions.get(open))!.stoppedAt, null, 'nothing changed');
  });

  it('refuses an unknown session and bad bodies, changing nothing', async () => {
    const missing = await close(999_999, 'operator');
    assert.equal(missing.statusCode, 404);
    assert.equal(missing.json().code, 'NOT_FOUND');
    const extra = await close(open, 'operator', { reason: 'x', force: true });
    assert.equal(extra.statusCode, 400, extra.body);
    assert.deepEqual(extra.json().fields, { force: 'is not an accepted field' });
    assert.equal((await close(open, 'operator', { reason: 'x'.repeat(501) })).statusCode, 400);
    assert.equal(
      (
        await t.app.inject({
          method: 'POST',
          url: '/api/transactions/abc/close',
          headers: await t.as('operator'),
          payload: {},
        })
      ).statusCode,
      400,
    );
    assert.equal((await t.app.repos.transactions.get(open))!.stoppedAt, null);
    assert.deepEqual(await audits(), []);
  });

  it('closes an open session with its best meter reading, audited, and publishes the stop', async () => {
    (t.clock as ManualClock).set(T(30));
    const stopped = nextEvent(t, (e) => e.type === 'transaction.stopped' && e.transactionId === open);
    const res = await close(open, 'operator', { reason: 'charger lost the session' });
    assert.equal(res.statusCode, 200, res.body);
    const body = res.json();
    assert.deepEqual(
      [
        body.id,
        body.stoppedAt,
        body.meterStop,
        body.energyKWh,
        body.stopReason,
        body.closeCause,
        body.closeNote,
        body.startStatus,
      ],
      [open, '2026-03-15 16:30:00', 2800, 0.8, 'Other', 'operator', 'charger lost the session', 'Accepted'],
    );
    assert.deepEqual(((await stopped) as { cause: string }).cause, 'operator');
    const [entry, ...more] = await audits();
    assert.equal(more.length, 0);
    assert.equal(entry!.actor, 'user:operator-user');
    assert.equal(entry!.at.toISOString(), T(30));
    assert.equal(entry!.target, `transaction:${open}`);
    assert.equal((entry!.before as { stoppedAt: string | null }).stoppedAt, null);
    // The audit keeps the session's own fields; the plausibility review and signed-reading count are the list's additions.
    const itemOnly = [
      'chargerStartedAt',
      'chargerStoppedAt',
      'meterAnomaly',
      'anomalyReasons',
      'energyReview',
      'signedReadings',
    ];
    assert.deepEqual(
      entry!.after,
      Object.fromEntries(Object.entries(body as Record<string, unknown>).filter(([k]) => !itemOnly.includes(k))),
    );
    assert.deepEqual(await rollupDrift(t.database.db, t.app.config.siteTz), []);
    const c = (await t.app.repos.chargers.get('CP1'))!;
    assert.deepEqual([c.energyWhTotal, c.minutesTotal], [800, 30]);
  });

  it('is idempotent: a repeat answers the closed session again and audits nothing more', async () => {
    (t.clock as ManualClock).set(T(45));
    const res = await close(open, 'admin', { reason: 'again' });
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.json().stoppedAt, '2026-03-15 16:30:00');
    assert.equal(res.json().closeNote, 'charger lost the session');
    assert.equal((await audits()).length, 1);
    assert.deepEqual(await rollupDrift(t.database.db, t.app.config.siteTz), [], 'counted once');
  });

  it("the charger's late StopTransaction replaces the operator's close; closing it then is a coded 409", async () => {
    await cp.call('StopTransaction', {
      transactionId: open,
      meterStop: 3000,
      timestamp: T(25),
      reason: 'EVDisconnected',
    });
    const tx = (await t.app.repos.transactions.get(open))!;
    assert.deepEqual([tx.energyWh, tx.closeCause, tx.stopReason], [1000, 'charger', 'EVDisconnected']);
    assert.deepEqual(await rollupDrift(t.database.db, t.app.config.siteTz), []);
    const res = await close(open, 'operator');
    assert.equal(res.statusCode, 409);
    assert.equal(res.json().code, 'TRANSACTION_STOPPED_BY_CHARGER');
    assert.equal((await t.app.repos.transactions.get(open))!.energyWh, 1000, 'unchanged');
  });

  it('an admin closes a deauthorized session without a body', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/transactions/${second}/close`,
      headers: await t.as('admin'),
    });
    assert.equal(res.statusCode, 200, res.body);
    assert.deepEqual(
      [res.json().startStatus, res.json().closeCause, res.json().closeNote],
      ['Invalid', 'operator', null],
    );
    assert.equal((await audits())[0]!.actor, 'user:admin-user');
  });
});
