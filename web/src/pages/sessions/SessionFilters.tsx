import { useState, type FormEvent } from 'react';
import type { SessionFilter } from '../../api/transactions.ts';
import { ChargerSelect } from '../../components/ChargerSelect.tsx';
import { useI18n } from '../../i18n/context.tsx';
import { reasonText, STOP_REASONS } from './format.ts';

/** The list's filters (charger, site-local days, id tag, running or finished, stop reason); applied together. */
export function SessionFilters({ value, onApply }: { value: SessionFilter; onApply: (f: SessionFilter) => void }) {
  const { t } = useI18n();
  const [draft, setDraft] = useState<SessionFilter>(value);
  const set = (patch: SessionFilter) => setDraft((d) => ({ ...d, ...patch }));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    // The order is the table's (its headers), not the form's: keep the one in force.
    onApply({ ...draft, sort: value.sort, order: value.order, id_tag: draft.id_tag?.trim() || undefined });
  };
  const reset = () => {
    const cleared = { sort: value.sort, order: value.order };
    setDraft(cleared);
    onApply(cleared);
  };
  return (
    <form className="form-row" onSubmit={submit} data-testid="session-filters">
      <label className="field">
        <span className="field-label">{t('sessions.charger')}</span>
        <ChargerSelect
          value={draft.charger_id ?? ''}
          onChange={(id) => set({ charger_id: id || undefined })}
          allLabel={t('sessions.allChargers')}
          testId="filter-charger"
        />
      </label>
      <label className="field">
        <span className="field-label">{t('sessions.from')}</span>
        <input
          type="date"
          value={draft.from ?? ''}
          onChange={(e) => set({ from: e.target.value || undefined })}
          data-testid="filter-from"
        />
      </label>
      <label className="field">
        <span className="field-label">{t('sessions.to')}</span>
        <input
          type="date"
          value={draft.to ?? ''}
          onChange={(e) => set({ to: e.target.value || undefined })}
          data-testid="filter-to"
        />
      </label>
      <label className="field">
        <span className="field-label">{t('sessions.idTag')}</span>
        <input
          value={draft.id_tag ?? ''}
          maxLength={64}
          onChange={(e) => set({ id_tag: e.target.value || undefined })}
          data-testid="filter-id-tag"
        />
      </label>
      <label className="field">
        <span className="field-label">{t('sessions.state')}</span>
        <select
          className="select"
          value={draft.state ?? ''}
          onChange={(e) => set({ state: (e.target.value || undefined) as SessionFilter['state'] })}
          data-testid="filter-state"
        >
          <option value="">{t('sessions.stateAny')}</option>
          <option value="running">{t('sessions.running')}</option>
          <option value="finished">{t('sessions.finished')}</option>
        </select>
      </label>
      <label className="field">
        <span className="field-label">{t('sessions.stopReason')}</span>
        <select
          className="select"
          value={draft.stop_reason ?? ''}
          onChange={(e) => set({ stop_reason: e.target.value || undefined })}
          data-testid="filter-reason"
        >
          <option value="">{t('sessions.reasonAny')}</option>
          {STOP_REASONS.map((r) => (
            <option key={r} value={r}>
              {reasonText(t, r)}
            </option>
          ))}
        </select>
      </label>
      <button type="submit" className="btn primary" data-testid="filter-apply">
        {t('sessions.apply')}
      </button>
      <button type="button" className="btn ghost" onClick={reset}>
        {t('sessions.reset')}
      </button>
    </form>
  );
}
