import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'drizzle-orm';
import { createBulkHistoryRepository } from '../../../db/repositories/bulk-history.ts';
import { createTransactionListRepository, type SortOrder } from '../../../db/repositories/transaction-list.ts';
import { ManualClock } from '../../../server/clock.ts';
import { createTestApp, type TestApp } from '../../helpers/app.ts';
import { chargingFixtures } from '../../helpers/charging-fixtures.ts';
import { engineName } from '../../helpers/db.ts';

const TZ = 'Asia/Shanghai';
const NOW = new Date('2026-03-15T08:00:00Z');
const BULK = 1200;

interface Item {
  id: number;
  chargerId: string;
  idTag: string;
  startedAt: string;
  stoppedAt: string | null;
  energyKWh: number | null;
  minutes: number | null;
  stopReason: string | null;
}
interface Page {
  total: number;
  totalKWh: number;
  next: string | null;
  items: Item[];
}

describe(`the sessions list: filters, sorts, keyset paging, totals, CSV (docs/PRODUCT.md §8) on ${engineName}`, () => {
  let t: TestApp;
  let h: Record<string, string>;
  before(async () => {
    t = await createTestApp({ config: { siteTz: TZ }, clock: new ManualClock(NOW) });
    // Bulk sessions tie often: 170 durations, the same stop reason, 500 id tags.
    const opts = {
      prefix: 'SL',
      chargers: 4,
      sessions: BULK,
      samplesPerSession: 0,
      endAt: new Date('2026-03-01T00:00:00Z'),
      days: 20,
      tz: TZ,
    };
    const bulk = createBulkHistoryRepository(t.database.db);
    await bulk.chargers(opts);
    await bulk.sessions(opts);
    const f = chargingFixtures(t.app.repos, TZ);
    await f.charger('CP-S', { boot: '2026-03-01T00:00:00Z', status: 'Available' });
    // Two sessions with the same start, energy and duration: only the id breaks the tie.
    await f.session('CP-S', '2026-03-14T16:30:00Z', '2026-03-14T17:00:00Z', 1500, { idTag: 'Card-A' });
    await f.session('CP-S', '2026-03-14T16:30:00Z', '2026-03-14T17:00:00Z', 1500, { idTag: 'card-a', meterStart: 1 });
    const local = await f.session('CP-S', '2026-03-14T18:00:00Z', '2026-03-14T19:00:00Z', 2500, { idTag: 'Card-B' });
    await t.database.db.execute(sql`update transactions set stop_reason = 'Local' where id = ${local}`);
    await f.running('CP-S', '2026-03-15T07:00:00Z', { currentA: 10, energyWh: 300 });
    h = await t.as('viewer');
  });
  after(() => t.close());
  const get = (url: string) => t.app.inject({ url, headers: h });
  const json = async (url: string): Promise<Page> => {
    const res = await get(url);
    assert.equal(res.statusCode, 200, `${url}: ${res.body}`);
    return res.json() as Page;
  };
  /** Every row of a query, following `next` page by page. */
  const walk = async (query: string, pageSize: number) => {
    const items: Item[] = [];
    let next: string | null = null;
    let pages = 0;
    do {
      const page: Page = await json(
        `/api/transactions?${query}&pageSize=${pageSize}${next ? `&after=${encodeURIComponent(next)}` : ''}`,
      );
      items.push(...page.items);
      next = page.next;
      pages++;
    } while (next);
    return { items, pages };
  };
  const keyOf: Record<SortOrder['by'], (i: Item) => number | string> = {
    start: (i) => i.startedAt,
    duration: (i) => i.minutes ?? -1,
    energy: (i) => i.energyKWh ?? -1,
  };

  for (const by of ['start', 'duration', 'energy'] as const) {
    for (const dir of ['asc', 'desc'] as const) {
      it(`sort=${by}&order=${dir}: keyset pages cover every row once, in (key, id) order across ties`, async () => {
        const { items, pages } = await walk(`sort=${by}&order=${dir}`, 97);
        assert.equal(items.length, BULK + 4);
        assert.equal(pages, Math.ceil((BULK + 4) / 97));
        assert.equal(new Set(items.map((i) => i.id)).size, items.length, 'no row twice');
        const expected = [...items].sort((a, b) => {
          const ka = keyOf[by](a);
          const kb = keyOf[by](b);
          const c = ka < kb ? -1 : ka > kb ? 1 : a.id - b.id;
          return dir === 'asc' ? c : -c;
        });
        assert.deepEqual(
          items.map((i) => i.id),
          expected.map((i) => i.id),
        );
        if (by === 'duration' || by === 'energy') {
          const running = items.findIndex((i) => i.stoppedAt === null);
          assert.equal(
            running,
            dir === 'asc' ? 0 : items.length - 1,
            'a running session sorts before every finished one',
          );
        }
      });
    }
  }

  it('the original page parameter pages by offset in the same order', async () => {
    const byKeyset = (await walk('sort=energy&order=desc', 50)).items.slice(100, 150);
    const third = await json('/api/transactions?sort=energy&order=desc&pageSize=50&page=3');
    assert.deepEqual(
      third.items.map((i) => i.id),
      byKeyset.map((i) => i.id),
    );
  });

  it('filters: id tag without case, running or finished, stop reason, charger and site-local days; totals of the filter', async () => {
    const tag = await json('/api/transactions?id_tag=CARD-A&sort=start');
    assert.deepEqual(
      tag.items.map((i) => i.idTag),
      ['Card-A', 'card-a'],
    );
    assert.deepEqual([tag.total, tag.totalKWh], [2, 3]);
    const running = await json('/api/transactions?state=running');
    assert.deepEqual(
      running.items.map((i) => i.chargerId),
      ['CP-S'],
    );
    assert.deepEqual([running.total, running.totalKWh], [1, 0]);
    const finished = await json('/api/transactions?state=finished&charger_id=CP-S');
    assert.equal(finished.total, 3);
    assert.ok(finished.items.every((i) => i.stoppedAt !== null));
    const reason = await json('/api/transactions?stop_reason=Local');
    assert.deepEqual(
      reason.items.map((i) => i.idTag),
      ['Card-B'],
    );
    // UTC 14 March 16:30 is 15 March 00:30 in Shanghai.
    const day = await json('/api/transactions?charger_id=CP-S&from=2026-03-15&to=2026-03-15');
    assert.deepEqual([day.total, day.totalKWh], [4, 5.5]);
    assert.equal((await json('/api/transactions?charger_id=CP-S&to=2026-03-14')).total, 0);
    const all = await walk('sort=start', 500);
    const kwh = all.items.reduce((s, i) => s + (i.energyKWh ?? 0), 0);
    const whole = await json('/api/transactions?pageSize=1');
    assert.equal(whole.total, BULK + 4);
    assert.ok(Math.abs(whole.totalKWh - kwh) < 1e-6, `${whole.totalKWh} = ${kwh}`);
  });

  it('the CSV holds exactly the filtered rows, in the chosen order', async () => {
    const query = 'charger_id=SL00002&sort=duration&order=desc&from=2026-02-20';
    const rows = (await walk(query, 100)).items.map((i) => String(i.id));
    assert.ok(rows.length > 50, `${rows.length} rows`);
    const res = await get(`/api/transactions?${query}&format=csv`);
    assert.equal(res.statusCode, 200);
    const lines = res.body.split('\r\n').slice(1, -1);
    assert.deepEqual(
      lines.map((l) => l.slice(0, l.indexOf(','))),
      rows,
    );
    const tagged = (await get('/api/transactions?id_tag=card-a&format=csv')).body.split('\r\n').slice(1, -1);
    assert.equal(tagged.length, 2);
  });

  it('refuses a cursor of another sort, a cursor with page, a forged cursor and unknown fields, naming the field', async () => {
    const first = await json('/api/transactions?sort=energy&pageSize=5');
    const cases: [string, string][] = [
      [`sort=duration&after=${first.next}`, 'after'],
      [`sort=energy&order=desc&after=${first.next}`, 'after'],
      [`sort=energy&page=2&after=${first.next}`, 'after'],
      [`after=${Buffer.from('["start","asc","1; drop table x",1]').toString('base64url')}`, 'after'],
      ['after=not-a-cursor', 'after'],
      ['sort=speed', 'sort'],
      ['state=paused', 'state'],
      ['idTag=x', 'idTag'],
    ];
    for (const [q, field] of cases) {
      const res = await get(`/api/transactions?${q}`);
      assert.equal(res.statusCode, 400, q);
      assert.equal(res.json().code, 'VALIDATION_FAILED', q);
      assert.ok(field in (res.json().fields ?? {}), `${q}: ${res.body}`);
    }
  });

  it('each sort, alone and under a charger, id tag or stop reason filter, reads an index in order (no sort, no table scan)', async () => {
    const orders: SortOrder[] = (['start', 'duration', 'energy'] as const).flatMap((by) =>
      (['asc', 'desc'] as const).map((dir) => ({ by, dir })),
    );
    const filters = [{}, { chargerId: 'SL00001' }];
    await t.database.db.transaction(async (tx) => {
      // Forbidding both shows that an index serves the order; they are never forbidden in production.
      await tx.execute(sql`set local enable_seqscan = off`);
      await tx.execute(sql`set local enable_sort = off`);
      const list = createTransactionListRepository(tx);
      const cursor = { key: '2026-02-20 00:00:00+00', id: 5 };
      const check = async (label: string, plan: string) => {
        assert.match(plan, /Index (Only )?Scan/, `${label}\n${plan}`);
        assert.doesNotMatch(plan, /Seq Scan|\bSort\b/, `${label}\n${plan}`);
      };
      for (const order of orders) {
        for (const f of filters) {
          const from = order.by === 'start' ? cursor : { key: '100', id: 5 };
          await check(`${JSON.stringify(order)} ${JSON.stringify(f)}`, await list.explainPage(f, order, from, 50));
        }
      }
      await check('id tag', await list.explainPage({ idTag: 'TAG1' }, { by: 'start', dir: 'desc' }, cursor, 50));
      await check(
        'stop reason',
        await list.explainPage({ stopReason: 'Local' }, { by: 'start', dir: 'asc' }, cursor, 50),
      );
    });
  });
});
