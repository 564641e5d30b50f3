import { useCallback, useEffect, useMemo, useRef } from 'react';
import { chargersApi } from '../../api/management.ts';
import { applyStatus, ConnectorTable, type ConnectorRow } from '../../components/ConnectorTable.tsx';
import { Async } from '../../components/States.tsx';
import { useLoad } from '../../components/use-load.ts';
import { useI18n } from '../../i18n/context.tsx';
import type { LiveMessage } from '../../live/live-types.ts';
import { useLive } from '../../live/use-live.ts';

/**
 * The selected charger's connectors (GET /api/chargers/<id>), kept live: a
 * `status` event updates its row at once, then the charger is read again
 * (debounced) for what the event does not carry (vendor error, info), and
 * whenever the feed (re)opens, since events are missed while it is down.
 */
export function ConnectorsPanel({ chargerId }: { chargerId: string }) {
  const { t } = useI18n();
  const load = useLoad(
    () => chargersApi.get(chargerId).then((c) => c.connectors.map((x) => ({ ...x, chargerId }) as ConnectorRow)),
    [chargerId],
  );
  const timer = useRef<ReturnType<typeof setTimeout>>(undefined);
  const { data, set, reload } = load;
  const onMessage = useCallback(
    (m: LiveMessage) => {
      if (m.type !== 'status' || m.chargerId !== chargerId) return;
      set(applyStatus(data ?? [], m));
      clearTimeout(timer.current);
      timer.current = setTimeout(reload, 500);
    },
    [chargerId, data, set, reload],
  );
  const interest = useMemo(() => ({ kind: 'charger' as const, chargerId }), [chargerId]);
  const live = useLive(interest, onMessage);
  useEffect(() => {
    if (live.kind === 'open') reload();
  }, [live.kind, reload]);
  useEffect(() => () => clearTimeout(timer.current), []);
  return (
    <div data-testid="connectors-panel" data-live={live.kind}>
      <Async load={load} isEmpty={(rows) => rows.length === 0} empty={t('connectors.none')}>
        {(rows) => <ConnectorTable rows={rows} showCharger={false} testId="connector-table" />}
      </Async>
    </div>
  );
}
