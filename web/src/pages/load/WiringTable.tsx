import type { ChargerWiring, CircuitLoad } from '../../api/load.ts';
import { Empty } from '../../components/States.tsx';
import { Table } from '../../components/Table.tsx';
import { useI18n } from '../../i18n/context.tsx';

/**
 * Each charger's wiring as the load controller reads it: phases wired, the
 * rotation (its own or the site's vchpowersequence), the site phases it
 * loads, its circuit and currents; edited on the Devices page.
 */
export function WiringTable({ chargers, circuits }: { chargers: ChargerWiring[]; circuits: CircuitLoad[] }) {
  const { t, num } = useI18n();
  if (chargers.length === 0) return <Empty>{t('load.noChargers')}</Empty>;
  const names = new Map(circuits.map((c) => [c.id, c.name]));
  const rows = [...chargers].sort((a, b) => a.id.localeCompare(b.id));
  return (
    <Table
      testId="load-wiring"
      rows={rows}
      rowKey={(c) => c.id}
      columns={[
        { key: 'id', title: t('load.charger'), render: (c) => c.id },
        { key: 'maxPhase', title: t('load.phasesWired'), className: 'num', render: (c) => c.maxPhase },
        {
          key: 'rotation',
          title: t('load.rotation'),
          render: (c) =>
            c.phaseRotation ?? (
              <span className="muted">{t('load.siteDefault', { rotation: c.effectiveRotation })}</span>
            ),
        },
        { key: 'loads', title: t('load.loads'), render: (c) => c.phases.join(' ') },
        {
          key: 'circuit',
          title: t('load.circuit'),
          render: (c) =>
            c.circuitId === null ? (
              <span className="muted">{t('load.noCircuit')}</span>
            ) : (
              (names.get(c.circuitId) ?? `#${c.circuitId}`)
            ),
        },
        {
          key: 'currents',
          title: t('load.currents'),
          className: 'num',
          render: (c) => `${num(c.minCurrent, 1)}–${num(c.maxCurrent, 1)}`,
        },
        {
          key: 'edit',
          title: '',
          render: (c) => (
            <a href={`/devices/?charger_id=${encodeURIComponent(c.id)}`} data-testid="edit-wiring">
              {t('load.edit')}
            </a>
          ),
        },
      ]}
    />
  );
}
