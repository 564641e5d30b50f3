import type { ReactNode } from 'react';
import { ENVELOPE_ERROR_CODES, ERRORS, type EnvelopeErrorCode, type ErrorCode } from '../../../contracts/errors.ts';
import { ApiError } from '../api/client.ts';
import { useI18n, type I18n } from '../i18n/context.tsx';
import type { Loaded } from './use-load.ts';

type KnownCode = ErrorCode | EnvelopeErrorCode;
const KNOWN: ReadonlySet<string> = new Set([...Object.keys(ERRORS), ...ENVELOPE_ERROR_CODES]);
const isKnown = (code: string): code is KnownCode => KNOWN.has(code);

/**
 * Codes whose server message says which thing is wrong (the field and its
 * rule, the record, the charger's own error): that message is kept after the
 * translation. Other codes' messages add nothing to the translation.
 */
const NAMES_THE_PROBLEM: ReadonlySet<KnownCode> = new Set<KnownCode>([
  'VALIDATION_FAILED',
  'BAD_REQUEST',
  'NOT_FOUND',
  'CONFLICT',
  'CHARGER_ERROR',
  '1001',
  '1002',
  '1003',
]);

/**
 * What went wrong, in the reader's language, worded by the error's code
 * (contracts/errors.ts; the battery registry's 1001-1500). The server's own
 * detail follows where it adds something: its per-field messages, except for
 * `shownFields` that a form already shows at their inputs, or else its message
 * for codes in NAMES_THE_PROBLEM. An unknown code shows the server's message.
 */
export function describeError(t: I18n['t'], err: unknown, shownFields: readonly string[] = []): string {
  if (!(err instanceof ApiError))
    return t('error.generic', { message: err instanceof Error ? err.message : String(err) });
  if (err.status === 0) return t('error.network');
  const code = err.code;
  if (!isKnown(code))
    return err.status >= 500
      ? `${t('error.server', { status: err.status })} ${err.message}`
      : t('error.generic', { message: err.message });
  // A code in contracts/errors.ts without a message in the dictionaries fails the typecheck here.
  const key = `code.${code}` as const;
  const text = t(key);
  const fields = Object.entries(err.fields);
  const unshown = fields.filter(([name]) => !shownFields.includes(name));
  const detail = unshown.length
    ? unshown.map(([name, problem]) => `${name}: ${problem}`).join('; ')
    : !fields.length && NAMES_THE_PROBLEM.has(code)
      ? err.message
      : '';
  return detail ? t('error.withDetail', { text, detail }) : text;
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
export function Async<T>({
  load,
  isEmpty,
  empty,
  children,
}: {
  load: Loaded<T>;
  isEmpty?: (v: T) => boolean;
  empty?: ReactNode;
  children: (v: T) => ReactNode;
}) {
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

export function Card({
  title,
  extra,
  children,
  className,
}: {
  title: ReactNode;
  extra?: ReactNode;
  children: ReactNode;
  className?: string;
}) {
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
