import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'drizzle-orm';
import { rawRows } from '../../../db/raw.ts';
import type { RPCClient } from '../../../server/ocpp/rpc.ts';
import { engineName } from '../../helpers/db.ts';
import { bootedCharger, createOcppTestApp, type OcppTestApp } from '../../helpers/ocpp.ts';

/**
 * The backstop behind the storable check: a database error that slips past
 * it is classified by its SQLSTATE, never its message. Each case makes the
 * real database (PGlite or PostgreSQL) raise a real error with that SQLSTATE
 * in place of the repository's write, and checks the CALLERROR the charger
 * gets: permanent for what no resend can fix, InternalError ("send it
 * again") only for what a resend can.
 */
describe(`OCPP database failures by SQLSTATE on ${engineName}`, () => {
  let t: OcppTestApp;
  let cp: RPCClient;
  before(async () => {
    t = await createOcppTestApp();
    cp = await bootedCharger(t, 'CP-DB');
  });
  after(() => t.close());

  /** Runs `fn` while transactions.start raises `state` from the database itself. */
  async function whileRaising<T>(state: string, fn: () => Promise<T>, options = ''): Promise<T> {
    const repo = t.app.repos.transactions as unknown as Record<string, unknown>;
    const original = repo.start;
    repo.start = async () => {
      await t.database.db.execute(
        sql.raw(`do $$ begin raise exception 'raised by the test' using errcode = '${state}'${options}; end $$`),
      );
    };
    try {
      return await fn();
    } finally {
      repo.start = original;
    }
  }

  async function codeOf(p: Promise<unknown>): Promise<{ code: string; message: string }> {
    try {
      await p;
    } catch (err) {
      const e = err as { rpcErrorCode?: string; message: string };
      return { code: e.rpcErrorCode ?? `not an RPC error: ${e.message}`, message: e.message };
    }
    throw new Error('the call succeeded');
  }

  let n = 0;
  const start = () => ({ connectorId: 1, idTag: 'ANY', meterStart: n++, timestamp: '2026-03-15T07:00:00Z' });

  const permanent: [string, string, string][] = [
    ['22003', 'numeric value out of range', 'PropertyConstraintViolation'],
    ['22021', 'invalid byte sequence', 'PropertyConstraintViolation'],
    ['22P05', 'untranslatable character', 'PropertyConstraintViolation'],
    ['22007', 'invalid datetime format', 'PropertyConstraintViolation'],
    ['22008', 'datetime field overflow', 'PropertyConstraintViolation'],
    ['22P02', 'invalid text representation', 'PropertyConstraintViolation'],
    ['23514', 'check violation', 'PropertyConstraintViolation'],
    ['23503', 'foreign key violation', 'PropertyConstraintViolation'],
    ['23502', 'not null violation', 'OccurenceConstraintViolation'],
  ];
  for (const [state, what, code] of permanent) {
    it(`SQLSTATE ${state} (${what}) is a permanent ${code}, and the next frame is stored`, async () => {
      const f = await whileRaising(state, () => codeOf(cp.call('StartTransaction', start())));
      assert.equal(f.code, code, f.message);
      assert.match(f.message, new RegExp(`SQLSTATE ${state}`));
      assert.match(f.message, /resending will not help/);
      await cp.call('StartTransaction', start());
    });
  }

  it('the column PostgreSQL names in its error is named in the answer', async () => {
    const f = await whileRaising(
      '23502',
      () => codeOf(cp.call('StartTransaction', start())),
      ", column = 'meter_start', table = 'transactions'",
    );
    assert.match(f.message, /^meter_start: /);
  });

  const transient: [string, string][] = [
    ['40001', 'serialization failure'],
    ['40P01', 'deadlock detected'],
    ['57014', 'query canceled (statement timeout)'],
    ['08006', 'connection failure'],
    ['53300', 'too many connections'],
    ['23505', 'unique violation (a concurrent writer; the resend finds its row)'],
  ];
  for (const [state, what] of transient) {
    it(`SQLSTATE ${state} (${what}) stays InternalError: a resend can succeed`, async () => {
      const f = await whileRaising(state, () => codeOf(cp.call('StartTransaction', start())));
      assert.equal(f.code, 'InternalError', f.message);
    });
  }

  it('an error without a SQLSTATE stays InternalError', async () => {
    const repo = t.app.repos.transactions as unknown as Record<string, unknown>;
    const original = repo.start;
    repo.start = async () => {
      throw new Error('connection terminated unexpectedly');
    };
    try {
      assert.equal((await codeOf(cp.call('StartTransaction', start()))).code, 'InternalError');
    } finally {
      repo.start = original;
    }
  });

  it('only the frames that went through were stored', async () => {
    const [row] = await rawRows<{ n: number }>(t.database.db, sql`select count(*)::int as n from transactions`);
    assert.equal(row!.n, permanent.length);
  });
});
