import { useState, type FormEvent } from 'react';
import { ApiError } from '../../api/client.ts';
import { authApi } from '../../api/management.ts';
import { LanguageSwitch } from '../../components/LanguageSwitch.tsx';
import { Field } from '../../components/Field.tsx';
import { describeError } from '../../components/States.tsx';
import { useI18n } from '../../i18n/context.tsx';

/** Only same-site paths may be a `next` target, so the login cannot bounce a user elsewhere. */
function safeNext(): string {
  const next = new URLSearchParams(location.search).get('next') ?? '';
  return /^\/(?!\/)[^\\]*$/.test(next) && !next.startsWith('/login') ? next : '/overview/';
}

export default function LoginPage() {
  const { t } = useI18n();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await authApi.login(username, password);
      location.assign(safeNext());
    } catch (err) {
      setBusy(false);
      if (err instanceof ApiError && err.status === 401) setError(t('login.failed'));
      else if (err instanceof ApiError && err.status === 429) setError(t('login.throttled'));
      else setError(describeError(t, err));
    }
  }

  return (
    <div className="login-wrap">
      <form className="card login" onSubmit={(e) => void submit(e)}>
        <header className="card-head">
          <h2>⚡ {t('login.title')}</h2>
          <LanguageSwitch />
        </header>
        <div className="card-body">
          <Field label={t('login.username')}>
            <input
              name="username"
              autoComplete="username"
              value={username}
              onChange={(e) => setUsername(e.target.value)}
              required
              autoFocus
            />
          </Field>
          <Field label={t('login.password')}>
            <input
              name="password"
              type="password"
              autoComplete="current-password"
              value={password}
              onChange={(e) => setPassword(e.target.value)}
              required
            />
          </Field>
          {error && (
            <div className="state state-error" role="alert">
              {error}
            </div>
          )}
          <button className="btn primary" type="submit" disabled={busy}>
            {busy ? t('state.loading') : t('login.submit')}
          </button>
        </div>
      </form>
    </div>
  );
}
