import { useEffect, useRef, useState } from 'react';
import { liveHub } from './hub-instance.ts';
import type { LiveInterest } from './live-hub.ts';
import type { LiveMessage, LiveState } from './live-types.ts';

/**
 * Subscribes a component to the page's live feed (live-hub.ts) for as long
 * as it is mounted: `onMessage` gets the events `interest` wants (null:
 * none, no socket on its account), and the state returned is that of the
 * socket serving it.
 */
export function useLive(interest: LiveInterest | null, onMessage: (m: LiveMessage) => void): LiveState {
  const [state, setState] = useState<LiveState>({ kind: 'connecting' });
  const handler = useRef(onMessage);
  handler.current = onMessage;
  const key = interest ? JSON.stringify(interest) : null;
  useEffect(() => {
    if (key === null) return;
    return liveHub().subscribe(JSON.parse(key) as LiveInterest, (m) => handler.current(m), setState);
  }, [key]);
  return state;
}
