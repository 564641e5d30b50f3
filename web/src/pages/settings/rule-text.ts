import { SETTINGS_RULES, checkSettings, type BasicSettings, type SettingsKey } from '../../../../contracts/settings.ts';
import type { Lang } from '../../i18n/context.tsx';

type Rule = (typeof SETTINGS_RULES)[SettingsKey];

/** What a settings rule accepts, in the reader's language (contracts/settings.ts describeRule in English). */
export function ruleText(key: SettingsKey, lang: Lang): string {
  const rule: Rule = SETTINGS_RULES[key];
  if (lang === 'en') {
    switch (rule.kind) {
      case 'string':
        return `Must be ${rule.hint}.`;
      case 'enum':
        return `Must be one of ${rule.values.join(', ')}.`;
      case 'int':
        return `Must be a whole number from ${rule.min} to ${rule.max}.`;
      case 'float':
        return rule.minExclusive
          ? `Must be a number above ${rule.min} and at most ${rule.max}.`
          : `Must be a number from ${rule.min} to ${rule.max}.`;
    }
  }
  switch (rule.kind) {
    case 'string':
      return key === 'yeainstallyear'
        ? '须为 1980 到 2100 之间的四位年份。'
        : '须为串口名，例如 Com4 或 /dev/ttyUSB0。';
    case 'enum':
      return `须为以下之一：${rule.values.join('、')}。`;
    case 'int':
      return `须为 ${rule.min} 到 ${rule.max} 之间的整数。`;
    case 'float':
      return rule.minExclusive
        ? `须为大于 ${rule.min} 且不超过 ${rule.max} 的数。`
        : `须为 ${rule.min} 到 ${rule.max} 之间的数。`;
  }
}

const DIFFER: Record<Lang, string> = {
  en: 'The energy and minute deduction priorities must differ.',
  zh: '电量与时长扣减优先级不能相同。',
};

/**
 * Checks the changed fields exactly as the server will (contracts/settings.ts
 * checkSettings against the loaded values), and words each error for the
 * reader: a field that fails alone breaks its own rule; a priority that passes
 * alone but fails together breaks the "priorities differ" rule (seed §2.5).
 */
export function checkForm(
  changes: Record<string, string>,
  current: BasicSettings,
  lang: Lang,
): { ok: true; value: Partial<BasicSettings> } | { ok: false; errors: Record<string, string> } {
  const all = checkSettings(changes, current);
  if (all.ok) return all;
  const errors: Record<string, string> = {};
  for (const k of Object.keys(all.errors)) {
    const alone = checkSettings({ [k]: changes[k] });
    errors[k] = !alone.ok ? ruleText(k as SettingsKey, lang) : DIFFER[lang];
  }
  return { ok: false, errors };
}
