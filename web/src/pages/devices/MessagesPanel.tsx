import { useState } from 'react';
import { messagesApi, type OcppMessage, type OcppMessageFilter, type OcppMessagePage } from '../../api/messages.ts';
import { Async, ErrorBox } from '../../components/States.tsx';
import { Table } from '../../components/Table.tsx';
import { useDebounced } from '../../components/use-debounced.ts';
import { useLoad } from '../../components/use-load.ts';
import { useI18n } from '../../i18n/context.tsx';
import { MessagePair } from './MessagePair.tsx';
import { collectMessages, DOWNLOAD_CAP, saveJson } from './message-download.ts';

const PAGE = 100;
/** Suggestions for the action filter: the OCPP 1.6 actions of either direction (§4, §5). */
const ACTIONS = [
  'Authorize',
  'BootNotification',
  'DataTransfer',
  'DiagnosticsStatusNotification',
  'FirmwareStatusNotification',
  'Heartbeat',
  'MeterValues',
  'StartTransaction',
  'StatusNotification',
  'StopTransaction',
  'CancelReservation',
  'ChangeAvailability',
  'ChangeConfiguration',
  'ClearCache',
  'ClearChargingProfile',
  'GetCompositeSchedule',
  'GetConfiguration',
  'GetDiagnostics',
  'GetLocalListVersion',
  'RemoteStartTransaction',
  'RemoteStopTransaction',
  'ReserveNow',
  'Reset',
  'SendLocalList',
  'SetChargingProfile',
  'TriggerMessage',
  'UnlockConnector',
  'UpdateFirmware',
];

const short = (v: unknown) => (v === null || v === undefined ? '—' : JSON.stringify(v));

/**
 * The selected charger's OCPP message log (GET /api/chargers/<id>/messages,
 * docs/OPERATIONS.md "OCPP message log"): newest first, filtered by action,
 * direction and errors, older pages on demand; a click on a frame shows its
 * call and answer with the latency; the filtered log downloads as JSON.
 */
export function MessagesPanel({ chargerId }: { chargerId: string }) {
  const { t, date } = useI18n();
  const [action, setAction] = useState('');
  const [direction, setDirection] = useState<'' | 'in' | 'out'>('');
  const [errors, setErrors] = useState(false);
  const [older, setOlder] = useState<OcppMessagePage[]>([]);
  const [olderError, setOlderError] = useState<unknown>(null);
  const [open, setOpen] = useState<OcppMessage | null>(null);
  const [downloading, setDownloading] = useState(false);
  const [capped, setCapped] = useState(false);
  const typed = useDebounced(action.trim(), 300);
  const filter: OcppMessageFilter = {
    action: typed || undefined,
    direction: direction || undefined,
    errors: errors ? true : undefined,
  };
  const load = useLoad(() => {
    setOlder([]);
    return messagesApi.page(chargerId, { ...filter, limit: PAGE });
  }, [chargerId, typed, direction, errors]);
  const pages = load.data ? [load.data, ...older] : [];
  const items = pages.flatMap((p) => p.items);
  const next = pages.length ? pages[pages.length - 1]!.nextBefore : null;

  const loadOlder = () => {
    if (next === null) return;
    messagesApi.page(chargerId, { ...filter, limit: PAGE, before: next }).then((p) => {
      setOlderError(null);
      setOlder((o) => [...o, p]);
    }, setOlderError);
  };
  const download = async () => {
    setDownloading(true);
    try {
      const { items: all, capped: more } = await collectMessages(chargerId, filter);
      setCapped(more);
      saveJson(`messages-${chargerId}.json`, all);
    } catch (err) {
      setOlderError(err);
    } finally {
      setDownloading(false);
    }
  };

  return (
    <div className="messages" data-testid="messages-panel">
      <div className="btn-row filters">
        <input
          className="input"
          list="ocpp-actions"
          placeholder={t('messages.anyAction')}
          aria-label={t('messages.action')}
          data-testid="messages-action"
          value={action}
          onChange={(e) => setAction(e.target.value)}
        />
        <datalist id="ocpp-actions">
          {ACTIONS.map((a) => (
            <option key={a} value={a} />
          ))}
        </datalist>
        <select
          aria-label={t('messages.direction')}
          data-testid="messages-direction"
          value={direction}
          onChange={(e) => setDirection(e.target.value as '' | 'in' | 'out')}
        >
          <option value="">{t('messages.anyDirection')}</option>
          <option value="in">{t('messages.in')}</option>
          <option value="out">{t('messages.out')}</option>
        </select>
        <label className="check">
          <input
            type="checkbox"
            data-testid="messages-errors"
            checked={errors}
            onChange={(e) => setErrors(e.target.checked)}
          />
          {t('messages.errorsOnly')}
        </label>
        <button type="button" className="btn small ghost" onClick={load.reload}>
          ⟳
        </button>
        <button
          type="button"
          className="btn small"
          data-testid="messages-download"
          disabled={downloading}
          onClick={() => void download()}
        >
          {t(downloading ? 'messages.downloading' : 'messages.download')}
        </button>
      </div>
      {capped ? <p className="muted">{t('messages.downloadCapped', { n: DOWNLOAD_CAP })}</p> : null}
      <Async load={load} isEmpty={(p) => p.items.length === 0} empty={t('messages.empty')}>
        {() => (
          <Table
            testId="messages-table"
            rows={items}
            rowKey={(m) => m.id}
            selected={open?.id}
            onRowClick={setOpen}
            columns={[
              { key: 'at', title: t('messages.when'), render: (m) => date(m.at) },
              {
                key: 'dir',
                title: t('messages.direction'),
                render: (m) => (m.direction === 'in' ? `← ${t('messages.in')}` : `→ ${t('messages.out')}`),
              },
              {
                key: 'type',
                title: t('messages.type'),
                render: (m) => (
                  <span className={m.messageType === 'CALLERROR' || m.messageType === 'INVALID' ? 'badge bad' : ''}>
                    {m.messageType}
                    {m.errorCode ? ` ${m.errorCode}` : ''}
                  </span>
                ),
              },
              { key: 'action', title: t('messages.action'), render: (m) => m.action ?? '—' },
              {
                key: 'id',
                title: t('messages.messageId'),
                render: (m) => <code className="clip">{m.messageId ?? '—'}</code>,
              },
              {
                key: 'took',
                title: t('messages.duration'),
                className: 'num',
                render: (m) => (m.durationMs === null ? '' : t('messages.ms', { n: m.durationMs })),
              },
              {
                key: 'payload',
                title: t('messages.payload'),
                render: (m) => <code className="clip">{short(m.payload)}</code>,
              },
            ]}
          />
        )}
      </Async>
      {olderError ? <ErrorBox error={olderError} /> : null}
      {next !== null ? (
        <button type="button" className="btn small" data-testid="messages-older" onClick={loadOlder}>
          {t('messages.older')}
        </button>
      ) : null}
      {open ? <MessagePair chargerId={chargerId} message={open} onClose={() => setOpen(null)} /> : null}
    </div>
  );
}
