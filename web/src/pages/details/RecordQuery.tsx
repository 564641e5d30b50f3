import { useEffect, useState } from 'react';
import { seedApi } from '../../api/seed.ts';
import { Card, ErrorBox, Spinner } from '../../components/States.tsx';
import { useLoad } from '../../components/use-load.ts';
import { useI18n } from '../../i18n/context.tsx';
import { RecordModal } from './RecordModal.tsx';

function today(): string {
  const d = new Date();
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
}

/**
 * Seed §2.2's query: pick a date, then a record ID (intrecordid) of that day,
 * which fills its charge code (intchargingcode); Start opens the record in full.
 */
export function RecordQuery({ chargerId }: { chargerId: string }) {
  const { t } = useI18n();
  const [date, setDate] = useState(today);
  const [recordId, setRecordId] = useState<number | null>(null);
  const [open, setOpen] = useState<number | null>(null);
  const load = useLoad(() => seedApi.recordList(date, chargerId || undefined), [date, chargerId]);
  const list = load.data?.result ?? [];
  useEffect(() => setRecordId(list[0]?.intrecordid ?? null), [load.data]);
  const chosen = list.find((r) => r.intrecordid === recordId);
  return (
    <Card title={t('details.records')}>
      <div className="form-row">
        <label className="field">
          <span className="field-label">{t('details.date')}</span>
          <input type="date" value={date} onChange={(e) => setDate(e.target.value)} data-testid="record-date" />
        </label>
        <label className="field">
          <span className="field-label">{t('details.recordId')}</span>
          <select
            value={recordId ?? ''}
            onChange={(e) => setRecordId(Number(e.target.value))}
            disabled={list.length === 0}
            data-testid="record-id"
          >
            {list.map((r) => (
              <option key={r.intrecordid} value={r.intrecordid}>
                {r.intrecordid}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span className="field-label">{t('details.chargeCode')}</span>
          <input readOnly value={chosen?.intchargingcode ?? ''} data-testid="charge-code" />
        </label>
        <button
          type="button"
          className="btn primary"
          disabled={!chosen}
          onClick={() => chosen && setOpen(chosen.intrecordid)}
        >
          {t('details.start')}
        </button>
      </div>
      {load.loading && !load.data ? <Spinner /> : null}
      {load.error ? <ErrorBox error={load.error} onRetry={load.reload} /> : null}
      {load.data && list.length === 0 ? <div className="state state-empty">{t('details.noRecords')}</div> : null}
      {open !== null ? <RecordModal id={open} onClose={() => setOpen(null)} /> : null}
    </Card>
  );
}
