import { useCallback, useEffect, useState } from 'react';
import { transactionsApi, type MeterSample } from '../../api/transactions.ts';
import { Async, Card, Empty } from '../../components/States.tsx';
import { useLoad } from '../../components/use-load.ts';
import { useI18n } from '../../i18n/context.tsx';
import { LiveBadge } from '../../live/LiveBadge.tsx';
import type { LiveMessage } from '../../live/live-types.ts';
import { useFeed, useLiveFeed } from '../../live/use-live-feed.ts';
import { addSamples, allowanceSteps, emptyCurve, type Curve } from './curve.ts';
import { SessionCommands } from './SessionCommands.tsx';
import { SessionCurve } from './SessionCurve.tsx';
import { SessionFacts } from './SessionFacts.tsx';

/** Samples per series the page asks for: enough for a wide chart, few enough for a 48-hour session to draw fast. */
const POINTS = 2000;

function idFromPath(): number | null {
  const m = /^\/sessions\/(\d+)\/?$/.exec(location.pathname);
  return m ? Number(m[1]) : null;
}

/**
 * A session (docs/PRODUCT.md §8): its facts, its curve from the stored
 * samples, and the commands sent during it. A running one goes on live: the
 * charger's meter events for this transaction extend the curve, the load
 * controller's new allowance extends the step line, and its stop reloads it.
 */
export default function SessionPage() {
  const id = idFromPath();
  const { t } = useI18n();
  if (id === null) return <Empty>404</Empty>;
  return <SessionView id={id} t={t} />;
}

function SessionView({ id, t }: { id: number; t: ReturnType<typeof useI18n>['t'] }) {
  const session = useLoad(() => transactionsApi.session(id), [id]);
  const samples = useLoad(() => transactionsApi.meterValues(id, POINTS), [id]);
  const s = session.data;
  const [curve, setCurve] = useState<Curve>(emptyCurve);
  const [liveAllowances, setLiveAllowances] = useState<{ at: string; limitA: number }[]>([]);
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (samples.data) setCurve(addSamples(emptyCurve(), samples.data.items, samples.data.meterStart));
  }, [samples.data]);
  const running = s?.running ?? false;
  // A finished session needs no live events: no socket on its account.
  const feed = useLiveFeed(running && s ? s.chargerId : null);
  const { reload } = session;
  const onMessage = useCallback(
    (m: LiveMessage) => {
      if (!s || !s.running) return;
      if (m.type === 'meter' && m.transactionId === id) {
        const items: MeterSample[] = m.values.map((v) => ({
          timestamp: m.timestamp,
          measurand: v.measurand,
          phase: v.phase ?? null,
          unit: v.unit ?? '',
          value: v.value,
          context: 'Sample.Periodic',
        }));
        setCurve((c) => addSamples({ ...c, current: { ...c.current } }, items, s.meterStart));
        setNow(Date.parse(m.timestamp) || Date.now());
      } else if (m.type === 'transaction.stopped' && m.transactionId === id) {
        reload();
      } else if (m.type === 'load.changed') {
        const mine = m.load.sessions.find((x) => x.transactionId === id);
        if (mine)
          setLiveAllowances((old) =>
            old[old.length - 1]?.limitA === mine.allowed ? old : [...old, { at: m.at, limitA: mine.allowed }],
          );
      }
    },
    [s, id, reload],
  );
  useFeed(feed, onMessage);
  // Each time the feed opens (first, or after a drop) read again what may have changed unseen: a stop, samples.
  const reloadSamples = samples.reload;
  useEffect(() => {
    if (feed.state.kind !== 'open') return;
    reload();
    reloadSamples();
  }, [feed.state.kind, reload, reloadSamples]);
  const sent = s ? [...s.allowances, ...liveAllowances] : [];
  const end = s ? (s.stoppedAtIso ? Date.parse(s.stoppedAtIso) : Math.max(now, Date.parse(s.startedAtIso))) : 0;
  const back = `/sessions/${location.search}`;
  return (
    <div className="page session" data-testid="page-session">
      <div className="page-tools">
        <a href={back} data-testid="session-back">
          {t('sessions.back')}
        </a>
      </div>
      <div className="grid details-grid">
        <Card title={t('sessions.title', { id })}>
          <Async load={session}>{(x) => <SessionFacts s={x} />}</Async>
        </Card>
        <div className="stack">
          <Card title={t('sessions.curve')} extra={running ? <LiveBadge state={feed.state} /> : undefined}>
            <Async load={samples}>
              {(d) =>
                d.items.length === 0 && curve.powerKw.length === 0 && curve.energyKwh.length === 0 ? (
                  <>
                    <div className="state state-empty">{t('sessions.curveEmpty')}</div>
                    {running ? <SessionCurve curve={curve} allowance={allowanceSteps(sent, end)} /> : null}
                  </>
                ) : (
                  <SessionCurve curve={curve} allowance={allowanceSteps(sent, end)} />
                )
              }
            </Async>
          </Card>
          <Card title={t('sessions.commands')}>
            <Async load={session}>{(x) => <SessionCommands commands={x.commands} />}</Async>
          </Card>
        </div>
      </div>
    </div>
  );
}
