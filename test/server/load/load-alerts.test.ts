import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { LOAD_ALERT_KINDS, LOAD_ALERT_SEVERITY } from '../../../contracts/load-alerts.ts';
import { ManualClock } from '../../../server/clock.ts';
import { createAlertEpisodes, raiseLoadAlert } from '../../../server/load/load-alerts.ts';
import { createTestApp, type TestApp } from '../../helpers/app.ts';
import { engineName } from '../../helpers/db.ts';

describe(`load alerts, on ${engineName}`, () => {
  let t: TestApp;
  let clock: ManualClock;
  let viewer: Record<string, string>;
  before(async () => {
    clock = new ManualClock('2026-03-15T08:00:00Z');
    t = await createTestApp({ clock });
    viewer = await t.as('viewer');
    const reg = await t.app.inject({
      method: 'POST',
      url: '/api/chargers',
      headers: await t.as('admin'),
      payload: { id: 'CP-REJ', secret: 'charger-secret-1' },
    });
    assert.equal(reg.statusCode, 201, reg.body);
  });
  after(() => t.close());

  const listed = async () => {
    const res = await t.app.inject({ url: '/api/alerts?pageSize=200', headers: viewer });
    assert.equal(res.statusCode, 200, res.body);
    return res.json().items as {
      kind: string;
      severity: string;
      chargerId: string | null;
      at: string;
      message: string;
      details: Record<string, unknown>;
    }[];
  };

  it('each kind is raised at its severity, stamped by the clock, and GET /api/alerts answers it with its kind', async () => {
    for (const kind of LOAD_ALERT_KINDS) {
      const row = await raiseLoadAlert(t.app, {
        kind,
        message: `a ${kind}`,
        details: { n: 1 },
        dedupKey: 'site:A@once',
      });
      assert.ok(row, kind);
    }
    const items = await listed();
    for (const kind of LOAD_ALERT_KINDS) {
      const item = items.find((a) => a.kind === kind);
      assert.ok(item, `${kind} listed`);
      assert.equal(item.severity, LOAD_ALERT_SEVERITY[kind]);
      assert.equal(item.at, '2026-03-15T08:00:00.000Z');
      assert.deepEqual(item.details, { n: 1 });
    }
    assert.deepEqual(Object.values(LOAD_ALERT_SEVERITY), ['critical', 'warning', 'warning', 'critical', 'warning']);
  });

  it('the same dedup key raises once per kind; the same key under another kind is another alert', async () => {
    const first = await raiseLoadAlert(t.app, {
      kind: 'load.overcommitted',
      message: 'm',
      details: {},
      dedupKey: 'circuit:3:B@x',
    });
    const again = await raiseLoadAlert(t.app, {
      kind: 'load.overcommitted',
      message: 'm',
      details: {},
      dedupKey: 'circuit:3:B@x',
    });
    const other = await raiseLoadAlert(t.app, {
      kind: 'load.failsafe-too-much',
      message: 'm',
      details: {},
      dedupKey: 'circuit:3:B@x',
    });
    assert.ok(first);
    assert.equal(again, undefined);
    assert.ok(other);
  });

  it('episodes: raising while a condition holds writes once; ended and raised again (even at the same instant) is a new alert', async () => {
    const episodes = createAlertEpisodes(t.app);
    const count = async () =>
      (await listed()).filter((a) => a.kind === 'load.profile-rejected' && a.chargerId === 'CP-REJ').length;
    const rejected = {
      kind: 'load.profile-rejected' as const,
      subject: 'charger:CP-REJ',
      chargerId: 'CP-REJ',
      message: 'CP-REJ rejected its TxProfile',
      details: { status: 'Rejected' },
    };
    assert.ok(await episodes.raise(rejected));
    clock.advance(1_000);
    assert.equal(await episodes.raise(rejected), undefined, 'the same episode');
    assert.equal(await count(), 1);
    assert.deepEqual(episodes.subjects('load.profile-rejected'), ['charger:CP-REJ']);
    assert.deepEqual(episodes.subjects('load.overcommitted'), []);

    episodes.end('load.profile-rejected', 'charger:CP-REJ');
    assert.ok(await episodes.raise(rejected), 'a new episode');
    episodes.end('load.profile-rejected', 'charger:CP-REJ');
    assert.ok(await episodes.raise(rejected), 'another one begun within the same millisecond');
    assert.equal(await count(), 3);
  });
});
