import { useI18n } from '../i18n/context.tsx';

/** Toggles Chinese / English; the choice is remembered in localStorage. */
export function LanguageSwitch() {
  const { lang, setLang, t } = useI18n();
  return (
    <button
      type="button"
      className="btn small ghost"
      data-testid="lang-switch"
      onClick={() => setLang(lang === 'zh' ? 'en' : 'zh')}
    >
      {t('nav.language')}
    </button>
  );
}
