import { useEffect, useState } from 'react';
import { useI18n } from '../i18n/context.tsx';
import type { LiveState } from './live-types.ts';

/** Shows whether the live feed is up, and when it retries if not. */
export function LiveBadge({ state }: { state: LiveState }) {
  const { t } = useI18n();
  const [, tick] = useState(0);
  useEffect(() => {
    if (state.kind !== 'waiting') return;
    const id = setInterval(() => tick((n) => n + 1), 1000);
    return () => clearInterval(id);
  }, [state]);
  if (state.kind === 'open')
    return (
      <span className="badge ok" data-testid="live-badge">
        ● {t('live.connected')}
      </span>
    );
  if (state.kind === 'connecting')
    return (
      <span className="badge warn" data-testid="live-badge">
        ○ {t('live.connecting')}
      </span>
    );
  const seconds = Math.max(0, Math.ceil((state.retryAt - Date.now()) / 1000));
  return (
    <span className="badge bad" data-testid="live-badge">
      ○ {t('live.retrying', { seconds })}
    </span>
  );
}
