import { useCallback, useEffect, useRef, useState } from 'react';
import { loadApi, type LoadSnapshot } from '../api/load.ts';
import type { LiveMessage } from './live-types.ts';
import { useFeed, type LiveFeed } from './use-live-feed.ts';

export interface SiteLoad {
  /** The newest picture of the site's load; undefined until the first answer. */
  snapshot: LoadSnapshot | undefined;
  /** Why the last GET /api/load failed; null once one succeeds or a load.changed arrives. */
  error: unknown;
  reload(): void;
}

/**
 * Events after which the sessions or limits may differ. The load controller
 * answers them with a load.changed; where none follows (LOAD_CONTROL=false:
 * no controller runs, GET /api/load reads the site afresh each time), the
 * snapshot is read again a second after the first of them (at most once a second).
 */
const STRUCTURAL = new Set<LiveMessage['type']>([
  'transaction.started',
  'transaction.stopped',
  'status',
  'offline',
  'disconnected',
  'charger.changed',
  'settings.changed',
  'circuit.changed',
]);
const REREAD_MS = 1000;

/**
 * The site's load (docs/PRODUCT.md §7): `GET /api/load` once, then every
 * `load.changed` of the page's live feed (the whole snapshot each time). The
 * feed reconnects by itself (live/socket.ts); each time it opens the snapshot
 * is read again, since events are missed while it is down. An answer is
 * dropped when a load.changed arrived while it was on its way: the event is
 * at least as new, and the controller publishes every later change.
 */
export function useSiteLoad(feed: LiveFeed): SiteLoad {
  const [snapshot, setSnapshot] = useState<LoadSnapshot>();
  const [error, setError] = useState<unknown>(null);
  const requests = useRef(0);
  const events = useRef(0);
  /** A load.changed came since the feed last opened: the controller runs, no re-read needed. */
  const followed = useRef(false);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);

  const read = useCallback(() => {
    const mine = ++requests.current;
    const seen = events.current;
    loadApi.snapshot().then(
      (s) => {
        if (mine !== requests.current || seen !== events.current) return;
        setSnapshot(s);
        setError(null);
      },
      (e: unknown) => {
        if (mine === requests.current) setError(e);
      },
    );
  }, []);

  const onMessage = useCallback(
    (m: LiveMessage) => {
      if (m.type === 'load.changed') {
        events.current++;
        followed.current = true;
        clearTimeout(timer.current);
        timer.current = undefined;
        setSnapshot(m.load);
        setError(null);
      } else if (!followed.current && STRUCTURAL.has(m.type) && !timer.current) {
        timer.current = setTimeout(() => {
          timer.current = undefined;
          read();
        }, REREAD_MS);
      }
    },
    [read],
  );
  useFeed(feed, onMessage);
  const live = feed.state.kind;

  useEffect(() => {
    read();
    return () => clearTimeout(timer.current);
  }, [read]);
  useEffect(() => {
    if (live !== 'open') return;
    followed.current = false;
    read();
  }, [live, read]);

  return { snapshot, error, reload: read };
}
