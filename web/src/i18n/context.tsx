import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { en, type MessageKey } from './en.ts';
import { zh } from './zh.ts';

export type Lang = 'zh' | 'en';
const STORE = 'chargeops.lang';
const DICTS: Record<Lang, Record<MessageKey, string>> = { en, zh };

export interface I18n {
  lang: Lang;
  setLang(l: Lang): void;
  /** Message by key with `{name}` placeholders filled. */
  t(key: MessageKey, vars?: Record<string, string | number>): string;
  /** Number in the language's format. */
  num(n: number | null | undefined, digits?: number): string;
  /** Date-time in the language's format; accepts ISO strings, seed strings and epoch ms. */
  date(v: string | number | null | undefined): string;
}

function initialLang(): Lang {
  const saved = localStorage.getItem(STORE);
  if (saved === 'zh' || saved === 'en') return saved;
  return navigator.language.toLowerCase().startsWith('zh') ? 'zh' : 'en';
}

const Ctx = createContext<I18n | null>(null);

export function I18nProvider({ children }: { children: ReactNode }) {
  const [lang, setLangState] = useState<Lang>(initialLang);
  useEffect(() => {
    document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
  }, [lang]);
  const setLang = useCallback((l: Lang) => {
    localStorage.setItem(STORE, l);
    setLangState(l);
  }, []);
  const value = useMemo<I18n>(() => {
    const locale = lang === 'zh' ? 'zh-CN' : 'en-GB';
    const dtf = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'medium' });
    return {
      lang,
      setLang,
      t: (key, vars) => {
        let s = DICTS[lang][key] ?? key;
        if (vars) for (const [k, v] of Object.entries(vars)) s = s.replaceAll(`{${k}}`, String(v));
        return s;
      },
      num: (n, digits = 2) =>
        n === null || n === undefined || Number.isNaN(n)
          ? '—'
          : n.toLocaleString(locale, { maximumFractionDigits: digits }),
      date: (v) => {
        if (v === null || v === undefined || v === '') return '—';
        // Seed times ("2015-11-24 15:09:47" / "…T15:09:47") are site-local wall times: show them as given, not shifted.
        if (typeof v === 'string' && /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2})?$/.test(v)) {
          const [d, tm] = v.split(/[ T]/);
          const [y, m, day] = d!.split('-').map(Number);
          const [hh, mm, ss] = tm!.split(':').map(Number);
          return dtf.format(new Date(y!, m! - 1, day!, hh!, mm!, ss ?? 0));
        }
        const d = new Date(v);
        return Number.isNaN(d.getTime()) ? String(v) : dtf.format(d);
      },
    };
  }, [lang, setLang]);
  return <Ctx.Provider value={value}>{children}</Ctx.Provider>;
}

export function useI18n(): I18n {
  const v = useContext(Ctx);
  if (!v) throw new Error('useI18n outside I18nProvider');
  return v;
}
