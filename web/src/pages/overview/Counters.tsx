import { seedApi } from '../../api/seed.ts';
import { ErrorBox } from '../../components/States.tsx';
import { useLoad } from '../../components/use-load.ts';
import { useI18n } from '../../i18n/context.tsx';
import type { MessageKey } from '../../i18n/en.ts';

/** The four counters of seed §2.6. */
export function Counters({ version }: { version: number }) {
  const { t, num } = useI18n();
  const load = useLoad(() => seedApi.statistic(), [version]);
  const d = load.data;
  const items: [MessageKey, number | undefined, number][] = [
    ['overview.totalChargers', d?.total_charger, 0],
    ['overview.totalEnergy', d?.accumulate_power, 2],
    ['overview.totalMinutes', d?.accumulate_minutes, 0],
    ['overview.inUse', d?.total_charging, 0],
  ];
  return (
    <>
      {load.error && !d ? <ErrorBox error={load.error} onRetry={load.reload} /> : null}
      <div className="counters" data-testid="counters">
        {items.map(([key, v, digits]) => (
          <div className="counter" key={key}>
            <div className="counter-label">{t(key)}</div>
            <div className="counter-value">{load.loading && v === undefined ? '…' : num(v, digits)}</div>
          </div>
        ))}
      </div>
    </>
  );
}
