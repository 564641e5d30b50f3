import { useState } from 'react';
import { Card } from '../../components/States.tsx';
import { useI18n } from '../../i18n/context.tsx';
import { ConnectorsPanel } from './ConnectorsPanel.tsx';
import { MessagesPanel } from './MessagesPanel.tsx';

type Tab = 'connectors' | 'messages';

/** The selected charger's Connectors and Messages tabs (issue 14; everyone may read both). */
export function ChargerTabs({ chargerId }: { chargerId: string }) {
  const { t } = useI18n();
  const [tab, setTab] = useState<Tab>('connectors');
  return (
    <Card
      title={`${t(tab === 'connectors' ? 'connectors.title' : 'messages.title')} · ${chargerId}`}
      className="charger-tabs"
      extra={
        <span className="segmented" role="tablist">
          {(['connectors', 'messages'] as const).map((k) => (
            <button
              key={k}
              type="button"
              role="tab"
              aria-selected={tab === k}
              className={tab === k ? 'on' : ''}
              data-testid={`tab-${k}`}
              onClick={() => setTab(k)}
            >
              {t(k === 'connectors' ? 'connectors.tab' : 'messages.tab')}
            </button>
          ))}
        </span>
      }
    >
      {tab === 'connectors' ? (
        <ConnectorsPanel key={chargerId} chargerId={chargerId} />
      ) : (
        <MessagesPanel key={chargerId} chargerId={chargerId} />
      )}
    </Card>
  );
}
