import { registryApi, type VehicleRow } from '../../api/batteries.ts';
import { Async, Card } from '../../components/States.tsx';
import { Table } from '../../components/Table.tsx';
import { useLoad } from '../../components/use-load.ts';
import { useI18n } from '../../i18n/context.tsx';

/**
 * The registry's vehicles, filtered by what is typed in the look-up box (debounced
 * by the page); a click opens the vehicle. useLoad drops an answer that arrives
 * after a newer filter's request was started, so a slow old answer cannot
 * replace the list of what is typed now.
 */
export function VehicleList({
  q,
  page,
  onPage,
  onOpen,
}: {
  q: string;
  page: number;
  onPage: (p: number) => void;
  onOpen: (vin: string) => void;
}) {
  const { t, date } = useI18n();
  const load = useLoad(() => registryApi.vehicles(q, page), [q, page]);
  return (
    <Card
      title={t('batteries.vehicles')}
      extra={
        <span className="btn-row">
          <button type="button" className="btn small" disabled={page <= 1} onClick={() => onPage(page - 1)}>
            ‹
          </button>
          <span className="muted">{page}</span>
          <button
            type="button"
            className="btn small"
            disabled={!load.data || load.data.page * load.data.pageSize >= load.data.total}
            onClick={() => onPage(page + 1)}
          >
            ›
          </button>
        </span>
      }
    >
      <Async load={load} isEmpty={(d) => d.items.length === 0}>
        {(d) => (
          <Table
            testId="vehicle-list"
            rows={d.items}
            rowKey={(v: VehicleRow) => v.vinCode}
            onRowClick={(v) => onOpen(((v: VehicleRow) => v.vinCode)(v))}
            columns={[
              { key: 'vin', title: t('batteries.vin'), render: (v: VehicleRow) => v.vinCode },
              { key: 'group', title: t('batteries.groupNo'), render: (v) => v.batteryGroupNo ?? '—' },
              { key: 'packs', title: t('batteries.packs'), render: (v) => v.packs, className: 'num' },
              { key: 'updated', title: t('batteries.updated'), render: (v) => date(v.updatedAt) },
            ]}
          />
        )}
      </Async>
    </Card>
  );
}
