import { useState } from 'react';
import { transactionsApi, type SessionFilter, type Transaction } from '../../api/transactions.ts';
import { Async, Card } from '../../components/States.tsx';
import { Table, type Column } from '../../components/Table.tsx';
import { useLoad } from '../../components/use-load.ts';
import { useI18n } from '../../i18n/context.tsx';
import { durationText, reasonText } from './format.ts';
import { SessionFilters } from './SessionFilters.tsx';
import { filterFromUrl, filterToSearch } from './session-query.ts';

const PAGE_SIZE = 50;
type SortBy = NonNullable<SessionFilter['sort']>;

/**
 * Sessions (docs/PRODUCT.md §8): every transaction, filtered and sorted on
 * the server and paged by keyset (`next` cursors; the ones before are kept
 * here for Previous), with the filter's totals and its CSV download.
 */
export default function SessionsPage() {
  const { t, num, date } = useI18n();
  const [filter, setFilter] = useState<SessionFilter>(() => filterFromUrl(location.search));
  // The cursors of the pages before this one; [] on the first page.
  const [cursors, setCursors] = useState<string[]>([]);
  const after = cursors[cursors.length - 1];
  const load = useLoad(() => transactionsApi.list(filter, PAGE_SIZE, after), [JSON.stringify(filter), after]);
  const apply = (f: SessionFilter) => {
    setFilter(f);
    setCursors([]);
    history.replaceState(null, '', `${location.pathname}${filterToSearch(f)}`);
  };
  const sortBy = (by: SortBy) => {
    const current = filter.sort ?? 'start';
    const order = current === by && (filter.order ?? 'asc') === 'asc' ? 'desc' : 'asc';
    apply({ ...filter, sort: by, order });
  };
  const header = (by: SortBy, label: string) => {
    const active = (filter.sort ?? 'start') === by;
    const dir = filter.order ?? 'asc';
    return (
      <button
        type="button"
        className="btn small ghost"
        onClick={() => sortBy(by)}
        title={t('sessions.sortBy', { column: label })}
        aria-sort={active ? (dir === 'asc' ? 'ascending' : 'descending') : 'none'}
        data-testid={`sort-${by}`}
      >
        {label} {active ? (dir === 'asc' ? '▲' : '▼') : ''}
      </button>
    );
  };
  const columns: Column<Transaction>[] = [
    {
      key: 'id',
      title: t('sessions.id'),
      render: (r) => (
        <a href={`/sessions/${r.id}/${filterToSearch(filter)}`} data-testid="session-link">
          {r.id}
        </a>
      ),
    },
    { key: 'charger', title: t('sessions.charger'), render: (r) => r.chargerId },
    { key: 'connector', title: t('sessions.connector'), render: (r) => r.connectorId, className: 'num' },
    { key: 'tag', title: t('sessions.idTag'), render: (r) => r.idTag },
    { key: 'start', title: header('start', t('sessions.start')), render: (r) => date(r.startedAt) },
    {
      key: 'stop',
      title: t('sessions.stop'),
      render: (r) => (r.stoppedAt ? date(r.stoppedAt) : t('sessions.running')),
    },
    {
      key: 'duration',
      title: header('duration', t('sessions.duration')),
      render: (r) => (r.minutes === null ? '—' : durationText(t, r.minutes * 60)),
    },
    {
      key: 'energy',
      title: header('energy', t('sessions.energy')),
      render: (r) => (r.energyKWh === null ? '—' : num(r.energyKWh, 3)),
      className: 'num',
    },
    { key: 'reason', title: t('sessions.stopReason'), render: (r) => reasonText(t, r.stopReason) },
  ];
  return (
    <div className="page sessions" data-testid="page-sessions">
      <Card title={t('sessions.filters')}>
        <SessionFilters value={filter} onApply={apply} />
      </Card>
      <Card
        title={t('nav.sessions')}
        extra={
          <a className="btn small" href={transactionsApi.csvUrl(filter)} download data-testid="sessions-csv">
            {t('sessions.csv')}
          </a>
        }
      >
        <Async load={load}>
          {(page) => (
            <>
              <div className="row-between">
                <span data-testid="sessions-totals" data-count={page.total} data-kwh={page.totalKWh}>
                  {t('sessions.totals', { count: num(page.total, 0), kwh: num(page.totalKWh, 3) })}
                </span>
                <span className="muted" data-testid="sessions-page">
                  {t('sessions.pageN', { n: cursors.length + 1 })}
                </span>
              </div>
              {page.items.length === 0 ? (
                <div className="state state-empty">{t('sessions.none')}</div>
              ) : (
                <Table columns={columns} rows={page.items} rowKey={(r) => r.id} testId="sessions-table" />
              )}
              <div className="row-between">
                <button
                  type="button"
                  className="btn"
                  disabled={cursors.length === 0}
                  onClick={() => setCursors((c) => c.slice(0, -1))}
                  data-testid="sessions-prev"
                >
                  {t('sessions.prev')}
                </button>
                <button
                  type="button"
                  className="btn"
                  disabled={!page.next}
                  onClick={() => page.next && setCursors((c) => [...c, page.next!])}
                  data-testid="sessions-next"
                >
                  {t('sessions.next')}
                </button>
              </div>
            </>
          )}
        </Async>
      </Card>
    </div>
  );
}
