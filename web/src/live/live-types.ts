/**
 * The live feed's shapes, free of DOM types so node tests can import them
 * (the root tsconfig has no DOM lib): one message per charger event, exactly
 * the server's `ChargerEvent` union (contracts/events.ts).
 */
import type { ChargerEvent } from '../../../contracts/events.ts';

export type LiveMessage = ChargerEvent;

export type LiveState = { kind: 'connecting' } | { kind: 'open' } | { kind: 'waiting'; retryAt: number };

/**
 * What one socket to /api/live carries (server/live/live-push.ts): every
 * event; one charger's and the site-wide ones (`?charger_id=`); or the
 * site-wide ones alone (`?scope=site`: alerts, settings, load).
 */
export type LiveScope = { kind: 'all' } | { kind: 'charger'; chargerId: string } | { kind: 'site' };

/** Opens a socket of one scope, reconnecting by itself until closed (socket.ts openLive); `raw` is the frame as received. */
export type LiveConnect = (
  scope: LiveScope,
  handlers: { onMessage(m: LiveMessage, raw: string): void; onState(s: LiveState): void },
) => () => void;
