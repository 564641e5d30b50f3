import { useCallback, useEffect, useMemo, useRef } from 'react';
import type { LiveMessage, LiveState } from './socket.ts';
import { useLive } from './use-live.ts';

/** One live socket that several parts of a page listen to. */
export interface LiveFeed {
  state: LiveState;
  subscribe(listener: (m: LiveMessage) => void): () => void;
}

/**
 * Opens the page's live feed (`/api/live`, optionally `?charger_id=`; site-wide
 * events such as load.changed come either way) for as long as the page is
 * mounted, so its panels share one socket instead of opening one each.
 */
export function useLiveFeed(chargerId?: string): LiveFeed {
  const listeners = useRef(new Set<(m: LiveMessage) => void>());
  const state = useLive((m) => {
    for (const l of [...listeners.current]) l(m);
  }, chargerId);
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
