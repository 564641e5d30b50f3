import { batteryApi } from '../../api/batteries.ts';
import { Async, Card } from '../../components/States.tsx';
import { Table } from '../../components/Table.tsx';
import { useLoad } from '../../components/use-load.ts';
import { useI18n } from '../../i18n/context.tsx';

const show = (v: unknown) => (v === null || v === undefined ? '—' : JSON.stringify(v));

/** docs/PRODUCT.md §4: every registry change (who, when, before, after), per VIN or per pack. */
export function History({
  vin,
  batteryNo,
  bmsNo,
}: {
  vin?: string | undefined;
  batteryNo?: string | undefined;
  bmsNo?: string | undefined;
}) {
  const { t, date } = useI18n();
  const load = useLoad(async () => {
    // A BMS number is resolved to its pack first: history is kept per battery number.
    const no = bmsNo ? (await batteryApi.byBmsNo(bmsNo)).batteryNo : batteryNo;
    return batteryApi.history(vin ? { vin } : { batteryNo: no });
  }, [vin, batteryNo, bmsNo]);
  return (
    <Card title={t('batteries.history')}>
      <Async load={load} isEmpty={(page) => page.items.length === 0}>
        {(page) => (
          <Table
            testId="battery-history"
            rows={page.items}
            rowKey={(r) => r.id}
            columns={[
              { key: 'at', title: t('devices.when'), render: (r) => date(r.at) },
              { key: 'who', title: t('batteries.actor'), render: (r) => r.actor },
              { key: 'action', title: t('devices.action'), render: (r) => r.action },
              {
                key: 'before',
                title: t('batteries.before'),
                render: (r) => <code className="clip">{show(r.before)}</code>,
              },
              {
                key: 'after',
                title: t('batteries.after'),
                render: (r) => <code className="clip">{show(r.after)}</code>,
              },
            ]}
          />
        )}
      </Async>
    </Card>
  );
}
