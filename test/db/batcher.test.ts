import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'drizzle-orm';
import { Batcher } from '../../db/batcher.ts';
import type { Database } from '../../db/client.ts';
import type { LiveResult, LiveWrite } from '../../db/repositories/charger-live.ts';
import { createRepositories, type Repositories } from '../../db/repositories/index.ts';
import { sqlState } from '../../db/sql-state.ts';
import { createTestDatabase, engineName } from '../helpers/db.ts';

const AT = new Date('2026-03-15T08:00:00Z');
const status = (chargerId: string, s: string, connectorId = 1): LiveWrite => ({
  kind: 'status',
  chargerId,
  at: AT,
  status: { connectorId, status: s, errorCode: 'NoError' },
});

/**
 * Group commit (db/batcher.ts) over the real charger live writes
 * (db/repositories/charger-live.ts) on the real database: what goes
 * together, in which order, and what a failure takes with it.
 */
describe(`group commit of charger writes on ${engineName}`, () => {
  let database: Database;
  let repos: Repositories;
  before(async () => {
    database = await createTestDatabase();
    repos = createRepositories(database.db);
    for (const id of ['CP-1', 'CP-2', 'CP-3', 'CP-LATE']) await repos.chargers.create({ id }, AT);
    // Fails only when the transaction commits (a deferred constraint trigger):
    // a write answered before its COMMIT would look stored when it is not.
    await database.db.execute(
      sql.raw(`
      create function fail_at_commit() returns trigger language plpgsql as $$
      begin raise exception 'refused at commit' using errcode = '40001'; end $$`),
    );
    await database.db.execute(
      sql.raw(`
      create constraint trigger late_refusal after insert or update on connectors deferrable initially deferred
      for each row when (new.charger_id = 'CP-LATE') execute function fail_at_commit()`),
    );
  });
  after(() => database.close());

  const label = (w: LiveWrite) => `${w.chargerId}:${w.kind === 'status' ? w.status.status : w.kind}`;

  /** A batcher over the real repository that records each batch, and when each starts and ends. */
  function batcher(maxConcurrent = 1) {
    const batches: string[][] = [];
    const events: string[] = [];
    const recorded = async <T>(labels: string[], run: () => Promise<T>) => {
      batches.push(labels);
      events.push(`start ${labels.join(',')}`);
      try {
        return await run();
      } finally {
        events.push(`end ${labels.join(',')}`);
      }
    };
    const b = new Batcher<LiveWrite, LiveResult>({
      key: (w) => w.chargerId,
      runBatch: (ws) => recorded(ws.map(label), () => repos.chargerLive.apply(ws)),
      runOne: (w) => recorded([label(w)], async () => (await repos.chargerLive.apply([w]))[0]!),
      maxConcurrent,
    });
    return { b, batches, events };
  }

  it('writes submitted together are one batch, each answered with its own row', async () => {
    const { b, batches } = batcher();
    const [one, two, three] = await Promise.all([
      b.submit(status('CP-1', 'Available')),
      b.submit({
        kind: 'boot',
        chargerId: 'CP-2',
        at: AT,
        info: { vendor: 'v', model: 'm' },
        interval: { accepted: 300, pending: 60 },
      }),
      b.submit({ kind: 'seen', chargerId: 'CP-3', at: AT, action: 'Heartbeat' }),
    ]);
    assert.deepEqual(batches, [['CP-1:Available', 'CP-2:boot', 'CP-3:seen']]);
    assert.equal(one.state, 'Available');
    assert.equal(two.state, 'BootUp');
    assert.equal(two.heartbeatInterval, 300);
    assert.equal(three.found, true);
    assert.equal((await repos.chargers.get('CP-3'))!.lastCommand, 'Heartbeat');
    assert.equal((await repos.chargers.connectors('CP-1'))[0]!.status, 'Available');
  });

  for (const concurrent of [1, 4]) {
    it(`one charger's writes keep their order (${concurrent} batch${concurrent > 1 ? 'es' : ''} in flight)`, async () => {
      const { b, batches, events } = batcher(concurrent);
      const done: string[] = [];
      const track = (label: string, p: Promise<LiveResult>) => p.then((r) => void done.push(`${label}=${r.state}`));
      await Promise.all([
        track('CP-1 Preparing', b.submit(status('CP-1', 'Preparing'))),
        track('CP-2 Charging', b.submit(status('CP-2', 'Charging'))),
        track('CP-1 Charging', b.submit(status('CP-1', 'Charging'))),
        track('CP-1 Finishing', b.submit(status('CP-1', 'Finishing'))),
      ]);
      // A later write of CP-1 never shares a batch with an earlier one, and starts only once that one has committed.
      assert.deepEqual(batches, [['CP-1:Preparing', 'CP-2:Charging'], ['CP-1:Charging'], ['CP-1:Finishing']]);
      assert.deepEqual(events, [
        'start CP-1:Preparing,CP-2:Charging',
        'end CP-1:Preparing,CP-2:Charging',
        'start CP-1:Charging',
        'end CP-1:Charging',
        'start CP-1:Finishing',
        'end CP-1:Finishing',
      ]);
      assert.deepEqual(
        done.filter((d) => d.startsWith('CP-1')),
        ['CP-1 Preparing=Preparing', 'CP-1 Charging=Charging', 'CP-1 Finishing=Finishing'],
      );
      assert.equal((await repos.chargers.get('CP-1'))!.state, 'Finishing');
    });
  }

  it('a batch with a bad write is retried write by write: only that one fails, with its own SQLSTATE', async () => {
    const { b, batches } = batcher();
    const results = await Promise.allSettled([
      b.submit(status('CP-1', 'Unavailable')),
      b.submit(status('CP-GONE', 'Available')),
      b.submit(status('CP-2', 'Unavailable')),
    ]);
    assert.deepEqual(batches, [
      ['CP-1:Unavailable', 'CP-GONE:Available', 'CP-2:Unavailable'],
      ['CP-1:Unavailable'],
      ['CP-GONE:Available'],
      ['CP-2:Unavailable'],
    ]);
    assert.equal(results[0].status, 'fulfilled');
    assert.equal(results[2].status, 'fulfilled');
    assert.equal(results[1].status, 'rejected');
    assert.equal(
      sqlState((results[1] as PromiseRejectedResult).reason),
      '23503',
      'the connector of a charger that does not exist breaks the foreign key',
    );
    assert.equal((await repos.chargers.get('CP-1'))!.state, 'Unavailable');
    assert.equal((await repos.chargers.get('CP-2'))!.state, 'Unavailable');
  });

  it('nothing is answered before its commit: a write refused at COMMIT is a failure, and its batch mates are stored', async () => {
    const { b, batches } = batcher();
    const results = await Promise.allSettled([
      b.submit(status('CP-LATE', 'Faulted')),
      b.submit({ kind: 'connected', chargerId: 'CP-3', at: AT }),
      b.submit(status('CP-1', 'Available')),
    ]);
    assert.equal(batches.length, 4, 'the batch failed at its commit and each write went alone');
    assert.equal(results[0].status, 'rejected', 'its statement ran, its commit did not: no answer but a failure');
    assert.equal(sqlState((results[0] as PromiseRejectedResult).reason), '40001');
    assert.equal(results[1].status, 'fulfilled');
    assert.equal(results[2].status, 'fulfilled');
    assert.equal((await repos.chargers.connectors('CP-LATE')).length, 0, 'nothing of it was stored');
    assert.equal((await repos.chargers.get('CP-LATE'))!.state, null);
    assert.equal((await repos.chargers.get('CP-1'))!.state, 'Available');
  });

  it('a boot, and an Available connector, are told which connectors still have an open session', async () => {
    await repos.transactions.start({ chargerId: 'CP-2', connectorId: 1, idTag: 'TAG', meterStart: 0, startedAt: AT });
    const { b } = batcher();
    const [boot, available, other] = await Promise.all([
      b.submit({ kind: 'boot', chargerId: 'CP-2', at: AT, info: { vendor: 'v', model: 'm' } }),
      b.submit(status('CP-1', 'Available')),
      b.submit(status('CP-3', 'Available', 0)),
    ]);
    assert.deepEqual(boot.openConnectors, [1]);
    assert.deepEqual(available.openConnectors, []);
    assert.deepEqual(other.openConnectors, [], 'connector 0 is the charge point itself: no session to close');
  });
});

