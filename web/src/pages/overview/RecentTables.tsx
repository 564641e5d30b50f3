import { seedApi } from '../../api/seed.ts';
import { Async, Card } from '../../components/States.tsx';
import { Table } from '../../components/Table.tsx';
import { useLoad } from '../../components/use-load.ts';
import { useI18n } from '../../i18n/context.tsx';
import { StateLabel } from '../../components/StateLabel.tsx';

/** Seed §2.7: the latest finished records, newest first. */
export function RecentRecords({ version }: { version: number }) {
  const { t, num, date } = useI18n();
  const load = useLoad(() => seedApi.recentRecords(), [version]);
  return (
    <Card title={t('overview.recentRecords')}>
      <Async load={load} isEmpty={(d) => d.result.length === 0}>
        {(d) => (
          <Table
            testId="recent-records"
            rows={d.result}
            rowKey={(r) => r.intrecordid}
            columns={[
              { key: 'id', title: t('col.recordId'), render: (r) => r.intrecordid },
              { key: 'fin', title: t('col.finishTime'), render: (r) => date(r.dttfinishtime) },
              { key: 'e', title: t('col.energy'), render: (r) => num(r.dblenergy, 3), className: 'num' },
            ]}
          />
        )}
      </Async>
    </Card>
  );
}

/** Seed §2.8: each charger's state and last message. */
export function ChargerStates({ version }: { version: number }) {
  const { t } = useI18n();
  const load = useLoad(() => seedApi.recentStates(), [version]);
  return (
    <Card title={t('overview.chargerStates')}>
      <Async load={load} isEmpty={(d) => d.result.length === 0}>
        {(d) => (
          <Table
            testId="charger-states"
            rows={d.result}
            rowKey={(r) => r.vchchargerid}
            columns={[
              {
                key: 'id',
                title: t('col.chargerId'),
                render: (r) => (
                  <a href={`/details/?charger_id=${encodeURIComponent(r.vchchargerid)}`}>{r.vchchargerid}</a>
                ),
              },
              { key: 'state', title: t('col.state'), render: (r) => <StateLabel state={r.vchstate} /> },
              { key: 'cmd', title: t('col.command'), render: (r) => r.vchcommand ?? '—' },
            ]}
          />
        )}
      </Async>
    </Card>
  );
}
