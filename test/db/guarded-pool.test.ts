import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { openDatabase, type Database } from '../../db/client.ts';
import { isDatabaseOutage } from '../../db/outage.ts';
import { rawRows } from '../../db/raw.ts';
import { createScratchDatabase, type ScratchDatabase } from '../../db/scratch-database.ts';
import { DEFAULT_PG_TIMEOUTS } from '../../db/timeouts.ts';
import { startFreezableProxy, type FreezableProxy } from '../helpers/freezable-proxy.ts';

/** The PostgreSQL pool under a frozen network, and what counts as an outage (always PostgreSQL: PGlite has no network). */
const PG = process.env.TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

describe('the PostgreSQL pool when the network freezes', () => {
  let scratch: ScratchDatabase;
  let proxy: FreezableProxy;
  let database: Database;
  before(async () => {
    scratch = await createScratchDatabase(PG, `chargeops_pool_${process.pid}_${randomBytes(4).toString('hex')}`);
    proxy = await startFreezableProxy(scratch.url);
    // One connection, so the transaction after the stuck one would get the very same connection back.
    database = await openDatabase({
      databaseUrl: proxy.url,
      poolSize: 1,
      timeouts: { ...DEFAULT_PG_TIMEOUTS, queryMs: 500, statementMs: 400 },
    });
    await database.db.execute(sql`create table probe (v text not null)`);
  });
  after(async () => {
    await database?.close();
    await proxy?.close();
    await scratch?.drop();
  });

  it(
    'a query with no answer fails as an outage, and its connection is destroyed, not handed to the next transaction',
    { timeout: 30_000 },
    async () => {
      const stuck = database.db.transaction(async (tx) => {
        proxy.freeze();
        await tx.execute(sql`insert into probe values ('stuck')`);
      });
      await assert.rejects(stuck, (err) => isDatabaseOutage(err));
      proxy.thaw();
      // The same pool slot, next transaction: it must not run inside the stuck one and commit its insert.
      await database.db.transaction(async (tx) => {
        await tx.execute(sql`insert into probe values ('next')`);
      });
      const rows = await rawRows<{ v: string }>(database.db, sql`select v from probe order by v`);
      assert.deepEqual(
        rows.map((r) => r.v),
        ['next'],
      );
      const open = await rawRows<{ n: number }>(
        database.db,
        sql`select count(*)::int as n from pg_stat_activity where datname = current_database() and state like 'idle in transaction%'`,
      );
      assert.equal(open[0]!.n, 0, 'no session left holding the stuck transaction');
    },
  );

  it(
    'after a fail-over the old connection is black-holed for good: the pool opens a new one instead of queueing behind it',
    { timeout: 30_000 },
    async () => {
      const stuck = database.db.transaction(async (tx) => {
        proxy.blackHoleOpen();
        await tx.execute(sql`insert into probe values ('lost')`);
      });
      await assert.rejects(stuck, (err) => isDatabaseOutage(err));
      await database.db.execute(sql`insert into probe values ('after')`);
      const rows = await rawRows<{ v: string }>(database.db, sql`select v from probe where v <> 'next' order by v`);
      assert.deepEqual(
        rows.map((r) => r.v),
        ['after'],
      );
    },
  );

  it('close() finishes while a frozen query still holds a connection', { timeout: 30_000 }, async () => {
    const other = await openDatabase({
      databaseUrl: proxy.url,
      poolSize: 1,
      timeouts: { ...DEFAULT_PG_TIMEOUTS, queryMs: 60_000, statementMs: 50_000 },
    });
    proxy.freeze();
    const held = other.db.execute(sql`select 1`).catch((err: unknown) => err);
    await other.close();
    assert.ok(isDatabaseOutage(await held), 'the frozen query failed as an outage when its connection was destroyed');
    proxy.thaw();
  });
});

describe('what counts as a database outage', () => {
  it(
    'refused connections, administrator shutdown and lost connections do; bad SQL and constraint violations do not',
    { timeout: 30_000 },
    async () => {
      // Connection refused: a port nothing listens on.
      const closed = await startFreezableProxy(PG);
      const refusedUrl = closed.url;
      await closed.refuse();
      const refused = new pg.Client({ connectionString: refusedUrl });
      const refusal = await refused.connect().then(
        () => null,
        (err: unknown) => err,
      );
      assert.ok(isDatabaseOutage(refusal), `ECONNREFUSED: ${String(refusal)}`);

      // 57P01 admin_shutdown: the backend is terminated while it runs a query.
      const victim = new pg.Client({ connectionString: PG });
      victim.on('error', () => {});
      await victim.connect();
      const pid = (await victim.query<{ pid: number }>('select pg_backend_pid() as pid')).rows[0]!.pid;
      const sleeping = victim.query('select pg_sleep(30)').then(
        () => null,
        (err: unknown) => err,
      );
      const admin = new pg.Client({ connectionString: PG });
      await admin.connect();
      try {
        await admin.query('select pg_terminate_backend($1)', [pid]);
        const terminated = (await sleeping) as { code?: string };
        assert.equal(terminated.code, '57P01');
        assert.ok(isDatabaseOutage(terminated));

        const syntax = await admin.query('selec 1').then(
          () => null,
          (err: unknown) => err,
        );
        assert.equal((syntax as { code: string }).code, '42601');
        assert.equal(isDatabaseOutage(syntax), false);
        await admin.query('create temporary table u (k int primary key)');
        await admin.query('insert into u values (1)');
        const dup = await admin.query('insert into u values (1)').then(
          () => null,
          (err: unknown) => err,
        );
        assert.equal((dup as { code: string }).code, '23505');
        assert.equal(isDatabaseOutage(dup), false);
        assert.equal(isDatabaseOutage(new Error('Connection terminated unexpectedly')), false, 'never by message text');
      } finally {
        await admin.end();
        await victim.end().catch(() => {});
      }
    },
  );
});
