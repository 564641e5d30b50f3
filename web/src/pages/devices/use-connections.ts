import { useCallback, useEffect, useState } from 'react';
import { chargersApi } from '../../api/management.ts';
import { useLoad } from '../../components/use-load.ts';
import { ALL } from '../../live/live-hub.ts';
import type { LiveMessage, LiveState } from '../../live/live-types.ts';
import { useLive } from '../../live/use-live.ts';

export interface Connections {
  /** Whether the charger holds a connection to the server now; undefined until known. */
  isConnected(chargerId: string): boolean | undefined;
  live: LiveState;
}

/**
 * Which chargers are connected, so the Devices page offers commands only to
 * chargers that can take them (the server answers CHARGER_NOT_CONNECTED, 409,
 * otherwise). Read from GET /api/chargers (`connected`) and kept current by the
 * live feed's `connected` / `disconnected` events. The list is read again each
 * time the feed opens, since events are missed while it is down; events seen
 * since that read started override it, so a slow answer cannot undo a newer event.
 */
export function useConnections(): Connections {
  const [seen, setSeen] = useState<ReadonlyMap<string, boolean>>(new Map());
  const load = useLoad(() => {
    setSeen(new Map());
    return chargersApi.list();
  }, []);
  const onMessage = useCallback((m: LiveMessage) => {
    if (m.type === 'connected' || m.type === 'disconnected')
      setSeen((prev) => new Map(prev).set(m.chargerId, m.type === 'connected'));
  }, []);
  const live = useLive(ALL, onMessage);
  const { reload } = load;
  useEffect(() => {
    if (live.kind === 'open') reload();
  }, [live.kind, reload]);
  const isConnected = (id: string) => seen.get(id) ?? load.data?.find((c) => c.id === id)?.connected;
  return { isConnected, live };
}
