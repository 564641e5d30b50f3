import { useState } from 'react';
import { ALERTS_CHANGED, alertsApi, type Alert, type AlertState } from '../../api/alerts.ts';
import { useAuth } from '../../auth/context.tsx';
import { alertKind, alertWhere } from '../../components/AlertLabels.ts';
import { Async, Card, describeError } from '../../components/States.tsx';
import { Table } from '../../components/Table.tsx';
import { useLoad } from '../../components/use-load.ts';
import { useI18n } from '../../i18n/context.tsx';
import { useFeed, useLiveFeed } from '../../live/use-live-feed.ts';

const PAGE_SIZE = 50;

/**
 * Alerts (docs/OPERATIONS.md "Alerts"): what the system raised, newest first,
 * open ones or all, paged by the server; an operator acknowledges one. The
 * list is read again on every raise and clear of the live feed.
 */
export default function AlertsPage() {
  const { t, date } = useI18n();
  const { can } = useAuth();
  const [state, setState] = useState<AlertState>('open');
  const [page, setPage] = useState(1);
  const [error, setError] = useState<string | null>(null);
  const load = useLoad(() => alertsApi.list({ state, page, pageSize: PAGE_SIZE }), [state, page]);
  const feed = useLiveFeed();
  useFeed(feed, (m) => {
    if (m.type === 'alert.raised' || m.type === 'alert.cleared') load.reload();
  });

  async function ack(a: Alert) {
    setError(null);
    try {
      await alertsApi.ack(a.id);
      window.dispatchEvent(new Event(ALERTS_CHANGED));
      load.reload();
    } catch (err) {
      setError(describeError(t, err));
    }
  }

  const pages = Math.max(1, Math.ceil((load.data?.total ?? 0) / PAGE_SIZE));
  return (
    <Card
      title={t('alerts.title')}
      extra={
        <label className="inline">
          {t('alerts.filter')}{' '}
          <select
            name="state"
            data-testid="alert-state"
            value={state}
            onChange={(e) => {
              setState(e.target.value as AlertState);
              setPage(1);
            }}
          >
            <option value="open">{t('alerts.state.open')}</option>
            <option value="all">{t('alerts.state.all')}</option>
          </select>
        </label>
      }
    >
      {error ? (
        <div className="state state-error" role="alert">
          {error}
        </div>
      ) : null}
      <Async load={load} isEmpty={(p) => p.items.length === 0} empty={t('alerts.none')}>
        {(p) => (
          <>
            <Table
              testId="alerts"
              rows={p.items}
              rowKey={(a) => a.id}
              columns={[
                { key: 'at', title: t('alerts.col.raised'), render: (a: Alert) => date(a.at) },
                {
                  key: 'severity',
                  title: t('alerts.col.severity'),
                  render: (a: Alert) => (
                    <span className={`badge sev-${a.severity}`}>{t(`alerts.severity.${a.severity}`)}</span>
                  ),
                },
                { key: 'kind', title: t('alerts.col.kind'), render: (a: Alert) => alertKind(t, a.kind) },
                { key: 'where', title: t('alerts.col.charger'), render: (a: Alert) => alertWhere(t, a) },
                { key: 'message', title: t('alerts.col.message'), render: (a: Alert) => a.message },
                {
                  key: 'cleared',
                  title: t('alerts.col.cleared'),
                  render: (a: Alert) => (a.clearedAt ? date(a.clearedAt) : t('alerts.open')),
                },
                {
                  key: 'ack',
                  title: t('alerts.col.ack'),
                  render: (a: Alert) =>
                    a.acknowledgedBy ? (
                      t('alerts.acked', { who: a.acknowledgedBy, at: date(a.acknowledgedAt) })
                    ) : can('operator') ? (
                      <button type="button" className="btn small" data-testid="alert-ack" onClick={() => void ack(a)}>
                        {t('alerts.ack')}
                      </button>
                    ) : (
                      '–'
                    ),
                },
              ]}
            />
            <div className="btn-row pager">
              <button type="button" className="btn small" disabled={page <= 1} onClick={() => setPage(page - 1)}>
                {t('alerts.prev')}
              </button>
              <span>{t('alerts.page', { page, pages, total: p.total })}</span>
              <button type="button" className="btn small" disabled={page >= pages} onClick={() => setPage(page + 1)}>
                {t('alerts.next')}
              </button>
            </div>
          </>
        )}
      </Async>
    </Card>
  );
}
