import { useEffect, useRef, useState } from 'react';
import { openLive, type LiveMessage, type LiveState } from './socket.ts';

/** Subscribes a component to the live feed for as long as it is mounted. */
export function useLive(onMessage: (m: LiveMessage) => void, chargerId?: string): LiveState {
  const [state, setState] = useState<LiveState>({ kind: 'connecting' });
  const handler = useRef(onMessage);
  handler.current = onMessage;
  useEffect(() => openLive({ chargerId, onMessage: (m) => handler.current(m), onState: setState }), [chargerId]);
  return state;
}
