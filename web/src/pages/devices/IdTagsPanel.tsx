import { useState, type FormEvent } from 'react';
import { ApiError } from '../../api/client.ts';
import { idTagsApi } from '../../api/management.ts';
import { Field } from '../../components/Field.tsx';
import { Async, Card, describeError } from '../../components/States.tsx';
import { Table } from '../../components/Table.tsx';
import { useLoad } from '../../components/use-load.ts';
import { useI18n } from '../../i18n/context.tsx';

/** The authorization list (OCPP 1.6 §4.1 Authorize, §7.15 IdTagInfo): expiry and blocking; admins add tags. */
export function IdTagsPanel({ editable }: { editable: boolean }) {
  const { t, date } = useI18n();
  const load = useLoad(() => idTagsApi.list(), []);
  const [form, setForm] = useState({ idTag: '', expiry: '', blocked: false });
  const [fields, setFields] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  async function add(e: FormEvent) {
    e.preventDefault();
    setError(null);
    setFields({});
    try {
      // <input type=date> is a local day; the tag stays valid until that day ends.
      const expiryDate = form.expiry ? new Date(`${form.expiry}T23:59:59`).toISOString() : undefined;
      await idTagsApi.create({ idTag: form.idTag.trim(), expiryDate, blocked: form.blocked });
      setForm({ idTag: '', expiry: '', blocked: false });
      load.reload();
    } catch (err) {
      if (err instanceof ApiError) setFields(err.fields);
      setError(describeError(t, err, ['idTag', 'expiryDate']));
    }
  }
  return (
    <Card title={t('devices.idTags')}>
      {editable ? (
        <form className="form-row" onSubmit={(e) => void add(e)} data-testid="idtag-form">
          <Field label={t('devices.idTag')} error={fields.idTag}>
            <input
              name="idTag"
              value={form.idTag}
              maxLength={20}
              required
              onChange={(e) => setForm({ ...form, idTag: e.target.value })}
            />
          </Field>
          <Field label={t('devices.expiry')} error={fields.expiryDate}>
            <input
              name="expiry"
              type="date"
              value={form.expiry}
              onChange={(e) => setForm({ ...form, expiry: e.target.value })}
            />
          </Field>
          <label className="inline">
            <input
              type="checkbox"
              checked={form.blocked}
              onChange={(e) => setForm({ ...form, blocked: e.target.checked })}
            />{' '}
            {t('devices.blocked')}
          </label>
          <button className="btn primary" type="submit" disabled={!form.idTag.trim()}>
            {t('devices.addTag')}
          </button>
        </form>
      ) : null}
      {error ? (
        <div className="state state-error" role="alert">
          {error}
        </div>
      ) : null}
      <Async load={load} isEmpty={(rows) => rows.length === 0}>
        {(rows) => (
          <Table
            testId="id-tags"
            rows={rows}
            rowKey={(r) => r.idTag}
            columns={[
              { key: 'tag', title: t('devices.idTag'), render: (r) => r.idTag },
              { key: 'expiry', title: t('devices.expiry'), render: (r) => date(r.expiryDate ?? null) },
              {
                key: 'blocked',
                title: t('devices.blocked'),
                render: (r) => (r.blocked ? <span className="badge bad">{t('devices.yes')}</span> : t('devices.no')),
              },
              { key: 'desc', title: t('devices.description'), render: (r) => r.description ?? '' },
            ]}
          />
        )}
      </Async>
    </Card>
  );
}
