/**
 * One socket of the dashboard's live feed: a WebSocket to /api/live of one
 * scope (live-types.ts LiveScope), one JSON message per charger event. A
 * page shares one through live-hub.ts. When the socket
 * drops it reconnects with exponential backoff (1 s doubling to 30 s, with
 * jitter) so a restarting server is not stampeded; pages keep working on their
 * last data meanwhile.
 */
import type { LiveMessage, LiveScope, LiveState } from './live-types.ts';

export type { LiveMessage, LiveState } from './live-types.ts';

export interface LiveOptions {
  scope: LiveScope;
  onMessage(m: LiveMessage, raw: string): void;
  onState(s: LiveState): void;
  /** Backoff bounds in ms; tests shorten them. */
  minDelay?: number;
  maxDelay?: number;
}

export function openLive(opts: LiveOptions): () => void {
  const min = opts.minDelay ?? 1000;
  const max = opts.maxDelay ?? 30_000;
  let attempt = 0;
  let ws: WebSocket | null = null;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let closed = false;

  const url = () => {
    const proto = location.protocol === 'https:' ? 'wss:' : 'ws:';
    const { scope } = opts;
    const q =
      scope.kind === 'charger'
        ? `?charger_id=${encodeURIComponent(scope.chargerId)}`
        : scope.kind === 'site'
          ? '?scope=site'
          : '';
    return `${proto}//${location.host}/api/live${q}`;
  };

  const schedule = () => {
    if (closed) return;
    const base = Math.min(max, min * 2 ** attempt);
    const delay = Math.round(base * (0.8 + Math.random() * 0.4));
    attempt++;
    opts.onState({ kind: 'waiting', retryAt: Date.now() + delay });
    timer = setTimeout(connect, delay);
  };

  function connect() {
    if (closed) return;
    opts.onState({ kind: 'connecting' });
    ws = new WebSocket(url());
    ws.onopen = () => {
      attempt = 0;
      opts.onState({ kind: 'open' });
    };
    ws.onmessage = (ev) => {
      try {
        const raw = String(ev.data);
        const m = JSON.parse(raw) as LiveMessage;
        if (m && typeof m.type === 'string') opts.onMessage(m, raw);
      } catch {
        // a malformed frame is dropped; the feed goes on
      }
    };
    ws.onclose = () => {
      ws = null;
      schedule();
    };
  }

  connect();
  return () => {
    closed = true;
    clearTimeout(timer);
    if (ws) {
      ws.onclose = null;
      ws.close();
    }
  };
}
