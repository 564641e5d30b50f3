import { useEffect, type ReactNode } from 'react';
import { useI18n } from '../i18n/context.tsx';

/** A dialog over the page; Escape or the close button ends it. */
export function Modal({ title, onClose, children }: { title: ReactNode; onClose: () => void; children: ReactNode }) {
  const { t } = useI18n();
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && onClose();
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onClose]);
  return (
    <div className="modal-backdrop" onClick={onClose}>
      <div className="modal" role="dialog" aria-modal="true" onClick={(e) => e.stopPropagation()}>
        <header className="modal-head">
          <h3>{title}</h3>
          <button type="button" className="btn small" onClick={onClose}>
            {t('details.close')}
          </button>
        </header>
        <div className="modal-body">{children}</div>
      </div>
    </div>
  );
}
