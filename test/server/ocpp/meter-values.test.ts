import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'drizzle-orm';
import { rawRows } from '../../../db/raw.ts';
import type { RPCClient } from '../../../server/ocpp/rpc.ts';
import { engineName } from '../../helpers/db.ts';
import { bootedCharger, createOcppTestApp, nextEvent, type OcppTestApp } from '../../helpers/ocpp.ts';

const T = (min: number) => new Date(Date.parse('2026-03-15T08:00:00Z') + min * 60_000).toISOString();

// A realistic OCMF document (OCMF 1.0: header|payload|signature) with characters a careless
// download would change: quotes, a non-ASCII name, '&' and '<' (XML), a pipe inside the JSON.
const OCMF_BEGIN =
  'OCMF|{"FV":"1.0","GI":"Ladesäule & Co <Nord>","GS":"17619300","GV":"2.8.5","PG":"T32","IS":false,"IL":"NONE","IF":["RFID_NONE","OCPP_NONE"],"IT":"NONE","ID":"a|b","RD":[{"TM":"2026-03-15T08:10:00,000+0000 S","TX":"B","RV":12.345,"RI":"1-b:1.8.0","RU":"kWh","ST":"G"}]}|{"SD":"304502200E2F107C987A300AC1695CA89EA149A8CDFA16188AF0A33EE64B67964AA943F9022100889A72B6D65364BEA8562E7F6A0253157ACFF84FE4929A93B5964D23C4265699"}';
const OCMF_END = OCMF_BEGIN.replace('"TX":"B"', '"TX":"E"').replace('"RV":12.345', '"RV":14.000');

type Row = Record<string, unknown>;

