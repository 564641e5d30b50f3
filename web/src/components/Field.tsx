import type { ReactNode } from 'react';

/** A labelled form control with its error under it. */
export function Field({
  label,
  error,
  children,
  hint,
  name,
}: {
  label: ReactNode;
  error?: string | undefined;
  children: ReactNode;
  hint?: ReactNode;
  name?: string;
}) {
  return (
    <label className={`field ${error ? 'has-error' : ''}`} data-field={name}>
      <span className="field-label">{label}</span>
      {children}
      {hint && !error ? <span className="field-hint">{hint}</span> : null}
      {error ? (
        <span className="field-error" role="alert">
          {error}
        </span>
      ) : null}
    </label>
  );
}
