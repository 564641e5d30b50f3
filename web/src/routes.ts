import { lazy, type ComponentType, type LazyExoticComponent } from 'react';
import type { MessageKey } from './i18n/en.ts';
import type { Role } from './api/management.ts';

export interface PageRoute {
  path: string;
  nav: MessageKey;
  /** Least role for the nav entry; the page's data is protected by the server anyway. */
  role: Role;
  page: LazyExoticComponent<ComponentType>;
}

/** Every dashboard page (SPEC §6), each loaded on first visit. Paths must match server/web/plugin.ts. */
export const ROUTES: PageRoute[] = [
  { path: '/overview/', nav: 'nav.overview', role: 'viewer', page: lazy(() => import('./pages/overview/OverviewPage.tsx')) },
  { path: '/details/', nav: 'nav.details', role: 'viewer', page: lazy(() => import('./pages/details/DetailsPage.tsx')) },
  { path: '/settings/', nav: 'nav.settings', role: 'viewer', page: lazy(() => import('./pages/settings/SettingsPage.tsx')) },
  { path: '/devices/', nav: 'nav.devices', role: 'viewer', page: lazy(() => import('./pages/devices/DevicesPage.tsx')) },
  { path: '/batteries/', nav: 'nav.batteries', role: 'viewer', page: lazy(() => import('./pages/batteries/BatteriesPage.tsx')) },
  { path: '/users/', nav: 'nav.users', role: 'admin', page: lazy(() => import('./pages/users/UsersPage.tsx')) },
];

export function normalise(path: string): string {
  return path.endsWith('/') ? path : `${path}/`;
}
