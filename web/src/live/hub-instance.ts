import { LiveHub } from './live-hub.ts';
import { openLive } from './socket.ts';

let hub: LiveHub | undefined;

/** The page's one live hub (live-hub.ts), opening real sockets to /api/live; created on first use. */
export function liveHub(): LiveHub {
  hub ??= new LiveHub((scope, handlers) => openLive({ scope, ...handlers }));
  return hub;
}
