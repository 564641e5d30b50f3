import type { SessionLoadState } from '../../../contracts/load.ts';
import { useI18n } from '../i18n/context.tsx';

const TONE: Record<SessionLoadState, string> = {
  charging: 'ok',
  waiting: 'warn',
  'capped-by-demand': 'busy',
  unmanaged: 'idle',
};

/** A session's place in the allocation (contracts/load.ts SessionLoadState) in words, with what it means on hover. */
export function LoadStateLabel({ state }: { state: SessionLoadState }) {
  const { t } = useI18n();
  return (
    <span className={`badge ${TONE[state]}`} title={t(`load.hint.${state}`)} data-state={state}>
      {t(`load.state.${state}`)}
    </span>
  );
}

/** Whether chargeops steers the site (blncurrentdistribution), as a badge. */
export function DistributionBadge({ enabled, testId }: { enabled: boolean; testId?: string }) {
  const { t } = useI18n();
  return (
    <span className={`badge ${enabled ? 'ok' : 'idle'}`} data-testid={testId}>
      {t(enabled ? 'load.on' : 'load.off')}
    </span>
  );
}
