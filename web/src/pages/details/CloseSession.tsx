import { useState } from 'react';
import { transactionsApi } from '../../api/transactions.ts';
import { ErrorBox } from '../../components/States.tsx';
import { useI18n } from '../../i18n/context.tsx';

/**
 * An operator's close of a session its charger never stopped (POST
 * /api/transactions/<id>/close): a button, then a confirmation with an
 * optional reason. The server audits it; a StopTransaction the charger
 * delivers later still replaces the close with its own figures.
 */
export function CloseSession({ id, onClosed }: { id: number; onClosed: () => void }) {
  const { t } = useI18n();
  const [confirming, setConfirming] = useState(false);
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  if (!confirming) {
    return (
      <button type="button" className="btn danger" data-testid="close-session" onClick={() => setConfirming(true)}>
        {t('details.closeSession')}
      </button>
    );
  }
  const confirm = async () => {
    setBusy(true);
    setError(null);
    try {
      await transactionsApi.close(id, reason.trim() ? { reason: reason.trim() } : {});
      setConfirming(false);
      onClosed();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="close-session" role="group" data-testid="close-session-confirm">
      <p>{t('details.closeSessionConfirm', { id })}</p>
      <label className="field">
        <span className="field-label">{t('details.closeSessionReason')}</span>
        <input
          value={reason}
          maxLength={500}
          onChange={(e) => setReason(e.target.value)}
          data-testid="close-session-reason"
        />
      </label>
      <div className="btn-row">
        <button
          type="button"
          className="btn danger"
          disabled={busy}
          onClick={() => void confirm()}
          data-testid="close-session-yes"
        >
          {t('details.closeSessionYes')}
        </button>
        <button type="button" className="btn" disabled={busy} onClick={() => setConfirming(false)}>
          {t('details.closeSessionNo')}
        </button>
      </div>
      {error ? <ErrorBox error={error} /> : null}
    </div>
  );
}
