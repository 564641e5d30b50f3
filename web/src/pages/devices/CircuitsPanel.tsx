import { useState } from 'react';
import { ApiError } from '../../api/client.ts';
import { circuitsApi, type Circuit, type CircuitInUse } from '../../api/circuits.ts';
import { Async, Card, describeError } from '../../components/States.tsx';
import { Table } from '../../components/Table.tsx';
import type { Loaded } from '../../components/use-load.ts';
import { useI18n } from '../../i18n/context.tsx';
import { CircuitForm } from './CircuitForm.tsx';

type Notice = { ok: boolean; text: string } | null;

/**
 * Circuits (docs/PRODUCT.md §7), admin only: the list with each one's parent,
 * limits per site phase and chargers; create, edit (name, parent, limits) and
 * delete. A delete the server refuses because something still hangs from the
 * circuit (409 CIRCUIT_IN_USE) says in words what does.
 */
export function CircuitsPanel({ load }: { load: Loaded<Circuit[] | null> }) {
  const { t, num } = useI18n();
  const [editing, setEditing] = useState<Circuit | null>(null);
  const [deleting, setDeleting] = useState<Circuit | null>(null);
  const [notice, setNotice] = useState<Notice>(null);
  const all = load.data ?? [];
  const nameOf = (id: number | null) =>
    id === null ? t('circuits.site') : (all.find((c) => c.id === id)?.name ?? `#${id}`);
  const list = (xs: string[]) => (xs.length ? xs.join(', ') : t('circuits.none'));

  const changed = (text: string) => {
    setNotice({ ok: true, text });
    // The wiring editor's circuit select reads the same list, so it follows.
    load.reload();
  };
  async function remove(c: Circuit) {
    try {
      await circuitsApi.remove(c.id);
      setDeleting(null);
      changed(t('circuits.deleted', { name: c.name }));
    } catch (err) {
      setDeleting(null);
      if (err instanceof ApiError && err.code === 'CIRCUIT_IN_USE') {
        const d = (err.details ?? { chargerIds: [], circuitIds: [] }) as CircuitInUse;
        setNotice({
          ok: false,
          text: t('circuits.inUse', {
            name: c.name,
            chargers: list(d.chargerIds),
            circuits: list(d.circuitIds.map(nameOf)),
          }),
        });
      } else setNotice({ ok: false, text: describeError(t, err) });
    }
  }

  return (
    <Card title={t('circuits.title')}>
      <p className="field-hint">{t('circuits.intro')}</p>
      {editing ? (
        <CircuitForm
          key={editing.id}
          circuits={all}
          editing={editing}
          onDone={(saved) => {
            setEditing(null);
            changed(t('circuits.saved', { name: saved.name }));
          }}
          onCancel={() => setEditing(null)}
        />
      ) : (
        <CircuitForm circuits={all} onDone={(saved) => changed(t('circuits.created', { name: saved.name }))} />
      )}
      {deleting ? (
        <div className="state state-info btn-row" role="group" data-testid="circuit-delete-confirm">
          <span>{t('circuits.deleteConfirm', { name: deleting.name })}</span>
          <button
            type="button"
            className="btn small danger"
            onClick={() => void remove(deleting)}
            data-testid="circuit-delete-yes"
          >
            {t('circuits.deleteYes')}
          </button>
          <button type="button" className="btn small" onClick={() => setDeleting(null)}>
            {t('circuits.cancel')}
          </button>
        </div>
      ) : null}
      {notice ? (
        <div className={`state ${notice.ok ? 'state-ok' : 'state-error'}`} role="status" data-testid="circuits-notice">
          {notice.text}
        </div>
      ) : null}
      <Async load={load} isEmpty={(rows) => !rows || rows.length === 0} empty={t('circuits.empty')}>
        {(rows) => (
          <Table
            testId="circuits"
            rows={rows ?? []}
            rowKey={(c) => c.id}
            columns={[
              { key: 'name', title: t('circuits.name'), render: (c) => c.name },
              { key: 'parent', title: t('circuits.parent'), render: (c) => nameOf(c.parentId) },
              {
                key: 'limits',
                title: t('circuits.limits'),
                render: (c) => `${num(c.limits.A)} / ${num(c.limits.B)} / ${num(c.limits.C)}`,
              },
              { key: 'chargers', title: t('circuits.chargers'), render: (c) => list(c.chargerIds) },
              {
                key: 'ops',
                title: t('col.operations'),
                render: (c) => (
                  <span className="btn-row">
                    <button
                      type="button"
                      className="btn small"
                      data-testid="circuit-edit"
                      onClick={() => setEditing(c)}
                    >
                      {t('circuits.edit')}
                    </button>
                    <button
                      type="button"
                      className="btn small danger"
                      data-testid="circuit-delete"
                      onClick={() => setDeleting(c)}
                    >
                      {t('circuits.delete')}
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
