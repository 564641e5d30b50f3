import { messagesApi, type OcppMessage } from '../../api/messages.ts';
import { Modal } from '../../components/Modal.tsx';
import { Async } from '../../components/States.tsx';
import { useLoad } from '../../components/use-load.ts';
import { useI18n } from '../../i18n/context.tsx';

/** A frame's call and its answer: the nearest frames of the other kind with its message id (OCPP-J 1.6 §4.1.4). */
function pairOf(m: OcppMessage, sameId: OcppMessage[]): { call?: OcppMessage; answer?: OcppMessage } {
  if (m.messageType === 'CALL') {
    // The answer goes the other way, after the call (ids ascend with time).
    const answer = sameId
      .filter((x) => x.messageType !== 'CALL' && x.direction !== m.direction && x.id > m.id)
      .sort((a, b) => a.id - b.id)[0];
    return { call: m, answer };
  }
  const call = sameId
    .filter((x) => x.messageType === 'CALL' && x.direction !== m.direction && x.id < m.id)
    .sort((a, b) => b.id - a.id)[0];
  return { call, answer: m };
}

function Frame({ m }: { m: OcppMessage }) {
  const { t, date } = useI18n();
  return (
    <div className="message-frame" data-testid={`frame-${m.messageType}`}>
      <p className="muted">
        {date(m.at)} · {t(m.direction === 'in' ? 'messages.in' : 'messages.out')} · {m.messageType}
        {m.action ? ` · ${m.action}` : ''} · {t('messages.chars', { n: m.size })}
      </p>
      <pre>{m.payload === null ? t('messages.noPayload') : JSON.stringify(m.payload, null, 2)}</pre>
    </div>
  );
}

/** The dialog that opens on a clicked frame: its call and answer side by side, with the latency. */
export function MessagePair({
  chargerId,
  message,
  onClose,
}: {
  chargerId: string;
  message: OcppMessage;
  onClose: () => void;
}) {
  const { t } = useI18n();
  const load = useLoad(
    () =>
      message.messageId === null
        ? Promise.resolve([message])
        : messagesApi.page(chargerId, { messageId: message.messageId, limit: 50 }).then((p) => p.items),
    [chargerId, message.id],
  );
  return (
    <Modal title={`${t('messages.pair')} · ${message.messageId ?? '—'}`} onClose={onClose}>
      <Async load={load}>
        {(sameId) => {
          const { call, answer } = pairOf(message, sameId);
          return (
            <div className="message-pair" data-testid="message-pair">
              <h4>{t('messages.call')}</h4>
              {call ? <Frame m={call} /> : <p className="muted">{t('messages.noCall')}</p>}
              <h4>{t('messages.answer')}</h4>
              {answer ? (
                <>
                  {answer.durationMs !== null ? (
                    <p data-testid="latency">{t('messages.latency', { n: answer.durationMs })}</p>
                  ) : null}
                  <Frame m={answer} />
                </>
              ) : (
                <p className="muted">{t('messages.noAnswer')}</p>
              )}
            </div>
          );
        }}
      </Async>
    </Modal>
  );
}
