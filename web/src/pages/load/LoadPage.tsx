import { useCallback, useMemo } from 'react';
import { loadApi } from '../../api/load.ts';
import { DistributionBadge } from '../../components/LoadStateLabel.tsx';
import { Async, Card, ErrorBox, Spinner } from '../../components/States.tsx';
import { useLoad } from '../../components/use-load.ts';
import { useI18n } from '../../i18n/context.tsx';
import { LiveBadge } from '../../live/LiveBadge.tsx';
import type { LiveMessage } from '../../live/live-types.ts';
import { useFeed, useLiveFeed } from '../../live/use-live-feed.ts';
import { useSiteLoad } from '../../live/use-site-load.ts';
import { CircuitTree } from './CircuitTree.tsx';
import { barScale, PhaseBars } from './PhaseBars.tsx';
import { SessionsTable } from './SessionsTable.tsx';
import { WiringTable } from './WiringTable.tsx';

/** Events that change what the wiring table shows (a charger's wiring, the site's rotation, a circuit's name). */
const WIRING_EVENTS = new Set<LiveMessage['type']>(['charger.changed', 'settings.changed', 'circuit.changed']);

/**
 * Load (docs/PRODUCT.md §7): the site's phases and circuits with limit,
 * allowed and measured current, every open session's allowance, and each
 * charger's wiring, live from `load.changed`. Viewers may see it; wiring is
 * edited on the Devices page.
 */
export default function LoadPage() {
  const { t, date } = useI18n();
  const wiring = useLoad(() => loadApi.wiring(), []);
  const { reload: reloadWiring } = wiring;
  const onOther = useCallback(
    (m: LiveMessage) => {
      if (WIRING_EVENTS.has(m.type)) reloadWiring();
    },
    [reloadWiring],
  );
  const feed = useLiveFeed();
  useFeed(feed, onOther);
  const site = useSiteLoad(feed);
  const snapshot = site.snapshot;
  const admitted = useMemo(() => wiring.data?.filter((c) => c.registration === 'Accepted'), [wiring.data]);
  return (
    <div className="page load" data-testid="page-load">
      <div className="page-tools">
        {snapshot ? (
          <span className="muted" data-testid="load-at">
            {t('load.at', { time: date(snapshot.at) })}
          </span>
        ) : null}
        {snapshot ? <DistributionBadge enabled={snapshot.enabled} testId="load-enabled" /> : null}
        <LiveBadge state={feed.state} />
      </div>
      {!snapshot ? (
        site.error ? (
          <ErrorBox error={site.error} onRetry={site.reload} />
        ) : (
          <Spinner />
        )
      ) : (
        <>
          {site.error ? <ErrorBox error={site.error} onRetry={site.reload} /> : null}
          {!snapshot.enabled ? (
            <div className="state state-info" data-testid="load-off-note">
              {t('load.offNote')}
            </div>
          ) : null}
          <div className="grid load-grid">
            <Card title={t('load.sitePhases')}>
              <PhaseBars
                phases={snapshot.site}
                scale={barScale([snapshot.site])}
                withAllowed={snapshot.enabled}
                testId="site-bars"
              />
            </Card>
            <Card title={t('load.circuits')}>
              <CircuitTree snapshot={snapshot} wiring={admitted} />
            </Card>
          </div>
          <Card title={t('load.sessions')}>
            <SessionsTable sessions={snapshot.sessions} />
          </Card>
        </>
      )}
      <Card title={t('load.wiring')}>
        <Async load={wiring}>
          {() => <WiringTable chargers={admitted ?? []} circuits={snapshot?.circuits ?? []} />}
        </Async>
      </Card>
    </div>
  );
}
