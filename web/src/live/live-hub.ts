import type { LiveConnect, LiveMessage, LiveScope, LiveState } from './live-types.ts';

/**
 * One live socket per page (instead of one per component): every part of
 * the page says what it wants, an interest of the same shape as a socket's
 * scope, and the hub keeps one socket whose scope covers them all
 * (`scopeOf`), handing each listener the events it wants (`wants`).
 *
 * When the interests change (a lazily loaded page mounts after the top
 * bar's alert bell), the socket of the new scope is opened before the old
 * one is closed (make before break): the old one keeps delivering until the
 * new one is open, then both deliver for `graceMs`, frames seen twice
 * dropped (by their text), so an alert published during the switch is
 * neither lost nor shown twice. Each listener is told the state of the
 * socket that serves its interest: a page that reloads its data when its
 * feed opens does so only once events for it flow.
 *
 * Changes within one task settle together (a microtask), so mounting a page
 * opens one socket, not one per component. Free of DOM types: the socket
 * is opened through `connect` (socket.ts openLive in the page, a fake in
 * test/web/live-hub.test.ts).
 */
export type LiveInterest = LiveScope;

export const ALL: LiveInterest = Object.freeze({ kind: 'all' });
export const SITE: LiveInterest = Object.freeze({ kind: 'site' });

/** The narrowest scope that carries every interest; null: none, no socket. */
export function scopeOf(interests: Iterable<LiveInterest>): LiveScope | null {
  let site = false;
  const chargers = new Set<string>();
  for (const i of interests) {
    if (i.kind === 'all') return ALL;
    if (i.kind === 'site') site = true;
    else chargers.add(i.chargerId);
  }
  if (chargers.size > 1) return ALL;
  if (chargers.size === 1) return { kind: 'charger', chargerId: [...chargers][0]! };
  return site ? SITE : null;
}

/** Whether a socket of `scope` carries everything `interest` wants. */
export function covers(scope: LiveScope, interest: LiveInterest): boolean {
  if (scope.kind === 'all') return true;
  if (interest.kind === 'site') return true;
  return scope.kind === 'charger' && interest.kind === 'charger' && scope.chargerId === interest.chargerId;
}

/** Whether a listener of `interest` wants the message: site-wide events (no charger) go to all. */
export function wants(interest: LiveInterest, m: LiveMessage): boolean {
  if (interest.kind === 'all') return true;
  if (!('chargerId' in m)) return true;
  return interest.kind === 'charger' && m.chargerId === interest.chargerId;
}

function sameScope(a: LiveScope, b: LiveScope): boolean {
  return covers(a, b) && covers(b, a);
}

interface Listener {
  interest: LiveInterest;
  onMessage(m: LiveMessage): void;
  onState(s: LiveState): void;
  last?: LiveState;
}

interface Conn {
  scope: LiveScope;
  state: LiveState;
  close(): void;
}

const CONNECTING: LiveState = Object.freeze({ kind: 'connecting' });
/** Frames remembered during a switch: far more than a second of a busy site's events. */
const MAX_SEEN = 5000;

export class LiveHub {
  private readonly listeners = new Set<Listener>();
  /** The socket that delivers (and whose state the listeners it covers see). */
  private active: Conn | null = null;
  /** A socket of a new scope, opening; promoted to active once open. */
  private pending: Conn | null = null;
  /** The previous active, still delivering for graceMs after the new one opened. */
  private draining: Conn | null = null;
  private drainTimer: ReturnType<typeof setTimeout> | undefined;
  /**
   * Frames delivered from the moment a second socket is opening until only
   * one is left (dropped when seen again): the server sends each event to
   * both once it attached the new one, which may be before the client sees
   * it open. Bounded, for a new socket that never opens.
   */
  private seen: Set<string> | null = null;
  private settling = false;

  constructor(
    private readonly connect: LiveConnect,
    private readonly graceMs = 2000,
  ) {}

  /** Listens for the events `interest` wants, and the state of the socket serving it, until the returned function is called. */
  subscribe(interest: LiveInterest, onMessage: (m: LiveMessage) => void, onState: (s: LiveState) => void): () => void {
    const l: Listener = { interest, onMessage, onState };
    this.listeners.add(l);
    this.settleSoon();
    return () => {
      this.listeners.delete(l);
      this.settleSoon();
    };
  }

  /** The scope of the socket that delivers now (tests and diagnostics); null: none. */
  get scope(): LiveScope | null {
    return this.active?.scope ?? null;
  }

  private settleSoon(): void {
    if (this.settling) return;
    this.settling = true;
    queueMicrotask(() => {
      this.settling = false;
      this.settle();
    });
  }

  private settle(): void {
    const want = scopeOf([...this.listeners].map((l) => l.interest));
    if (want === null) {
      for (const c of [this.active, this.pending]) c?.close();
      this.active = this.pending = null;
      this.closeDraining();
      this.forgetIfAlone();
      return;
    }
    if (this.pending && sameScope(this.pending.scope, want)) return this.tell();
    this.pending?.close();
    this.pending = null;
    if (!this.active || !sameScope(this.active.scope, want)) {
      const conn = this.open(want);
      if (this.active) this.pending = conn;
      else this.active = conn;
    }
    this.forgetIfAlone();
    this.tell();
  }

  private open(scope: LiveScope): Conn {
    const conn: Conn = { scope, state: CONNECTING, close: () => undefined };
    conn.close = this.connect(scope, {
      onMessage: (m, raw) => this.deliver(conn, m, raw),
      onState: (s) => this.changed(conn, s),
    });
    return conn;
  }

  private deliver(conn: Conn, m: LiveMessage, raw: string): void {
    if (conn !== this.active && conn !== this.draining) return;
    if (this.pending || this.draining) {
      this.seen ??= new Set();
      if (this.seen.has(raw)) return;
      this.seen.add(raw);
      if (this.seen.size > MAX_SEEN) this.seen.delete(this.seen.values().next().value!);
    }
    for (const l of [...this.listeners]) if (this.listeners.has(l) && wants(l.interest, m)) l.onMessage(m);
  }

  private changed(conn: Conn, s: LiveState): void {
    conn.state = s;
    if (conn === this.pending && s.kind === 'open') {
      // Make before break: the old socket delivers a little longer, duplicates dropped.
      const previous = this.active;
      this.closeDraining();
      this.active = conn;
      this.pending = null;
      if (previous) {
        this.draining = previous;
        this.drainTimer = setTimeout(() => {
          this.closeDraining();
          this.forgetIfAlone();
        }, this.graceMs);
      }
      this.forgetIfAlone();
    }
    this.tell();
  }

  private closeDraining(): void {
    clearTimeout(this.drainTimer);
    this.drainTimer = undefined;
    this.draining?.close();
    this.draining = null;
  }

  /** One socket left: nothing can come twice any more. */
  private forgetIfAlone(): void {
    if (!this.pending && !this.draining) this.seen = null;
  }

  /** Each listener's state: that of the socket covering its interest (the one opening for it, if the active does not). */
  private tell(): void {
    for (const l of [...this.listeners]) {
      const conn = this.active && covers(this.active.scope, l.interest) ? this.active : this.pending;
      const s = conn?.state ?? CONNECTING;
      if (l.last && l.last.kind === s.kind && (s.kind !== 'waiting' || (l.last as typeof s).retryAt === s.retryAt))
        continue;
      l.last = s;
      l.onState(s);
    }
  }
}
