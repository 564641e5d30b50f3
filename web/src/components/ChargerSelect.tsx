import { seedApi } from '../api/seed.ts';
import { useLoad } from './use-load.ts';
import { useI18n } from '../i18n/context.tsx';

/** A charger picker fed by seed §2.12; `allLabel` adds an empty "all" choice. */
export function ChargerSelect({
  value,
  onChange,
  allLabel,
  testId,
}: {
  value: string;
  onChange: (id: string) => void;
  allLabel?: string;
  testId?: string;
}) {
  const { t } = useI18n();
  const load = useLoad(() => seedApi.chargerIds(), []);
  const ids = load.data?.chargers ?? [];
  return (
    <select
      className="select"
      data-testid={testId}
      value={value}
      onChange={(e) => onChange(e.target.value)}
      disabled={!load.data && !allLabel}
      title={load.error ? String((load.error as Error).message) : undefined}
    >
      {allLabel !== undefined ? (
        <option value="">{allLabel}</option>
      ) : (
        <option value="">{load.loading ? t('state.loading') : '—'}</option>
      )}
      {value && !ids.includes(value) ? <option value={value}>{value}</option> : null}
      {ids.map((id) => (
        <option key={id} value={id}>
          {id}
        </option>
      ))}
    </select>
  );
}
