import { del, get, patch, post } from './client.ts';

/** Roles (SPEC §8): viewer reads, operator also sends commands and writes batteries, admin everything. */
export type Role = 'viewer' | 'operator' | 'admin';

export interface Principal {
  kind: 'user' | 'token';
  id: number;
  name: string;
  role: Role;
}

export interface User {
  id: number;
  username: string;
  role: Role;
  disabled: boolean;
  createdAt: string;
  lastLoginAt: string | null;
}

export interface ApiToken {
  id: number;
  name: string;
  role: Role;
  prefix: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
  token?: string;
}

/** A charger as the management API answers it (db/schema/chargers.ts, without the secret). */
export interface Charger {
  id: string;
  registration: 'Accepted' | 'Pending' | 'Rejected';
  description?: string | null;
  vendor?: string | null;
  model?: string | null;
  firmwareVersion?: string | null;
  online?: boolean;
  lastSeenAt?: string | null;
  state?: string | null;
}

/** One audited command (db/schema/commands.ts). */
export interface CommandLogEntry {
  id: number;
  chargerId: string;
  action: string;
  payload: unknown;
  response: unknown;
  outcome: string;
  errorCode?: string | null;
  requestedBy: string;
  requestedAt: string;
  answeredAt?: string | null;
  durationMs?: number | null;
}

export interface IdTag {
  idTag: string;
  parentIdTag?: string | null;
  expiryDate?: string | null;
  blocked: boolean;
  description?: string | null;
}

/** Some list endpoints may answer a bare array or a page object; accept both. */
export function rows<T>(v: T[] | { data?: T[]; items?: T[]; result?: T[] }): T[] {
  if (Array.isArray(v)) return v;
  return v.data ?? v.items ?? v.result ?? [];
}

type Listed<T> = T[] | { data?: T[]; items?: T[]; result?: T[] };

export const authApi = {
  me: () => get<Principal>('/api/auth/me'),
  login: (username: string, password: string) => post<Principal>('/api/auth/login', { username, password }),
  logout: () => post<void>('/api/auth/logout'),
};

export const usersApi = {
  list: () => get<User[]>('/api/users'),
  create: (body: { username: string; password: string; role: Role }) => post<User>('/api/users', body),
  update: (id: number, body: { role?: Role; password?: string; disabled?: boolean }) => patch<User>(`/api/users/${id}`, body),
  remove: (id: number) => del<void>(`/api/users/${id}`),
};

export const tokensApi = {
  list: () => get<ApiToken[]>('/api/tokens'),
  create: (body: { name: string; role: Role }) => post<ApiToken & { token: string }>('/api/tokens', body),
  revoke: (id: number) => del<ApiToken>(`/api/tokens/${id}`),
};

export const chargersApi = {
  list: async () => rows(await get<Listed<Charger>>('/api/chargers')),
  register: (body: { id: string; secret?: string; description?: string }) => post<Charger>('/api/chargers', body),
  setRegistration: (id: string, registration: Charger['registration']) => patch<Charger>(`/api/chargers/${encodeURIComponent(id)}`, { registration }),
  command: (id: string, action: string, payload: Record<string, unknown>) =>
    post<unknown>(`/api/chargers/${encodeURIComponent(id)}/commands/${action}`, payload),
  commandLog: async (id: string) => rows(await get<Listed<CommandLogEntry>>(`/api/chargers/${encodeURIComponent(id)}/commands`)),
};

export const idTagsApi = {
  list: async () => rows(await get<Listed<IdTag>>('/api/id-tags')),
  create: (body: { idTag: string; expiryDate?: string; blocked?: boolean; parentIdTag?: string }) => post<IdTag>('/api/id-tags', body),
};
