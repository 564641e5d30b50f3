import { useState } from 'react';
import { circuitsApi, type Circuit } from '../../api/circuits.ts';
import { seedApi } from '../../api/seed.ts';
import { useAuth } from '../../auth/context.tsx';
import { StateLabel } from '../../components/StateLabel.tsx';
import { Async, Card, Empty } from '../../components/States.tsx';
import { Table } from '../../components/Table.tsx';
import { useLoad } from '../../components/use-load.ts';
import { useI18n } from '../../i18n/context.tsx';
import { LiveBadge } from '../../live/LiveBadge.tsx';
import { ChargerTabs } from './ChargerTabs.tsx';
import { CircuitsPanel } from './CircuitsPanel.tsx';
import { ClockSkew } from './ClockSkew.tsx';
import { CommandLog } from './CommandLog.tsx';
import { CommandPanel } from './CommandPanel.tsx';
import { IdTagsPanel } from './IdTagsPanel.tsx';
import { RegistrationPanel } from './RegistrationPanel.tsx';
import { useConnections } from './use-connections.ts';
import { WiringPanel } from './WiringPanel.tsx';

/** Column titles in both languages, as seed §2.14 asks ("列表名字用中英文表示"); the reader's language first. */
function Both({ en, zh }: { en: string; zh: string }) {
  const { lang } = useI18n();
  return (
    <>
      {lang === 'zh' ? zh : en}
      <span className="sub">{lang === 'zh' ? en : zh}</span>
    </>
  );
}
const both = (en: string, zh: string) => <Both en={en} zh={zh} />;

/** Connected or offline, once known. */
function ConnectionBadge({ connected }: { connected: boolean | undefined }) {
  const { t } = useI18n();
  if (connected === undefined) return null;
  return (
    <span className={`badge ${connected ? 'ok' : 'bad'}`} data-testid="connection">
      {t(connected ? 'devices.connected' : 'devices.offline')}
    </span>
  );
}

/**
 * Devices (seed 004 §2.14): the charger list with the operations on the right.
 * Operators send the 19 OCPP commands (docs/PRODUCT.md §5); admins register, approve and
 * reject chargers, edit their wiring and the circuits (docs/PRODUCT.md §7);
 * everyone sees the command log, the wiring, the connectors and the OCPP message log
 * (ChargerTabs.tsx). Viewers see no buttons.
 * Commands are offered only to a connected charger, followed live.
 */
export default function DevicesPage() {
  const { t } = useI18n();
  const { can } = useAuth();
  const load = useLoad(() => seedApi.chargerList(), []);
  // ?charger_id= preselects a charger (the Load page links here to edit one's wiring).
  const [selected, setSelected] = useState<string>(() => new URLSearchParams(location.search).get('charger_id') ?? '');
  const [logVersion, setLogVersion] = useState(0);
  const operator = can('operator');
  const admin = can('admin');
  // The circuit list is admin-only on the server too; others never ask for it.
  const circuits = useLoad<Circuit[] | null>(() => (admin ? circuitsApi.list() : Promise.resolve(null)), [admin]);
  const connections = useConnections();
  const selectedConnected = selected ? connections.isConnected(selected) : undefined;
  return (
    <div className="page devices" data-testid="page-devices">
      <div className="grid devices-grid">
        <Card
          title={t('devices.title')}
          extra={
            <span className="btn-row">
              <LiveBadge state={connections.live} />
              <button type="button" className="btn small ghost" onClick={load.reload}>
                ⟳
              </button>
            </span>
          }
        >
          <Async load={load} isEmpty={(d) => d.data.length === 0}>
            {(d) => (
              <Table
                testId="charger-list"
                rows={d.data}
                rowKey={(r) => r.vch_charger_id}
                selected={selected}
                onRowClick={(r) => setSelected(r.vch_charger_id)}
                columns={[
                  { key: 'id', title: both('Charger ID', '电桩ID'), render: (r) => r.vch_charger_id },
                  {
                    key: 'fw',
                    title: both('Firmware Ver', '固件版本'),
                    render: (r) => r.vch_firmware_ver?.trim() || '—',
                  },
                  { key: 'model', title: both('Model ID', '固件ID'), render: (r) => r.vch_model_id || '—' },
                  { key: 'state', title: both('State', '状态'), render: (r) => <StateLabel state={r.vch_state} /> },
                  ...(operator
                    ? [
                        {
                          key: 'ops',
                          title: both('Operations', '操作'),
                          className: 'ops',
                          render: (r: { vch_charger_id: string }) => (
                            <span className="btn-row">
                              <button
                                type="button"
                                className="btn small"
                                data-testid="open-commands"
                                onClick={() => setSelected(r.vch_charger_id)}
                              >
                                {t('devices.commands')}
                              </button>
                              <ConnectionBadge connected={connections.isConnected(r.vch_charger_id)} />
                            </span>
                          ),
                        },
                      ]
                    : []),
                ]}
              />
            )}
          </Async>
        </Card>
        <div className="stack">
          {operator ? (
            <Card
              title={selected ? `${t('devices.commands')} · ${selected}` : t('devices.commands')}
              extra={selected ? <ConnectionBadge connected={selectedConnected} /> : null}
            >
              {selected ? (
                <CommandPanel
                  chargerId={selected}
                  connected={selectedConnected}
                  onSent={() => setLogVersion((v) => v + 1)}
                />
              ) : (
                <Empty>{t('devices.select')}</Empty>
              )}
            </Card>
          ) : null}
          {selected ? (
            <WiringPanel
              key={selected}
              chargerId={selected}
              editable={admin}
              circuits={circuits.data ?? undefined}
              onSaved={circuits.reload}
            />
          ) : null}
          {selected ? <ClockSkew chargerId={selected} /> : null}
          {selected ? <CommandLog chargerId={selected} version={logVersion} /> : null}
        </div>
      </div>
      {/* Full width: the message log's columns need it. */}
      {selected ? <ChargerTabs chargerId={selected} /> : null}
      <RegistrationPanel editable={admin} onChange={load.reload} />
      {admin ? <CircuitsPanel load={circuits} /> : null}
      <IdTagsPanel editable={admin} />
    </div>
  );
}
