import type { ReactNode } from 'react';
import { useAuth } from '../auth/context.tsx';
import { useI18n } from '../i18n/context.tsx';
import { ROUTES } from '../routes.ts';
import { AlertBell } from './AlertBell.tsx';
import { LanguageSwitch } from './LanguageSwitch.tsx';

/** The frame around every logged-in page: navigation, the alert bell, who is logged in, language, log out. */
export function Layout({ path, children }: { path: string; children: ReactNode }) {
  const { t } = useI18n();
  const { me, can, logout } = useAuth();
  return (
    <div className="layout">
      <header className="topbar">
        <a className="brand" href="/overview/">
          ⚡ {t('appName')}
        </a>
        <nav className="nav">
          {ROUTES.filter((r) => !r.pattern && can(r.role)).map((r) => (
            <a key={r.path} href={r.path} className={path.startsWith(r.path) ? 'active' : ''}>
              {t(r.nav)}
            </a>
          ))}
        </nav>
        <div className="topbar-right">
          <AlertBell />
          <span className="who" data-testid="who">
            {me.name} · {t(`role.${me.role}`)}
          </span>
          <LanguageSwitch />
          <button type="button" className="btn small ghost" onClick={() => void logout()}>
            {t('nav.logout')}
          </button>
        </div>
      </header>
      <main className="content">{children}</main>
    </div>
  );
}
