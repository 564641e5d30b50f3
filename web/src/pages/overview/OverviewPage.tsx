import { useCallback, useRef, useState } from 'react';
import type { LiveMessage } from '../../live/live-types.ts';
import { LiveBadge } from '../../live/LiveBadge.tsx';
import { useFeed, useLiveFeed } from '../../live/use-live-feed.ts';
import { useSiteLoad } from '../../live/use-site-load.ts';
import { ConnectorStatus } from './ConnectorStatus.tsx';
import { Counters } from './Counters.tsx';
import { EnergyCompare } from './EnergyCompare.tsx';
import { EnergyTrend } from './EnergyTrend.tsx';
import { PhaseGauges } from './PhaseGauges.tsx';
import { RecentRecords, ChargerStates } from './RecentTables.tsx';
import { StatePie } from './StatePie.tsx';

/**
 * Overview (seed 004 §2.6–§2.13, §3.1): counters, recent records, charger
 * states, network-state share, energy trend, energy per charger, phase limits.
 * Live events bump `version`, which makes every panel reload in place (at most
 * once every two seconds, so a busy site does not hammer the API); the phase
 * gauges follow the site's load on the same live socket instead.
 */
export default function OverviewPage() {
  const [version, setVersion] = useState(0);
  const pending = useRef(false);
  const onLive = useCallback((m: LiveMessage) => {
    // Meter values change no overview figure until a transaction stops; the rest change states and counts.
    // load.changed carries the gauges' figures itself (up to once a second): nothing to reload for it.
    if (m.type === 'meter' || m.type === 'command' || m.type === 'load.changed') return;
    if (pending.current) return;
    pending.current = true;
    setTimeout(() => {
      pending.current = false;
      setVersion((v) => v + 1);
    }, 2000);
  }, []);
  const feed = useLiveFeed();
  useFeed(feed, onLive);
  const site = useSiteLoad(feed);
  return (
    <div className="page overview" data-testid="page-overview">
      <div className="page-tools">
        <LiveBadge state={feed.state} />
      </div>
      <Counters version={version} />
      <div className="grid two">
        <RecentRecords version={version} />
        <ChargerStates version={version} />
      </div>
      <div className="grid three">
        <StatePie version={version} />
        <PhaseGauges version={version} site={site} />
      </div>
      <ConnectorStatus version={version} />
      <EnergyTrend version={version} />
      <EnergyCompare version={version} />
    </div>
  );
}
