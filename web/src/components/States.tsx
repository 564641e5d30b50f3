import type { ReactNode } from 'react';
import { ApiError } from '../api/client.ts';
import { useI18n, type I18n } from '../i18n/context.tsx';
import type { Loaded } from './use-load.ts';

/** What went wrong, in the reader's language, from an ApiError's status and code. */
export function describeError(t: I18n['t'], err: unknown): string {
  if (err instanceof ApiError) {
    if (err.status === 0) return t('error.network');
    if (err.status === 401) return t('error.unauthenticated');
    if (err.status === 403) return t('error.forbidden');
    if (err.status === 404) return t('error.notFound');
    if (err.status >= 500) return `${t('error.server', { status: err.status })} ${err.message}`;
    return t('error.generic', { message: err.message });
  }
  return t('error.generic', { message: err instanceof Error ? err.message : String(err) });
}

export function Spinner() {
  const { t } = useI18n();
  return (
    <div className="state state-loading" role="status">
      <span className="spinner" aria-hidden /> {t('state.loading')}
    </div>
  );
}

export function ErrorBox({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const { t } = useI18n();
  return (
    <div className="state state-error" role="alert">
      <span>{describeError(t, error)}</span>
      {onRetry && (
        <button type="button" className="btn small" onClick={onRetry}>
          {t('state.retry')}
        </button>
      )}
    </div>
  );
}

export function Empty({ children }: { children?: ReactNode }) {
  const { t } = useI18n();
  return <div className="state state-empty">{children ?? t('state.empty')}</div>;
}

/**
 * Renders a loaded value: spinner on first load, the error with a retry,
 * an empty note when `isEmpty` says so, else `children(data)`.
 */
export function Async<T>({ load, isEmpty, empty, children }: { load: Loaded<T>; isEmpty?: (v: T) => boolean; empty?: ReactNode; children: (v: T) => ReactNode }) {
  if (load.data === undefined) {
    if (load.error) return <ErrorBox error={load.error} onRetry={load.reload} />;
    return <Spinner />;
  }
  return (
    <>
      {load.error ? <ErrorBox error={load.error} onRetry={load.reload} /> : null}
      {isEmpty?.(load.data) ? <Empty>{empty}</Empty> : children(load.data)}
    </>
  );
}

export function Card({ title, extra, children, className }: { title: ReactNode; extra?: ReactNode; children: ReactNode; className?: string }) {
  return (
    <section className={`card ${className ?? ''}`}>
      <header className="card-head">
        <h2>{title}</h2>
        {extra ? <div className="card-extra">{extra}</div> : null}
      </header>
      <div className="card-body">{children}</div>
    </section>
  );
}
