/**
 * Basic settings (seed 004 §2.4/§2.5): keys, JSON types and the rules every
 * value must meet. Shared by the server and the Settings page so both check
 * the same things. Keys are the seed's, in the seed's order.
 */
export const SETTINGS_KEYS = [
  'vchcardreadercom',
  'yeainstallyear',
  'intinstallmonth',
  'blncurrentdistribution',
  'vchpowermetercom',
  'vchpowersequence',
  'intcurrency',
  'dblchargingdeductionpower',
  'intchargingdeductionminute',
  'intdeductionprioritypower',
  'intdeductionpriorityminute',
  'dblpowercoefficient',
  'blninternaltesting',
  'intmaxcurrenta',
  'intmaxcurrentb',
  'intmaxcurrentc',
] as const;

export type SettingsKey = (typeof SETTINGS_KEYS)[number];

export interface BasicSettings {
  vchcardreadercom: string;
  yeainstallyear: string;
  intinstallmonth: number;
  blncurrentdistribution: number;
  vchpowermetercom: string;
  vchpowersequence: string;
  intcurrency: number;
  dblchargingdeductionpower: number;
  intchargingdeductionminute: number;
  intdeductionprioritypower: number;
  intdeductionpriorityminute: number;
  dblpowercoefficient: number;
  blninternaltesting: number;
  intmaxcurrenta: number;
  intmaxcurrentb: number;
  intmaxcurrentc: number;
}

type Rule =
  | { kind: 'string'; pattern: RegExp; hint: string }
  | { kind: 'enum'; values: readonly string[] }
  | { kind: 'int'; min: number; max: number }
  | { kind: 'float'; min: number; max: number; minExclusive?: boolean };

const SERIAL_PORT = {
  kind: 'string',
  pattern: /^(?:[Cc][Oo][Mm][1-9]\d{0,2}|\/dev\/tty[A-Za-z0-9]{1,16})$/,
  hint: 'a serial port such as Com4 or /dev/ttyUSB0',
} as const;
const FLAG = { kind: 'int', min: 0, max: 1 } as const;
const PRIORITY = { kind: 'int', min: 1, max: 2 } as const;
/** A supply phase's current limit, A: the site's intmaxcurrenta/b/c and every circuit's. */
export const PHASE_CURRENT = { kind: 'int', min: 0, max: 2000 } as const;

/** Per-key rule. Ranges are what a real site can hold, not merely what the column can. */
export const SETTINGS_RULES: Record<SettingsKey, Rule> = {
  vchcardreadercom: SERIAL_PORT,
  yeainstallyear: {
    kind: 'string',
    pattern: /^(?:19[89]\d|20\d\d|2100)$/,
    hint: 'a four-digit year from 1980 to 2100',
  },
  intinstallmonth: { kind: 'int', min: 0, max: 1200 },
  blncurrentdistribution: FLAG,
  vchpowermetercom: SERIAL_PORT,
  vchpowersequence: { kind: 'enum', values: ['ABC', 'ACB', 'BAC', 'BCA', 'CAB', 'CBA'] },
  intcurrency: { kind: 'int', min: 1, max: 999 },
  dblchargingdeductionpower: { kind: 'float', min: 0, max: 1000 },
  intchargingdeductionminute: { kind: 'int', min: 0, max: 1440 },
  intdeductionprioritypower: PRIORITY,
  intdeductionpriorityminute: PRIORITY,
  dblpowercoefficient: { kind: 'float', min: 0, max: 1000, minExclusive: true },
  blninternaltesting: FLAG,
  intmaxcurrenta: PHASE_CURRENT,
  intmaxcurrentb: PHASE_CURRENT,
  intmaxcurrentc: PHASE_CURRENT,
};

/** What a rule accepts, in words, for error messages and form hints. */
export function describeRule(rule: Rule): string {
  switch (rule.kind) {
    case 'string':
      return `must be ${rule.hint}`;
    case 'enum':
      return `must be one of ${rule.values.join(', ')}`;
    case 'int':
      return `must be an integer from ${rule.min} to ${rule.max}`;
    case 'float':
      return `must be a number ${rule.minExclusive ? 'greater than' : 'from'} ${rule.min}${rule.minExclusive ? ' and at most' : ' to'} ${rule.max}`;
  }
}

function parseNumber(v: unknown): number | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? v : undefined;
  // Form fields arrive as strings; like the legacy Django form, accept "32" for 32.
  if (typeof v === 'string' && /^\s*-?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?\s*$/.test(v)) return Number(v);
  return undefined;
}

function checkValue(rule: Rule, raw: unknown): { value?: string | number; error?: string } {
  const bad = { error: describeRule(rule) };
  switch (rule.kind) {
    case 'string':
    case 'enum': {
      const s = typeof raw === 'number' && Number.isInteger(raw) ? String(raw) : raw;
      if (typeof s !== 'string') return bad;
      const t = s.trim();
      if (rule.kind === 'enum') return rule.values.includes(t) ? { value: t } : bad;
      return rule.pattern.test(t) ? { value: t } : bad;
    }
    case 'int': {
      const n = parseNumber(raw);
      if (n === undefined || !Number.isInteger(n) || n < rule.min || n > rule.max) return bad;
      return { value: n };
    }
    case 'float': {
      const n = parseNumber(raw);
      if (n === undefined || n > rule.max || (rule.minExclusive ? n <= rule.min : n < rule.min)) return bad;
      return { value: n };
    }
  }
}

export type SettingsCheck =
  { ok: true; value: Partial<BasicSettings> } | { ok: false; errors: Partial<Record<string, string>> };

/**
 * Checks a settings update. Missing keys keep their current value; unknown
 * keys are refused (a typo must not be silently ignored). `current` is used
 * for the cross-field rule that the two deduction priorities differ.
 */
export function checkSettings(input: Record<string, unknown>, current?: BasicSettings): SettingsCheck {
  const errors: Record<string, string> = {};
  const value: Record<string, string | number> = {};
  for (const [k, raw] of Object.entries(input)) {
    const rule = SETTINGS_RULES[k as SettingsKey];
    if (!rule) {
      errors[k] = 'is not a settings field';
      continue;
    }
    const r = checkValue(rule, Array.isArray(raw) ? raw[raw.length - 1] : raw);
    if (r.error) errors[k] = r.error;
    else value[k] = r.value!;
  }
  const merged = { ...current, ...value } as Partial<BasicSettings>;
  if (
    !errors.intdeductionprioritypower &&
    !errors.intdeductionpriorityminute &&
    merged.intdeductionprioritypower !== undefined &&
    merged.intdeductionprioritypower === merged.intdeductionpriorityminute
  ) {
    const msg = 'the power and minute deduction priorities must differ';
    if ('intdeductionprioritypower' in value) errors.intdeductionprioritypower = msg;
    if ('intdeductionpriorityminute' in value) errors.intdeductionpriorityminute = msg;
  }
  return Object.keys(errors).length ? { ok: false, errors } : { ok: true, value: value as Partial<BasicSettings> };
}
