import { lazy, type ComponentType, type LazyExoticComponent } from 'react';
import type { MessageKey } from './i18n/en.ts';
import type { Role } from './api/management.ts';

export interface PageRoute {
  path: string;
  nav: MessageKey;
  /** Least role for the nav entry; the page's data is protected by the server anyway. */
  role: Role;
  page: LazyExoticComponent<ComponentType>;
  /** Paths under `path` this page also answers (e.g. /sessions/<id>/); such a page has no nav entry of its own. */
  pattern?: RegExp;
  /** Starts fetching the page's code; App calls it at once so it loads while the login check runs. */
  load: () => Promise<{ default: ComponentType }>;
}

function page(
  path: string,
  nav: MessageKey,
  role: Role,
  load: () => Promise<{ default: ComponentType }>,
  pattern?: RegExp,
): PageRoute {
  return { path, nav, role, load, page: lazy(load), ...(pattern ? { pattern } : {}) };
}

/** The page a path shows: its own, or the one whose pattern it matches. */
export function routeOf(path: string): PageRoute | undefined {
  return ROUTES.find((r) => (r.pattern ? r.pattern.test(path) : r.path === path));
}

/** Every dashboard page (docs/PRODUCT.md §6), each loaded on first visit. Paths must match server/web/plugin.ts. */
export const ROUTES: PageRoute[] = [
  page('/overview/', 'nav.overview', 'viewer', () => import('./pages/overview/OverviewPage.tsx')),
  page('/details/', 'nav.details', 'viewer', () => import('./pages/details/DetailsPage.tsx')),
  page('/sessions/', 'nav.sessions', 'viewer', () => import('./pages/sessions/SessionsPage.tsx')),
  page('/sessions/', 'nav.sessions', 'viewer', () => import('./pages/sessions/SessionPage.tsx'), /^\/sessions\/\d+\/$/),
  page('/settings/', 'nav.settings', 'viewer', () => import('./pages/settings/SettingsPage.tsx')),
  page('/devices/', 'nav.devices', 'viewer', () => import('./pages/devices/DevicesPage.tsx')),
  page('/load/', 'nav.load', 'viewer', () => import('./pages/load/LoadPage.tsx')),
  page('/alerts/', 'nav.alerts', 'viewer', () => import('./pages/alerts/AlertsPage.tsx')),
  page('/batteries/', 'nav.batteries', 'viewer', () => import('./pages/batteries/BatteriesPage.tsx')),
  page('/users/', 'nav.users', 'admin', () => import('./pages/users/UsersPage.tsx')),
];

export function normalise(path: string): string {
  return path.endsWith('/') ? path : `${path}/`;
}
