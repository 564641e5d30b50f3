import { chargersApi } from '../../api/management.ts';
import { Async, Card } from '../../components/States.tsx';
import { Table } from '../../components/Table.tsx';
import { useLoad } from '../../components/use-load.ts';
import { useI18n } from '../../i18n/context.tsx';

const short = (v: unknown) => (v === null || v === undefined ? '—' : JSON.stringify(v));

/** Every command sent to the charger: who, when, payload, answer (docs/PRODUCT.md §5 audit). */
export function CommandLog({ chargerId, version }: { chargerId: string; version: number }) {
  const { t, date } = useI18n();
  const load = useLoad(() => chargersApi.commandLog(chargerId), [chargerId, version]);
  return (
    <Card title={`${t('devices.audit')} · ${chargerId}`}>
      <Async load={load} isEmpty={(rows) => rows.length === 0}>
        {(rows) => (
          <Table
            testId="command-log"
            rows={rows}
            rowKey={(r) => r.id}
            columns={[
              { key: 'at', title: t('devices.when'), render: (r) => date(r.requestedAt) },
              { key: 'who', title: t('devices.who'), render: (r) => r.requestedBy },
              { key: 'action', title: t('devices.action'), render: (r) => r.action },
              {
                key: 'payload',
                title: t('devices.payload'),
                render: (r) => <code className="clip">{short(r.payload)}</code>,
              },
              { key: 'outcome', title: t('devices.outcome'), render: (r) => r.outcome },
              {
                key: 'response',
                title: t('devices.response'),
                render: (r) => <code className="clip">{short(r.response)}</code>,
              },
            ]}
          />
        )}
      </Async>
    </Card>
  );
}
