import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ChargerEvent } from '../../contracts/events.ts';
import { ALL, LiveHub, SITE, scopeOf, wants } from '../../web/src/live/live-hub.ts';
import type { LiveMessage, LiveScope, LiveState } from '../../web/src/live/live-types.ts';

/** A socket the test opens and feeds by hand. */
interface FakeSocket {
  scope: LiveScope;
  closed: boolean;
  open(): void;
  send(m: ChargerEvent): void;
}

function fakeConnect() {
  const sockets: FakeSocket[] = [];
  const connect = (
    scope: LiveScope,
    h: { onMessage(m: LiveMessage, raw: string): void; onState(s: LiveState): void },
  ) => {
    const s: FakeSocket = {
      scope,
      closed: false,
      open: () => h.onState({ kind: 'open' }),
      send: (m) => {
        if (!s.closed) h.onMessage(m, JSON.stringify(m));
      },
    };
    h.onState({ kind: 'connecting' });
    sockets.push(s);
    return () => void (s.closed = true);
  };
  return { sockets, connect, open: () => sockets.filter((s) => !s.closed) };
}

const tick = () => new Promise<void>((r) => setTimeout(r, 0));
const alert = (id: number): ChargerEvent =>
  ({ type: 'alert.raised', at: `2026-12-03T00:00:0${id}Z`, alert: { id } }) as unknown as ChargerEvent;
const meter = (chargerId: string): ChargerEvent =>
  ({ type: 'state', chargerId, at: '2026-12-03T00:00:00Z', state: 'Charging' }) as ChargerEvent;

/** web/src/live/live-hub.ts: one socket per page, switched make-before-break. */
describe('the live hub', () => {
  it('picks the narrowest scope that carries every interest', () => {
    assert.equal(scopeOf([]), null);
    assert.deepEqual(scopeOf([SITE]), SITE);
    assert.deepEqual(scopeOf([SITE, { kind: 'charger', chargerId: 'A' }]), { kind: 'charger', chargerId: 'A' });
    assert.deepEqual(
      scopeOf([
        { kind: 'charger', chargerId: 'A' },
        { kind: 'charger', chargerId: 'B' },
      ]),
      ALL,
    );
    assert.deepEqual(scopeOf([SITE, ALL]), ALL);
    assert.equal(wants(SITE, meter('A')), false);
    assert.equal(wants(SITE, alert(1)), true);
    assert.equal(wants({ kind: 'charger', chargerId: 'A' }, meter('B')), false);
  });

  it('the components of one page share one socket, opened once they all mounted', async () => {
    const f = fakeConnect();
    const hub = new LiveHub(f.connect, 50);
    const offBell = hub.subscribe(
      SITE,
      () => undefined,
      () => undefined,
    );
    const offPage = hub.subscribe(
      ALL,
      () => undefined,
      () => undefined,
    );
    await tick();
    assert.deepEqual(
      f.sockets.map((s) => s.scope),
      [ALL],
      'one socket of the union, not one per component',
    );
    offPage();
    offBell();
    await tick();
    assert.equal(f.open().length, 0, 'closed when nobody listens');
  });

  it('a page mounting after the bell: the site socket delivers until the wider one is open, nothing lost or doubled', async () => {
    const f = fakeConnect();
    const hub = new LiveHub(f.connect, 30);
    const bell: number[] = [];
    const page: string[] = [];
    const states: string[] = [];
    hub.subscribe(
      SITE,
      (m) => m.type === 'alert.raised' && bell.push((m.alert as { id: number }).id),
      () => undefined,
    );
    await tick();
    const [site] = f.sockets;
    site!.open();
    hub.subscribe(
      ALL,
      (m) => page.push(m.type),
      (s) => states.push(s.kind),
    );
    await tick();
    const wide = f.sockets[1]!;
    assert.deepEqual(wide.scope, ALL);
    assert.equal(site!.closed, false, 'the old socket stays until the new one is open');
    assert.deepEqual(states, ['connecting'], 'the page is not told open before events for it flow');
    site!.send(alert(1)); // published while the new socket opens
    site!.send(alert(4)); // the server attached the new socket already; the client has not seen it open yet
    wide.open();
    assert.deepEqual(states, ['connecting', 'open']);
    wide.send(alert(4));
    // Both deliver for the grace period: the same frame twice is shown once, a late one of the old socket still counts.
    wide.send(alert(2));
    site!.send(alert(2));
    site!.send(alert(3));
    wide.send(alert(3));
    wide.send(meter('X'));
    assert.deepEqual(bell, [1, 4, 2, 3]);
    assert.deepEqual(
      page,
      ['alert.raised', 'alert.raised', 'alert.raised', 'alert.raised', 'state'],
      'the page gets the site-wide events of the old socket too, and its own once open',
    );
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(site!.closed, true, 'closed after the grace period');
    wide.send(alert(3)); // the same text again, after the overlap: a new event
    assert.deepEqual(bell, [1, 4, 2, 3, 3]);
    assert.deepEqual(hub.scope, ALL);
  });

  it('a scope switched again before the new socket opened drops the one that was opening', async () => {
    const f = fakeConnect();
    const hub = new LiveHub(f.connect, 30);
    const offA = hub.subscribe(
      { kind: 'charger', chargerId: 'A' },
      () => undefined,
      () => undefined,
    );
    await tick();
    f.sockets[0]!.open();
    offA();
    const offB = hub.subscribe(
      { kind: 'charger', chargerId: 'B' },
      () => undefined,
      () => undefined,
    );
    await tick();
    offB();
    hub.subscribe(
      { kind: 'charger', chargerId: 'A' },
      () => undefined,
      () => undefined,
    );
    await tick();
    assert.deepEqual(
      f.open().map((s) => s.scope),
      [{ kind: 'charger', chargerId: 'A' }],
      'back to the socket that was open; the one for B closed',
    );
  });
});