describe(`MeterValues: every reading once, linked only to its own charger's session, on ${engineName}`, () => {
  let t: OcppTestApp;
  let a: RPCClient;
  let b: RPCClient;
  let c: RPCClient;
  let txA = 0;

  const samples = (where: ReturnType<typeof sql>) =>
    rawRows<Row>(
      t.database.db,
      sql`select charger_id, transaction_id, claimed_transaction_id, claim_rejected, measurand, unit, format, context, value from meter_values where ${where} order by id`,
    );

  before(async () => {
    t = await createOcppTestApp();
    const admin = await t.as('admin');
    for (const idTag of ['TAG-A', 'TAG-B', 'TAG-C']) {
      const res = await t.app.inject({ method: 'POST', url: '/api/id-tags', headers: admin, payload: { idTag } });
      assert.equal(res.statusCode, 201, res.body);
    }
    a = await bootedCharger(t, 'CPA');
    b = await bootedCharger(t, 'CPB');
    c = await bootedCharger(t, 'CPC');
    txA = (
      (await a.call('StartTransaction', { connectorId: 1, idTag: 'TAG-A', meterStart: 10_000, timestamp: T(5) })) as {
        transactionId: number;
      }
    ).transactionId;
  });
  after(() => t.close());

  it('Raw Wh, Raw kWh and SignedData of one instant are all stored; a resend stores nothing new', async () => {
    const req = {
      connectorId: 1,
      transactionId: txA,
      meterValue: [
        {
          timestamp: T(10),
          sampledValue: [
            { value: '12345', measurand: 'Energy.Active.Import.Register', unit: 'Wh', context: 'Sample.Periodic' },
            { value: '12.345', measurand: 'Energy.Active.Import.Register', unit: 'kWh', context: 'Sample.Periodic' },
            {
              value: OCMF_BEGIN,
              format: 'SignedData',
              measurand: 'Energy.Active.Import.Register',
              unit: 'Wh',
              context: 'Sample.Periodic',
            },
          ],
        },
      ],
    };
    assert.deepEqual(await a.call('MeterValues', req), {});
    const first = await samples(sql`transaction_id = ${txA}`);
    assert.deepEqual(
      first.map((r) => [r.unit, r.format, r.value]),
      [
        ['Wh', 'Raw', '12345'],
        ['kWh', 'Raw', '12.345'],
        ['Wh', 'SignedData', OCMF_BEGIN],
      ],
    );
    assert.deepEqual(await a.call('MeterValues', req), {});
    assert.equal((await samples(sql`transaction_id = ${txA}`)).length, 3, 'the resend dedups');
    const tx = (await t.app.repos.transactions.get(txA))!;
    assert.equal(tx.liveEnergyWh, 2345, 'the signed blob is no number; Wh and kWh agree');
  });

  it('the live figures use the finest unit of a measurand once, not W and kW added up', async () => {
    const meter = nextEvent(t, (e) => e.type === 'meter' && e.chargerId === 'CPA');
    await a.call('MeterValues', {
      connectorId: 1,
      transactionId: txA,
      meterValue: [
        {
          timestamp: T(11),
          sampledValue: [
            { value: '12400', measurand: 'Energy.Active.Import.Register', unit: 'Wh' },
            { value: '12.4', measurand: 'Energy.Active.Import.Register', unit: 'kWh' },
            { value: '3700', measurand: 'Power.Active.Import', phase: 'L1', unit: 'W' },
            { value: '3.7', measurand: 'Power.Active.Import', phase: 'L1', unit: 'kW' },
            { value: '3600', measurand: 'Power.Active.Import', phase: 'L2', unit: 'W' },
            { value: '3.6', measurand: 'Power.Active.Import', phase: 'L2', unit: 'kW' },
          ],
        },
      ],
    });
    const tx = (await t.app.repos.transactions.get(txA))!;
    assert.equal(tx.livePowerW, 7300, 'L1 + L2 in W, the kW copies not added again');
    assert.equal(tx.liveEnergyWh, 2400);
    assert.equal(((await meter) as { sessionEnergyWh?: number }).sessionEnergyWh, 2400);
  });

  it('a signed session says so in GET /api/transactions and answers its signed readings verbatim', async () => {
    await a.call('StopTransaction', {
      transactionId: txA,
      meterStop: 14_000,
      timestamp: T(40),
      transactionData: [
        {
          timestamp: T(40),
          sampledValue: [
            { value: '14000', context: 'Transaction.End' },
            { value: OCMF_END, format: 'SignedData', context: 'Transaction.End' },
          ],
        },
      ],
    });
    const viewer = await t.as('viewer');
    const list = (await t.app.inject({ url: '/api/transactions?charger_id=CPA', headers: viewer })).json() as {
      items: { id: number; signedReadings: number }[];
    };
    assert.deepEqual(
      list.items.map((i) => [i.id, i.signedReadings]),
      [[txA, 2]],
    );

    const json = await t.app.inject({ url: `/api/transactions/${txA}/signed-readings`, headers: viewer });
    assert.equal(json.statusCode, 200, json.body);
    const body = json.json() as { transactionId: number; chargerId: string; items: Row[] };
    assert.equal(body.transactionId, txA);
    assert.equal(body.chargerId, 'CPA');
    assert.deepEqual(body.items, [
      {
        timestamp: T(10),
        measurand: 'Energy.Active.Import.Register',
        context: 'Sample.Periodic',
        location: 'Outlet',
        phase: null,
        unit: 'Wh',
        format: 'SignedData',
        encoding: 'OCMF',
        value: OCMF_BEGIN,
      },
      {
        timestamp: T(40),
        measurand: 'Energy.Active.Import.Register',
        context: 'Transaction.End',
        location: 'Outlet',
        phase: null,
        unit: 'Wh',
        format: 'SignedData',
        encoding: 'OCMF',
        value: OCMF_END,
      },
    ]);

    const text = await t.app.inject({ url: `/api/transactions/${txA}/signed-readings?format=ocmf`, headers: viewer });
    assert.equal(text.statusCode, 200);
    assert.equal(text.headers['content-type'], 'text/plain; charset=utf-8');
    assert.match(
      String(text.headers['content-disposition']),
      new RegExp(`attachment; filename="session-${txA}-signed.txt"`),
    );
    assert.ok(
      text.rawPayload.equals(Buffer.from(`${OCMF_BEGIN}\n${OCMF_END}\n`, 'utf8')),
      'byte for byte, one per line',
    );

    const xml = await t.app.inject({ url: `/api/transactions/${txA}/signed-readings?format=xml`, headers: viewer });
    assert.equal(xml.statusCode, 200);
    assert.equal(xml.headers['content-type'], 'application/xml; charset=utf-8');
    const escaped = OCMF_BEGIN.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
    assert.ok(
      xml.body.includes(
        `<value transactionId="1" context="Sample.Periodic"><signedData format="OCMF" encoding="plain" transactionId="${txA}">${escaped}</signedData></value>`,
      ),
      xml.body,
    );
  });

  it('the signed download: unknown session 404, bad format 400, anonymous 401', async () => {
    const viewer = await t.as('viewer');
    const missing = await t.app.inject({ url: '/api/transactions/987654/signed-readings', headers: viewer });
    assert.equal(missing.statusCode, 404);
    assert.equal(missing.json().code, 'NOT_FOUND');
    assert.equal(
      (await t.app.inject({ url: `/api/transactions/${txA}/signed-readings?format=pdf`, headers: viewer })).statusCode,
      400,
    );
    assert.equal((await t.app.inject({ url: `/api/transactions/${txA}/signed-readings` })).statusCode, 401);
  });

  it("charger B sending charger A's transactionId is stored unlinked, flagged, with the claimed id beside it", async () => {
    const before = (await samples(sql`transaction_id = ${txA}`)).length;
    const meter = nextEvent(t, (e) => e.type === 'meter' && e.chargerId === 'CPB');
    await b.call('MeterValues', {
      connectorId: 1,
      transactionId: txA,
      meterValue: [{ timestamp: T(20), sampledValue: [{ value: '999999' }] }],
    });
    assert.deepEqual(await samples(sql`charger_id = 'CPB'`), [
      {
        charger_id: 'CPB',
        transaction_id: null,
        claimed_transaction_id: txA,
        claim_rejected: true,
        measurand: 'Energy.Active.Import.Register',
        unit: 'Wh',
        format: 'Raw',
        context: 'Sample.Periodic',
        value: '999999',
      },
    ]);
    assert.equal(
      ((await meter) as { transactionId: number | null }).transactionId,
      null,
      'the live push does not attribute it either',
    );
    const ofA = await samples(sql`transaction_id = ${txA}`);
    assert.equal(ofA.length, before);
    assert.ok(ofA.every((r) => r.charger_id === 'CPA'));
  });

  it("StopTransaction from B for A's session keeps B's transactionData unlinked and flagged", async () => {
    await b.call('StopTransaction', {
      transactionId: txA,
      meterStop: 1,
      timestamp: T(45),
      transactionData: [{ timestamp: T(45), sampledValue: [{ value: '1', context: 'Transaction.End' }] }],
    });
    const rows = await samples(sql`charger_id = 'CPB' and context = 'Transaction.End'`);
    assert.deepEqual(
      rows.map((r) => [r.transaction_id, r.claimed_transaction_id, r.claim_rejected, r.value]),
      [[null, txA, true, '1']],
    );
    assert.ok((await samples(sql`transaction_id = ${txA}`)).every((r) => r.charger_id === 'CPA'));
    assert.equal((await t.app.repos.transactions.get(txA))!.meterStop, 14_000, "A's session untouched");
  });

  it('an id that does not exist yet stays unlinked after a later session of another charger gets it', async () => {
    const [{ next }] = (await rawRows<{ next: number }>(
      t.database.db,
      sql`select coalesce(max(id), 0)::int + 1 as next from transactions`,
    )) as [{ next: number }];
    await b.call('MeterValues', {
      connectorId: 1,
      transactionId: next,
      meterValue: [{ timestamp: T(50), sampledValue: [{ value: '777' }] }],
    });
    const txC = (
      (await c.call('StartTransaction', { connectorId: 1, idTag: 'TAG-C', meterStart: 0, timestamp: T(51) })) as {
        transactionId: number;
      }
    ).transactionId;
    assert.equal(txC, next, 'the claimed id became a session of charger C');
    assert.deepEqual(await samples(sql`transaction_id = ${txC}`), [], "C's session has none of B's samples");
    const [row] = await samples(sql`charger_id = 'CPB' and value = '777'`);
    assert.deepEqual([row!.transaction_id, row!.claimed_transaction_id, row!.claim_rejected], [null, next, true]);
  });

  it('meter_values.transaction_id is a foreign key; deleting a charger still removes its sessions and samples', async () => {
    await assert.rejects(
      t.database.db.execute(
        sql`insert into meter_values (charger_id, connector_id, transaction_id, timestamp, value) values ('CPB', 1, 123456, now(), '1')`,
      ),
      (err: Error & { cause?: { code?: string } }) => err.cause?.code === '23503', // foreign_key_violation
    );
    const admin = await t.as('admin');
    const res = await t.app.inject({ method: 'DELETE', url: '/api/chargers/CPA', headers: admin });
    assert.equal(res.statusCode, 204, res.body);
    assert.deepEqual(await samples(sql`charger_id = 'CPA'`), []);
    assert.equal(await t.app.repos.transactions.get(txA), undefined);
  });
});
