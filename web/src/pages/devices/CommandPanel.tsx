import { useState, type FormEvent } from 'react';
import { ApiError } from '../../api/client.ts';
import { chargersApi } from '../../api/management.ts';
import { Field } from '../../components/Field.tsx';
import { describeError } from '../../components/States.tsx';
import { useI18n } from '../../i18n/context.tsx';
import { COMMANDS, buildPayload, type FieldProblem } from './commands.ts';
import { actionLabel, fieldLabel, problemText } from './command-labels.ts';

type Outcome = { ok: true; answer: unknown } | { ok: false; text: string; detail?: unknown };

/**
 * Sends one of the 19 OCPP commands to a charger and shows its answer (docs/PRODUCT.md §5, §8 commands).
 * A charger known not to be connected cannot take any (the server answers 409): the
 * form is disabled with a note until it connects.
 */
export function CommandPanel({
  chargerId,
  connected,
  onSent,
}: {
  chargerId: string;
  connected: boolean | undefined;
  onSent: () => void;
}) {
  const { t, lang } = useI18n();
  const [action, setAction] = useState(COMMANDS[0]!.action);
  const [values, setValues] = useState<Record<string, string>>({});
  const [problems, setProblems] = useState<Record<string, FieldProblem>>({});
  const [serverFields, setServerFields] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const spec = COMMANDS.find((c) => c.action === action)!;

  async function send(e: FormEvent) {
    e.preventDefault();
    const built = buildPayload(spec, values);
    setOutcome(null);
    setServerFields({});
    if ('problems' in built) {
      setProblems(built.problems);
      return;
    }
    setProblems({});
    setBusy(true);
    try {
      const answer = await chargersApi.command(chargerId, action, built.payload);
      setOutcome({ ok: true, answer: answer.response });
    } catch (err) {
      if (err instanceof ApiError) setServerFields(err.fields);
      setOutcome({
        ok: false,
        text: describeError(
          t,
          err,
          spec.fields.map((f) => f.name),
        ),
        detail: err instanceof ApiError ? err.details : undefined,
      });
    } finally {
      setBusy(false);
      onSent();
    }
  }

  return (
    <form className="command-panel" onSubmit={(e) => void send(e)} noValidate data-testid="command-panel">
      {connected === false ? (
        <div className="state state-info" role="status" data-testid="command-offline">
          {t('devices.offlineNote', { id: chargerId })}
        </div>
      ) : null}
      <fieldset className="plain" disabled={connected === false}>
        <Field label={t('devices.action')}>
          <select
            value={action}
            data-testid="command-action"
            onChange={(e) => {
              setAction(e.target.value);
              setValues({});
              setProblems({});
              setOutcome(null);
            }}
          >
            {COMMANDS.map((c) => (
              <option key={c.action} value={c.action}>
                {actionLabel(c.action, lang)}
              </option>
            ))}
          </select>
        </Field>
        <div className="form-grid compact">
          {spec.fields.map((f) => {
            const v = values[f.name] ?? f.initial ?? '';
            const set = (nv: string) => setValues({ ...values, [f.name]: nv });
            const err = problems[f.name] ? problemText(problems[f.name]!, lang) : serverFields[f.name];
            const label = (
              <>
                {fieldLabel(f.name, lang)} <code>{f.name}</code>
                {!f.required ? <span className="muted"> ({t('common.optional')})</span> : null}
              </>
            );
            return (
              <Field key={f.name} name={f.name} label={label} error={err}>
                {f.kind === 'select' ? (
                  <select
                    name={f.name}
                    value={v || (f.required ? f.options![0] : '')}
                    onChange={(e) => set(e.target.value)}
                  >
                    {f.options!.map((o) => (
                      <option key={o} value={o}>
                        {o || '—'}
                      </option>
                    ))}
                  </select>
                ) : f.kind === 'json' ? (
                  <textarea name={f.name} rows={4} value={v} onChange={(e) => set(e.target.value)} />
                ) : (
                  <input
                    name={f.name}
                    type={f.kind === 'datetime' ? 'datetime-local' : 'text'}
                    inputMode={f.kind === 'int' ? 'numeric' : undefined}
                    placeholder={
                      f.kind === 'list'
                        ? 'HeartbeatInterval, MeterValueSampleInterval'
                        : f.kind === 'url'
                          ? 'ftp://host/path'
                          : undefined
                    }
                    value={v}
                    onChange={(e) => set(e.target.value)}
                  />
                )}
              </Field>
            );
          })}
        </div>
        <button className="btn primary" type="submit" disabled={busy} data-testid="command-send">
          {busy ? t('state.sending') : t('devices.send')}
        </button>
      </fieldset>
      {outcome ? (
        <div className={`state ${outcome.ok ? 'state-ok' : 'state-error'}`} role="status" data-testid="command-outcome">
          {outcome.ok ? (
            <>
              <strong>{t('devices.answer')}:</strong>
              <pre>{JSON.stringify(outcome.answer, null, 2)}</pre>
            </>
          ) : (
            <>
              <span>{outcome.text}</span>
              {outcome.detail !== undefined ? <pre>{JSON.stringify(outcome.detail, null, 2)}</pre> : null}
            </>
          )}
        </div>
      ) : null}
    </form>
  );
}
