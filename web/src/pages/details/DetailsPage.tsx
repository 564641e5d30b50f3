import { useCallback, useState } from 'react';
import { ChargerSelect } from '../../components/ChargerSelect.tsx';
import { Card } from '../../components/States.tsx';
import { useI18n } from '../../i18n/context.tsx';
import { useLiveFeed } from '../../live/use-live-feed.ts';
import { ChargerInfo } from './ChargerInfo.tsx';
import { LiveMeterChart } from './LiveMeterChart.tsx';
import { RecordQuery } from './RecordQuery.tsx';
import { SessionAllowance } from './SessionAllowance.tsx';

/** Details (seed 004 §2.1–§2.3): one charger's details, its sessions' allowances, its live meter chart, and the records query. */
export default function DetailsPage() {
  const { t } = useI18n();
  const [charger, setCharger] = useState(() => new URLSearchParams(location.search).get('charger_id') ?? '');
  // A status or transaction event of this charger refreshes its details table (seed §2.1 fields change with it).
  const [version, setVersion] = useState(0);
  const onStateChange = useCallback(() => setVersion((v) => v + 1), []);
  // One live socket for the page: the chart and the allowances listen to it (site-wide load.changed passes the charger filter).
  const feed = useLiveFeed(charger || undefined);
  const pick = (id: string) => {
    setCharger(id);
    history.replaceState(null, '', id ? `?charger_id=${encodeURIComponent(id)}` : location.pathname);
  };
  return (
    <div className="page details" data-testid="page-details">
      <div className="page-tools">
        <label className="inline">
          {t('details.pickCharger')} <ChargerSelect value={charger} onChange={pick} testId="details-charger" />
        </label>
      </div>
      <div className="grid details-grid">
        <ChargerInfo chargerId={charger} version={version} onResolved={(id) => !charger && setCharger(id)} />
        <div className="stack">
          {charger ? <SessionAllowance chargerId={charger} feed={feed} onChange={onStateChange} /> : null}
          <Card title={t('details.live')}>
            <LiveMeterChart chargerId={charger} feed={feed} onStateChange={onStateChange} />
          </Card>
          <RecordQuery chargerId={charger} />
        </div>
      </div>
    </div>
  );
}
