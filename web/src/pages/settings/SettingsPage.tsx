import { useEffect, useState, type FormEvent } from 'react';
import { SETTINGS_KEYS, SETTINGS_RULES, type BasicSettings, type SettingsKey } from '../../../../contracts/settings.ts';
import { ApiError } from '../../api/client.ts';
import { seedApi } from '../../api/seed.ts';
import { useAuth } from '../../auth/context.tsx';
import { Field } from '../../components/Field.tsx';
import { Async, Card, describeError } from '../../components/States.tsx';
import { useLoad } from '../../components/use-load.ts';
import { useI18n } from '../../i18n/context.tsx';
import { SETTINGS_LABELS } from '../../i18n/fields.ts';
import { checkForm, ruleText } from './rule-text.ts';

type Form = Record<SettingsKey, string>;
type Notice = { tone: 'ok' | 'error' | 'info'; text: string } | null;

const toForm = (s: BasicSettings): Form => Object.fromEntries(SETTINGS_KEYS.map((k) => [k, String(s[k])])) as Form;

/**
 * Settings (seed 004 §2.4/§2.5): every field initialised from the server,
 * checked in the page with the server's own rules before anything is sent;
 * only changed fields are posted, and the server's per-field answer is shown
 * at each field.
 */
export default function SettingsPage() {
  const { t, lang } = useI18n();
  const { can } = useAuth();
  const load = useLoad(() => seedApi.settings(), []);
  const [form, setForm] = useState<Form | null>(null);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [notice, setNotice] = useState<Notice>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    if (load.data) setForm(toForm(load.data));
  }, [load.data]);
  const editable = can('admin');

  async function save(e: FormEvent) {
    e.preventDefault();
    if (!form || !load.data) return;
    const base = toForm(load.data);
    const changes = Object.fromEntries(SETTINGS_KEYS.filter((k) => form[k] !== base[k]).map((k) => [k, form[k]]));
    if (Object.keys(changes).length === 0) {
      setErrors({});
      setNotice({ tone: 'info', text: t('settings.noChange') });
      return;
    }
    const checked = checkForm(changes, load.data, lang);
    if (!checked.ok) {
      setErrors(checked.errors);
      setNotice({ tone: 'error', text: t('settings.invalid') });
      return;
    }
    setBusy(true);
    try {
      const saved = await seedApi.saveSettings(checked.value);
      load.set(saved);
      setErrors({});
      setNotice({ tone: 'ok', text: t('settings.saved') });
    } catch (err) {
      if (err instanceof ApiError && err.status === 400 && Object.keys(err.fields).length) {
        setErrors(err.fields);
        setNotice({ tone: 'error', text: t('settings.rejected') });
      } else setNotice({ tone: 'error', text: describeError(t, err) });
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="page settings" data-testid="page-settings">
      <Card title={t('settings.title')}>
        <Async load={load}>
          {() =>
            form && (
              <form onSubmit={(e) => void save(e)} noValidate data-testid="settings-form">
                {!editable ? <div className="state state-info">{t('settings.readOnly')}</div> : null}
                <div className="form-grid">
                  {SETTINGS_KEYS.map((k) => {
                    const rule = SETTINGS_RULES[k];
                    return (
                      <Field
                        key={k}
                        name={k}
                        label={SETTINGS_LABELS[k][lang]}
                        error={errors[k]}
                        hint={`${k} · ${ruleText(k, lang)}`}
                      >
                        {rule.kind === 'enum' ? (
                          <select
                            name={k}
                            value={form[k]}
                            disabled={!editable}
                            onChange={(e) => setForm({ ...form, [k]: e.target.value })}
                          >
                            {rule.values.map((v) => (
                              <option key={v}>{v}</option>
                            ))}
                          </select>
                        ) : (
                          <input
                            name={k}
                            value={form[k]}
                            disabled={!editable}
                            inputMode={rule.kind === 'int' ? 'numeric' : rule.kind === 'float' ? 'decimal' : 'text'}
                            aria-invalid={errors[k] ? true : undefined}
                            onChange={(e) => setForm({ ...form, [k]: e.target.value })}
                          />
                        )}
                      </Field>
                    );
                  })}
                </div>
                {notice ? (
                  <div className={`state state-${notice.tone}`} role="status" data-testid="settings-notice">
                    {notice.text}
                  </div>
                ) : null}
                {editable ? (
                  <div className="form-actions">
                    <button className="btn primary" type="submit" disabled={busy}>
                      {busy ? t('state.saving') : t('settings.save')}
                    </button>
                    <button
                      className="btn"
                      type="button"
                      onClick={() => {
                        if (load.data) setForm(toForm(load.data));
                        setErrors({});
                        setNotice(null);
                      }}
                    >
                      {t('settings.reset')}
                    </button>
                  </div>
                ) : null}
              </form>
            )
          }
        </Async>
      </Card>
    </div>
  );
}
