import { useCallback, useEffect, useMemo, useRef } from 'react';
import { ALL } from './live-hub.ts';
import type { LiveMessage, LiveState } from './live-types.ts';
import { useLive } from './use-live.ts';

/** One live socket that several parts of a page listen to. */
export interface LiveFeed {
  state: LiveState;
  subscribe(listener: (m: LiveMessage) => void): () => void;
}

/**
 * The page's live feed for as long as the page is mounted: every event
 * (`chargerId` undefined), one charger's (site-wide events such as
 * load.changed come either way), or none (null: a finished session's page).
 * Its panels listen through it; the page shares one socket with the top
 * bar (live-hub.ts).
 */
export function useLiveFeed(chargerId?: string | null): LiveFeed {
  const listeners = useRef(new Set<(m: LiveMessage) => void>());
  const interest = chargerId === null ? null : chargerId === undefined ? ALL : { kind: 'charger' as const, chargerId };
  const state = useLive(interest, (m) => {
    for (const l of [...listeners.current]) l(m);
  });
  const subscribe = useCallback((listener: (m: LiveMessage) => void) => {
    listeners.current.add(listener);
    return () => void listeners.current.delete(listener);
  }, []);
  return useMemo(() => ({ state, subscribe }), [state, subscribe]);
}

/** Calls `onMessage` with every message of `feed` while the component is mounted (the latest `onMessage` each time). */
export function useFeed(feed: LiveFeed, onMessage: (m: LiveMessage) => void): void {
  const handler = useRef(onMessage);
  handler.current = onMessage;
  const { subscribe } = feed;
  useEffect(() => subscribe((m) => handler.current(m)), [subscribe]);
}
