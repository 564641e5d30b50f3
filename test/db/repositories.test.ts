import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Database } from '../../db/client.ts';
import { createRepositories, type Repositories } from '../../db/repositories/index.ts';
import { siteSettings } from '../../db/schema/index.ts';
import { createTestDatabase, engineName } from '../helpers/db.ts';

describe(`repositories on ${engineName}`, () => {
  let database: Database;
  let repos: Repositories;
  before(async () => {
    database = await createTestDatabase();
    repos = createRepositories(database.db);
  });
  after(() => database.close());

  it('creates a user once; a second create with the same name returns null', async () => {
    const u = await repos.users.create({ username: 'ann', passwordHash: 'x', role: 'viewer' });
    assert.equal(u?.username, 'ann');
    assert.equal((u as Record<string, unknown>).passwordHash, undefined, 'hash never leaves the repository');
    assert.equal(await repos.users.create({ username: 'ann', passwordHash: 'y', role: 'admin' }), null);
  });

  it('refuses an unknown role in the database itself', async () => {
    await assert.rejects(repos.users.create({ username: 'bob', passwordHash: 'x', role: 'root' as never }));
  });

  it('finds a session user only before expiry', async () => {
    const u = (await repos.users.create({ username: 'sam', passwordHash: 'x', role: 'operator' }))!;
    await repos.sessions.create({
      idHash: 'h1',
      userId: u.id,
      createdAt: new Date('2026-01-01T00:00:00Z'),
      expiresAt: new Date('2026-01-01T12:00:00Z'),
    });
    assert.equal((await repos.sessions.findUser('h1', new Date('2026-01-01T11:00:00Z')))?.username, 'sam');
    assert.equal(await repos.sessions.findUser('h1', new Date('2026-01-01T12:00:01Z')), undefined);
  });

  it('revoked tokens are not found', async () => {
    // A token answers only while its creator exists and is enabled (db/repositories/tokens.ts findActive).
    const creator = (await repos.users.create({ username: 'tess', passwordHash: 'x', role: 'admin' }))!;
    const t = await repos.tokens.create({
      name: 'station',
      role: 'operator',
      tokenHash: 'th',
      prefix: 'co_abcd',
      createdBy: creator.id,
      createdAt: new Date(),
    });
    assert.equal((await repos.tokens.findActive('th'))?.id, t.id);
    assert.ok(await repos.tokens.revoke(t.id, new Date()));
    assert.equal(await repos.tokens.findActive('th'), undefined);
    assert.equal(await repos.tokens.revoke(t.id, new Date()), undefined, 'revoking twice finds nothing');
  });

  it('settings start at the seed example and updates are audited', async () => {
    const s = await repos.settings.get();
    assert.equal(s.vchcardreadercom, 'Com10');
    assert.equal(s.dblpowercoefficient, 0.001);
    const after = await repos.settings.update({ intmaxcurrenta: 40 }, 'user:x', new Date('2026-02-01T00:00:00Z'));
    assert.equal(after.intmaxcurrenta, 40);
    const log = await repos.audit.recent(1);
    assert.equal(log[0]?.action, 'settings.update');
    assert.deepEqual(
      [
        (log[0]?.before as { intmaxcurrenta: number }).intmaxcurrenta,
        (log[0]?.after as { intmaxcurrenta: number }).intmaxcurrenta,
      ],
      [32, 40],
    );
  });

  it('the database refuses a second settings row and out-of-range values', async () => {
    await assert.rejects(database.db.insert(siteSettings).values({ id: 2 }));
    await assert.rejects(repos.settings.update({ vchpowersequence: 'XYZ' }, 'user:x', new Date()));
    await assert.rejects(repos.settings.update({ blninternaltesting: 7 }, 'user:x', new Date()));
    assert.equal((await repos.settings.get()).vchpowersequence, 'ABC');
  });
});
