import { useState, type FormEvent } from 'react';
import { ApiError } from '../../api/client.ts';
import { chargersApi, type Charger } from '../../api/management.ts';
import { Field } from '../../components/Field.tsx';
import { Async, Card, describeError } from '../../components/States.tsx';
import { Table } from '../../components/Table.tsx';
import { useLoad } from '../../components/use-load.ts';
import { useI18n } from '../../i18n/context.tsx';

/**
 * Charger admission (docs/PRODUCT.md §5): register a charger with its Basic-auth secret;
 * approve or reject one that connected by itself and waits Pending.
 * Everyone sees the registrations; only admins get the buttons.
 */
export function RegistrationPanel({ editable, onChange }: { editable: boolean; onChange: () => void }) {
  const { t, date } = useI18n();
  const load = useLoad(() => chargersApi.list(), []);
  const [form, setForm] = useState({ id: '', secret: '', description: '' });
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);

  const after = () => {
    load.reload();
    onChange();
  };
  async function register(e: FormEvent) {
    e.preventDefault();
    setFieldErrors({});
    try {
      await chargersApi.register({
        id: form.id.trim(),
        secret: form.secret,
        description: form.description || undefined,
      });
      setMessage({ ok: true, text: t('devices.registered', { id: form.id.trim() }) });
      setForm({ id: '', secret: '', description: '' });
      after();
    } catch (err) {
      if (err instanceof ApiError) setFieldErrors(err.fields);
      setMessage({ ok: false, text: describeError(t, err, ['id', 'secret', 'description']) });
    }
  }
  async function decide(c: Charger, registration: Charger['registration']) {
    try {
      await chargersApi.setRegistration(c.id, registration);
      after();
    } catch (err) {
      setMessage({ ok: false, text: describeError(t, err) });
    }
  }

  return (
    <Card title={t('col.registration')}>
      {editable ? (
        <form className="form-row" onSubmit={(e) => void register(e)} data-testid="register-form">
          <Field label={t('devices.chargerId')} error={fieldErrors.id}>
            <input name="id" value={form.id} required onChange={(e) => setForm({ ...form, id: e.target.value })} />
          </Field>
          <Field label={t('devices.secret')} error={fieldErrors.secret}>
            <input
              name="secret"
              type="password"
              autoComplete="new-password"
              value={form.secret}
              onChange={(e) => setForm({ ...form, secret: e.target.value })}
            />
          </Field>
          <Field label={t('devices.description')} error={fieldErrors.description}>
            <input
              name="description"
              value={form.description}
              onChange={(e) => setForm({ ...form, description: e.target.value })}
            />
          </Field>
          <button className="btn primary" type="submit" disabled={!form.id.trim()}>
            {t('devices.register')}
          </button>
        </form>
      ) : null}
      {message ? <div className={`state ${message.ok ? 'state-ok' : 'state-error'}`}>{message.text}</div> : null}
      <Async load={load} isEmpty={(rows) => rows.length === 0}>
        {(rows) => (
          <Table
            testId="registrations"
            rows={rows}
            rowKey={(r) => r.id}
            columns={[
              { key: 'id', title: t('col.chargerId'), render: (r) => r.id },
              {
                key: 'reg',
                title: t('col.registration'),
                render: (r) => (
                  <span
                    className={`badge ${r.registration === 'Accepted' ? 'ok' : r.registration === 'Pending' ? 'warn' : 'bad'}`}
                  >
                    {t(`registration.${r.registration}`)}
                  </span>
                ),
              },
              { key: 'online', title: t('col.online'), render: (r) => (r.online ? t('devices.yes') : t('devices.no')) },
              { key: 'seen', title: t('devices.when'), render: (r) => date(r.lastSeenAt ?? null) },
              { key: 'desc', title: t('devices.description'), render: (r) => r.description ?? '' },
              ...(editable
                ? [
                    {
                      key: 'ops',
                      title: t('col.operations'),
                      render: (r: Charger) => (
                        <span className="btn-row">
                          {r.registration !== 'Accepted' ? (
                            <button type="button" className="btn small" onClick={() => void decide(r, 'Accepted')}>
                              {t('devices.approve')}
                            </button>
                          ) : null}
                          {r.registration !== 'Rejected' ? (
                            <button
                              type="button"
                              className="btn small danger"
                              onClick={() => void decide(r, 'Rejected')}
                            >
                              {t('devices.reject')}
                            </button>
                          ) : null}
                        </span>
                      ),
                    },
                  ]
                : []),
            ]}
          />
        )}
      </Async>
    </Card>
  );
}
