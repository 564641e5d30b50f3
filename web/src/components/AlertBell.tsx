import { useCallback, useEffect, useRef, useState } from 'react';
import { ALERTS_CHANGED, alertsApi, type Alert } from '../api/alerts.ts';
import { useI18n } from '../i18n/context.tsx';
import { SITE } from '../live/live-hub.ts';
import { useLive } from '../live/use-live.ts';
import { alertKind, alertWhere } from './AlertLabels.ts';

/** How long a toast stays up, ms. */
const TOAST_MS = 10_000;

/**
 * The top bar's bell: how many alerts are open and not acknowledged
 * (GET /api/alerts `unacknowledged`), counted again on every `alert.raised` /
 * `alert.cleared` of the live feed, and a toast for each one raised while the
 * page is open. Links to the Alerts page.
 */
export function AlertBell() {
  const { t } = useI18n();
  const [count, setCount] = useState<number | null>(null);
  const [toasts, setToasts] = useState<Alert[]>([]);
  const seq = useRef(0);
  const recount = useCallback(() => {
    const mine = ++seq.current;
    alertsApi.list({ state: 'open', pageSize: 1 }).then(
      (p) => mine === seq.current && setCount(p.unacknowledged),
      () => undefined, // the bell keeps its last count; the page says what failed
    );
  }, []);
  useEffect(() => {
    recount();
    window.addEventListener(ALERTS_CHANGED, recount);
    return () => window.removeEventListener(ALERTS_CHANGED, recount);
  }, [recount]);
  // Alerts name no charger: any socket of the page carries them (live-hub.ts), ?scope=site when the page has none.
  const state = useLive(SITE, (m) => {
    if (m.type !== 'alert.raised' && m.type !== 'alert.cleared') return;
    recount();
    if (m.type === 'alert.raised') {
      const alert = m.alert;
      setToasts((list) => [...list.filter((a) => a.id !== alert.id), alert].slice(-3));
      setTimeout(() => setToasts((list) => list.filter((a) => a.id !== alert.id)), TOAST_MS);
    }
  });
  // Reopened after a drop: alerts may have come and gone meanwhile.
  useEffect(() => {
    if (state.kind === 'open') recount();
  }, [state.kind, recount]);
  const n = count ?? 0;
  return (
    <>
      <a
        className={`bell ${n > 0 ? 'bell-on' : ''}`}
        href="/alerts/"
        data-testid="alert-bell"
        data-live={state.kind}
        title={t('alerts.bell', { n })}
        aria-label={t('alerts.bell', { n })}
      >
        <svg className="bell-icon" viewBox="0 0 24 24" width="16" height="16" aria-hidden="true">
          <path
            fill="currentColor"
            d="M12 22a2.5 2.5 0 0 0 2.45-2h-4.9A2.5 2.5 0 0 0 12 22Zm7-6V11a7 7 0 0 0-5.5-6.84V3.5a1.5 1.5 0 0 0-3 0v.66A7 7 0 0 0 5 11v5l-2 2v1h18v-1l-2-2Z"
          />
        </svg>
        <span className="bell-count">{count === null ? '–' : n}</span>
      </a>
      <div className="toasts" aria-live="polite">
        {toasts.map((a) => (
          <a key={a.id} className={`toast toast-${a.severity}`} href="/alerts/" role="status" data-testid="alert-toast">
            <strong>
              {t('alerts.toast')} · {alertKind(t, a.kind)} · {alertWhere(t, a)}
            </strong>
            <span>{a.message}</span>
          </a>
        ))}
      </div>
    </>
  );
}
