import { useState, type FormEvent } from 'react';
import { ApiError } from '../../api/client.ts';
import { usersApi, type Role, type User } from '../../api/management.ts';
import { useAuth } from '../../auth/context.tsx';
import { Field } from '../../components/Field.tsx';
import { Async, Card, describeError } from '../../components/States.tsx';
import { Table } from '../../components/Table.tsx';
import { useLoad } from '../../components/use-load.ts';
import { useI18n } from '../../i18n/context.tsx';

const ROLES: Role[] = ['viewer', 'operator', 'admin'];

export function RoleSelect({ value, onChange, name }: { value: Role; onChange: (r: Role) => void; name?: string }) {
  const { t } = useI18n();
  return (
    <select name={name} value={value} onChange={(e) => onChange(e.target.value as Role)}>
      {ROLES.map((r) => (
        <option key={r} value={r}>
          {t(`role.${r}`)}
        </option>
      ))}
    </select>
  );
}

/** Users: create, change role, disable, delete. The server keeps the last admin. */
export function UsersPanel() {
  const { t, date } = useI18n();
  const { me } = useAuth();
  const load = useLoad(() => usersApi.list(), []);
  const [form, setForm] = useState<{ username: string; password: string; role: Role }>({
    username: '',
    password: '',
    role: 'viewer',
  });
  const [fields, setFields] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);

  const run = async (fn: () => Promise<unknown>) => {
    setError(null);
    setFields({});
    try {
      await fn();
      load.reload();
      return true;
    } catch (err) {
      if (err instanceof ApiError) setFields(err.fields);
      setError(describeError(t, err, ['username', 'password']));
      return false;
    }
  };
  async function create(e: FormEvent) {
    e.preventDefault();
    if (await run(() => usersApi.create(form))) setForm({ username: '', password: '', role: 'viewer' });
  }
  return (
    <Card title={t('users.users')}>
      <form className="form-row" onSubmit={(e) => void create(e)} data-testid="user-form">
        <Field label={t('users.username')} error={fields.username}>
          <input
            name="username"
            value={form.username}
            required
            onChange={(e) => setForm({ ...form, username: e.target.value })}
          />
        </Field>
        <Field label={t('users.password')} error={fields.password}>
          <input
            name="password"
            type="password"
            autoComplete="new-password"
            value={form.password}
            required
            onChange={(e) => setForm({ ...form, password: e.target.value })}
          />
        </Field>
        <Field label={t('users.role')}>
          <RoleSelect name="role" value={form.role} onChange={(role) => setForm({ ...form, role })} />
        </Field>
        <button className="btn primary" type="submit">
          {t('users.create')}
        </button>
      </form>
      {error ? (
        <div className="state state-error" role="alert">
          {error}
        </div>
      ) : null}
      <Async load={load}>
        {(users) => (
          <Table
            testId="users"
            rows={users}
            rowKey={(u) => u.id}
            columns={[
              { key: 'name', title: t('users.username'), render: (u: User) => u.username },
              {
                key: 'role',
                title: t('users.role'),
                render: (u: User) => (
                  <RoleSelect value={u.role} onChange={(role) => void run(() => usersApi.update(u.id, { role }))} />
                ),
              },
              {
                key: 'last',
                title: t('users.lastLogin'),
                render: (u: User) => (u.lastLoginAt ? date(u.lastLoginAt) : t('common.never')),
              },
              {
                key: 'ops',
                title: t('col.operations'),
                render: (u: User) =>
                  u.id === me.id ? null : (
                    <span className="btn-row">
                      <button
                        type="button"
                        className="btn small"
                        onClick={() => void run(() => usersApi.update(u.id, { disabled: !u.disabled }))}
                      >
                        {u.disabled ? t('users.enable') : t('users.disable')}
                      </button>
                      <button
                        type="button"
                        className="btn small danger"
                        onClick={() => void run(() => usersApi.remove(u.id))}
                      >
                        {t('users.delete')}
                      </button>
                    </span>
                  ),
              },
            ]}
          />
        )}
      </Async>
    </Card>
  );
}
