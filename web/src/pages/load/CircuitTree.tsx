import type { ChargerWiring, CircuitLoad, LoadSnapshot } from '../../api/load.ts';
import { useI18n } from '../../i18n/context.tsx';
import { BarLegend, barScale, PhaseBars } from './PhaseBars.tsx';

interface Node {
  circuit: CircuitLoad;
  children: Node[];
}

/** The circuits as a tree under the site (a circuit whose parent is unknown hangs from the site); a cycle cannot be stored. */
export function circuitTree(circuits: CircuitLoad[]): Node[] {
  const nodes = new Map(circuits.map((c) => [c.id, { circuit: c, children: [] as Node[] }]));
  const roots: Node[] = [];
  for (const n of [...nodes.values()].sort((a, b) => a.circuit.name.localeCompare(b.circuit.name))) {
    const parent = n.circuit.parentId === null ? undefined : nodes.get(n.circuit.parentId);
    (parent ? parent.children : roots).push(n);
  }
  return roots;
}

/** The site and its circuits, nested as wired, each with its phases' limit / allowed / measured and the chargers hanging from it. */
export function CircuitTree({ snapshot, wiring }: { snapshot: LoadSnapshot; wiring: ChargerWiring[] | undefined }) {
  const { t } = useI18n();
  const scale = barScale(snapshot.circuits.map((c) => c.phases));
  const chargersOf = (id: number | null) =>
    (wiring ?? [])
      .filter((c) => c.circuitId === id)
      .map((c) => c.id)
      .sort();
  const chargers = (id: number | null) => {
    const ids = chargersOf(id);
    return ids.length ? <div className="muted small">{t('load.chargersHere', { ids: ids.join(', ') })}</div> : null;
  };
  const render = (n: Node) => (
    <li key={n.circuit.id} data-testid="circuit" data-circuit={n.circuit.id} data-name={n.circuit.name}>
      <div className="circuit-head">
        <strong>{n.circuit.name}</strong>
        {chargers(n.circuit.id)}
      </div>
      <PhaseBars phases={n.circuit.phases} scale={scale} withAllowed={snapshot.enabled} compact />
      {n.children.length ? <ul className="circuit-tree">{n.children.map(render)}</ul> : null}
    </li>
  );
  const roots = circuitTree(snapshot.circuits);
  return (
    <div data-testid="circuit-tree">
      {roots.length ? <BarLegend withAllowed={snapshot.enabled} /> : null}
      <div className="circuit-head">
        <strong>{t('load.site')}</strong>
        {chargers(null)}
      </div>
      {roots.length ? (
        <ul className="circuit-tree">{roots.map(render)}</ul>
      ) : (
        <div className="muted">{t('load.noCircuits')}</div>
      )}
    </div>
  );
}
