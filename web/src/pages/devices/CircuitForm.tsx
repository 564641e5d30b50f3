import { useState, type FormEvent } from 'react';
import { SITE_PHASES } from '../../../../contracts/load.ts';
import { ApiError } from '../../api/client.ts';
import { circuitsApi, type Circuit } from '../../api/circuits.ts';
import { Field } from '../../components/Field.tsx';
import { describeError } from '../../components/States.tsx';
import { useI18n } from '../../i18n/context.tsx';

type Form = { name: string; parentId: string; A: string; B: string; C: string };
const SHOWN = ['name', 'parentId', 'limits', 'limits.A', 'limits.B', 'limits.C'];

const toForm = (c?: Circuit): Form =>
  c
    ? {
        name: c.name,
        parentId: c.parentId === null ? '' : String(c.parentId),
        A: String(c.limits.A),
        B: String(c.limits.B),
        C: String(c.limits.C),
      }
    : { name: '', parentId: '', A: '', B: '', C: '' };

/** `id` and every circuit under it: a circuit cannot move under those (the server refuses the loop too). */
function subtree(all: Circuit[], id: number): Set<number> {
  const out = new Set([id]);
  for (let grew = true; grew;) {
    grew = false;
    for (const c of all) {
      if (c.parentId === null || !out.has(c.parentId) || out.has(c.id)) continue;
      out.add(c.id);
      grew = true;
    }
  }
  return out;
}

/**
 * Creates a circuit, or edits `editing`: name, the circuit it hangs under
 * (or the site) and a limit per site phase. The server's refusals (a taken
 * name, a loop, a limit out of range) are shown at their fields.
 */
export function CircuitForm({
  circuits,
  editing,
  onDone,
  onCancel,
}: {
  circuits: Circuit[];
  editing?: Circuit;
  onDone: (saved: Circuit) => void;
  onCancel?: () => void;
}) {
  const { t } = useI18n();
  const [form, setForm] = useState<Form>(() => toForm(editing));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const excluded = editing ? subtree(circuits, editing.id) : new Set<number>();

  async function submit(e: FormEvent) {
    e.preventDefault();
    const local: Record<string, string> = {};
    const limits = Object.fromEntries(
      SITE_PHASES.map((p) => [p, form[p].trim() === '' ? NaN : Number(form[p])]),
    ) as Record<'A' | 'B' | 'C', number>;
    for (const p of SITE_PHASES) if (!Number.isFinite(limits[p])) local[`limits.${p}`] = t('wiring.needNumber');
    setErrors(local);
    setError(null);
    if (Object.keys(local).length) return;
    const body = { name: form.name.trim(), parentId: form.parentId === '' ? null : Number(form.parentId), limits };
    setBusy(true);
    try {
      const saved = editing ? await circuitsApi.update(editing.id, body) : await circuitsApi.create(body);
      if (!editing) setForm(toForm());
      onDone(saved);
    } catch (err) {
      if (err instanceof ApiError) setErrors(err.fields);
      setError(describeError(t, err, SHOWN));
    } finally {
      setBusy(false);
    }
  }

  const set = (k: keyof Form) => (e: { target: { value: string } }) => setForm({ ...form, [k]: e.target.value });
  return (
    <form
      className="form-row"
      onSubmit={(e) => void submit(e)}
      noValidate
      data-testid={editing ? 'circuit-edit-form' : 'circuit-form'}
    >
      {editing ? <strong>{t('circuits.editing', { name: editing.name })}</strong> : null}
      <Field name="name" label={t('circuits.name')} error={errors.name}>
        <input name="name" value={form.name} maxLength={100} onChange={set('name')} />
      </Field>
      <Field name="parentId" label={t('circuits.parent')} error={errors.parentId}>
        <select name="parentId" value={form.parentId} onChange={set('parentId')}>
          <option value="">{t('circuits.site')}</option>
          {circuits
            .filter((c) => !excluded.has(c.id))
            .map((c) => (
              <option key={c.id} value={String(c.id)}>
                {c.name}
              </option>
            ))}
        </select>
      </Field>
      {SITE_PHASES.map((p) => (
        <Field
          key={p}
          name={`limit${p}`}
          label={t('circuits.limit', { phase: p })}
          error={errors[`limits.${p}`] ?? (p === 'A' ? errors.limits : undefined)}
        >
          <input name={`limit${p}`} inputMode="decimal" size={6} value={form[p]} onChange={set(p)} />
        </Field>
      ))}
      <button className="btn primary" type="submit" disabled={busy || !form.name.trim()} data-testid="circuit-submit">
        {busy ? t('state.saving') : editing ? t('circuits.save') : t('circuits.create')}
      </button>
      {onCancel ? (
        <button className="btn" type="button" onClick={onCancel}>
          {t('circuits.cancel')}
        </button>
      ) : null}
      {error ? (
        <div className="state state-error" role="alert" data-testid="circuit-form-error">
          {error}
        </div>
      ) : null}
    </form>
  );
}
