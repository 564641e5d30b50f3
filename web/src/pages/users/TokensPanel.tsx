import { useState, type FormEvent } from 'react';
import { tokensApi, type ApiToken, type Role } from '../../api/management.ts';
import { Field } from '../../components/Field.tsx';
import { Async, Card, describeError } from '../../components/States.tsx';
import { Table } from '../../components/Table.tsx';
import { useLoad } from '../../components/use-load.ts';
import { useI18n } from '../../i18n/context.tsx';
import { RoleSelect } from './UsersPanel.tsx';

/** API tokens (docs/PRODUCT.md §8): the secret is shown once after creation; revoked tokens stay listed. */
export function TokensPanel() {
  const { t, date } = useI18n();
  const load = useLoad(() => tokensApi.list(), []);
  const [name, setName] = useState('');
  const [role, setRole] = useState<Role>('viewer');
  const [created, setCreated] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  async function create(e: FormEvent) {
    e.preventDefault();
    setError(null);
    try {
      const tok = await tokensApi.create({ name, role });
      setCreated(tok.token);
      setName('');
      load.reload();
    } catch (err) {
      setError(describeError(t, err));
    }
  }
  async function revoke(tk: ApiToken) {
    try {
      await tokensApi.revoke(tk.id);
      load.reload();
    } catch (err) {
      setError(describeError(t, err));
    }
  }
  return (
    <Card title={t('users.tokens')}>
      <form className="form-row" onSubmit={(e) => void create(e)} data-testid="token-form">
        <Field label={t('users.tokenName')}>
          <input name="name" value={name} required maxLength={100} onChange={(e) => setName(e.target.value)} />
        </Field>
        <Field label={t('users.role')}>
          <RoleSelect value={role} onChange={setRole} />
        </Field>
        <button className="btn primary" type="submit">
          {t('users.newToken')}
        </button>
      </form>
      {created ? (
        <div className="state state-ok" data-testid="new-token">
          {t('users.tokenOnce')} <code>{created}</code>
        </div>
      ) : null}
      {error ? (
        <div className="state state-error" role="alert">
          {error}
        </div>
      ) : null}
      <Async load={load} isEmpty={(rows) => rows.length === 0}>
        {(rows) => (
          <Table
            testId="tokens"
            rows={rows}
            rowKey={(r) => r.id}
            columns={[
              { key: 'name', title: t('users.tokenName'), render: (r) => r.name },
              { key: 'prefix', title: t('users.prefix'), render: (r) => <code>{r.prefix}…</code> },
              { key: 'role', title: t('users.role'), render: (r) => t(`role.${r.role}`) },
              { key: 'created', title: t('users.created'), render: (r) => date(r.createdAt) },
              {
                key: 'used',
                title: t('users.lastUsed'),
                render: (r) => (r.lastUsedAt ? date(r.lastUsedAt) : t('common.never')),
              },
              {
                key: 'ops',
                title: t('col.operations'),
                render: (r) =>
                  r.revokedAt ? (
                    <span className="badge idle">{t('users.revoked')}</span>
                  ) : (
                    <button type="button" className="btn small danger" onClick={() => void revoke(r)}>
                      {t('users.revoke')}
                    </button>
                  ),
              },
            ]}
          />
        )}
      </Async>
    </Card>
  );
}