describe('group commit window', () => {
  const turn = () => new Promise<void>((r) => setImmediate(r));

  function recorder(opts: { windowMs: number; maxItems?: number }) {
    const batches: number[][] = [];
    const b = new Batcher<number, number>({
      key: (n) => String(n),
      runBatch: async (ns) => {
        batches.push(ns);
        return ns.map((n) => n * 10);
      },
      runOne: async (n) => {
        batches.push([n]);
        return n * 10;
      },
      ...opts,
    });
    return { b, batches };
  }

  it('the first item waits for the window; a full batch goes at once', async () => {
    const { b, batches } = recorder({ windowMs: 60_000, maxItems: 2 });
    const first = b.submit(1);
    await turn();
    await turn();
    assert.deepEqual(batches, [], 'held for the window');
    const second = b.submit(2);
    assert.deepEqual(await Promise.all([first, second]), [10, 20]);
    assert.deepEqual(batches, [[1, 2]]);
    assert.equal(b.queued, 0);
  });

  it('without a window, what is submitted in one turn of the event loop goes together at its end', async () => {
    const { b, batches } = recorder({ windowMs: 0 });
    const both = Promise.all([b.submit(1), b.submit(2)]);
    await turn();
    const third = b.submit(3);
    assert.deepEqual(await both, [10, 20]);
    assert.equal(await third, 30);
    assert.deepEqual(batches, [[1, 2], [3]]);
    await b.settled();
  });
});
