import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createUser } from '../../../server/auth/user-service.ts';
import type { ManualClock } from '../../../server/clock.ts';
import { createTestApp, type TestApp, INJECT_ORIGIN } from '../../helpers/app.ts';
import { engineName } from '../../helpers/db.ts';

/**
 * An API token never grants more than its creator has now: its role is the
 * lesser of its own and the creator's current one, and disabling or deleting
 * the creator revokes it at once in this process (the token cache included)
 * and within the cache's 5 s in another process sharing the database.
 */
describe(`tokens follow their creator on ${engineName}`, () => {
  let t: TestApp;
  let other: TestApp;
  let root: Record<string, string>;
  const clock = () => t.clock as ManualClock;
  before(async () => {
    t = await createTestApp();
    other = await createTestApp({ database: t.database, clock: t.clock }); // a second process on the same database
    root = await t.as('admin');
  });
  after(async () => {
    await other.close();
    await t.close();
  });

  /** A second admin who logs in and makes a token; returns its id, the token's headers and id. */
  async function adminWithToken(username: string, tokenRole = 'admin') {
    const user = await createUser(t.app.repos.users, { username, password: 'long-enough-1', role: 'admin' });
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username, password: 'long-enough-1' },
    });
    const cookie = {
      cookie: `chargeops_session=${res.cookies.find((c) => c.name === 'chargeops_session')!.value}`,
      origin: INJECT_ORIGIN,
    };
    const made = await t.app.inject({
      method: 'POST',
      url: '/api/tokens',
      headers: cookie,
      payload: { name: `${username}-script`, role: tokenRole },
    });
    assert.equal(made.statusCode, 201, made.body);
    return {
      userId: user.id,
      bearer: { authorization: `Bearer ${made.json().token as string}` },
      tokenId: made.json().id as number,
    };
  }
  const me = (app: TestApp, headers: Record<string, string>) => app.app.inject({ url: '/api/auth/me', headers });
  const listed = async (id: number) =>
    (
      (await t.app.inject({ url: '/api/tokens', headers: root })).json() as { id: number; revokedAt: string | null }[]
    ).find((x) => x.id === id)!;

  it('disabling the creator revokes the token at once, also in the cache, and re-enabling does not bring it back', async () => {
    const { userId, bearer, tokenId } = await adminWithToken('dora');
    assert.equal(
      (await t.app.inject({ url: '/api/users', headers: bearer })).statusCode,
      200,
      'the token works (and is now cached)',
    );
    const off = await t.app.inject({
      method: 'PATCH',
      url: `/api/users/${userId}`,
      headers: root,
      payload: { disabled: true },
    });
    assert.equal(off.statusCode, 200);
    assert.equal(
      (await t.app.inject({ url: '/api/users', headers: bearer })).statusCode,
      401,
      'refused in the same second',
    );
    assert.ok((await listed(tokenId)).revokedAt, 'listed as revoked');
    await t.app.inject({ method: 'PATCH', url: `/api/users/${userId}`, headers: root, payload: { disabled: false } });
    assert.equal((await me(t, bearer)).statusCode, 401);
  });

  it('deleting the creator revokes the token at once', async () => {
    const { userId, bearer, tokenId } = await adminWithToken('dan');
    assert.equal((await me(t, bearer)).statusCode, 200);
    assert.equal(
      (await t.app.inject({ method: 'DELETE', url: `/api/users/${userId}`, headers: root })).statusCode,
      204,
    );
    assert.equal((await me(t, bearer)).statusCode, 401);
    assert.ok((await listed(tokenId)).revokedAt);
  });

  it('a role downgrade of the creator caps the token at once; the token never exceeds its own role', async () => {
    const { userId, bearer } = await adminWithToken('olga');
    assert.equal((await me(t, bearer)).json().role, 'admin');
    await t.app.inject({ method: 'PATCH', url: `/api/users/${userId}`, headers: root, payload: { role: 'operator' } });
    assert.equal((await me(t, bearer)).json().role, 'operator', 'no longer admin, in the same second');
    assert.equal((await t.app.inject({ url: '/api/users', headers: bearer })).statusCode, 403);
    await t.app.inject({ method: 'PATCH', url: `/api/users/${userId}`, headers: root, payload: { role: 'admin' } });
    assert.equal((await me(t, bearer)).json().role, 'admin', 'restored with the creator');
    const viewer = await adminWithToken('vic', 'viewer');
    assert.equal((await me(t, viewer.bearer)).json().role, 'viewer');
  });

  it('a token made with another token answers to the same person', async () => {
    const { userId, bearer } = await adminWithToken('tom');
    const made = await t.app.inject({
      method: 'POST',
      url: '/api/tokens',
      headers: bearer,
      payload: { name: 'child', role: 'operator' },
    });
    assert.equal(made.statusCode, 201);
    const child = { authorization: `Bearer ${made.json().token as string}` };
    assert.equal((await me(t, child)).json().role, 'operator');
    await t.app.inject({ method: 'PATCH', url: `/api/users/${userId}`, headers: root, payload: { disabled: true } });
    assert.equal((await me(t, child)).statusCode, 401);
  });

  it("another process stops honouring a disabled creator's token within the 5 s cache bound", async () => {
    const { userId, bearer } = await adminWithToken('paula');
    assert.equal((await me(other, bearer)).statusCode, 200, 'cached in the other process');
    await t.app.inject({ method: 'PATCH', url: `/api/users/${userId}`, headers: root, payload: { disabled: true } });
    clock().advance(5_000);
    assert.equal((await me(other, bearer)).statusCode, 401);
  });

  it("a creator disabled behind the service's back (a direct database write) is still refused within the bound", async () => {
    const { userId, bearer } = await adminWithToken('sly');
    assert.equal((await me(t, bearer)).statusCode, 200);
    await t.app.repos.users.update(userId, { disabled: true });
    clock().advance(5_000);
    assert.equal((await me(t, bearer)).statusCode, 401);
  });
});
