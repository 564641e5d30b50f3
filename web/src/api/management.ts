import type { Static } from '@sinclair/typebox';
import type { CommandResult } from '../../../contracts/commands.ts';
import type { ChargerSchema, ConnectorSchema, PatchChargerBody } from '../../../server/api/chargers/schemas.ts';
import { del, get, patch, post } from './client.ts';

/** Roles (docs/PRODUCT.md §8): viewer reads, operator also sends commands and writes batteries, admin everything. */
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

/** One connector's last StatusNotification (server/api/chargers/schemas.ts ConnectorSchema). */
export type Connector = Static<typeof ConnectorSchema>;

/**
 * A charger as GET /api/chargers answers it (server/api/chargers/schemas.ts
 * ChargerSchema; never the secret), its wiring included: phaseRotation (null:
 * the site's vchpowersequence), effectiveRotation, the site phases it loads, circuitId.
 */
export type Charger = Static<typeof ChargerSchema>;
/** PATCH /api/chargers/<id>: registration, metadata and wiring. */
export type ChargerPatch = Static<typeof PatchChargerBody>;

/** One audited command (server/api/commands/routes.ts CommandLogSchema). */
export interface CommandLogEntry {
  id: number;
  chargerId: string;
  action: string;
  payload: unknown;
  response: unknown;
  outcome: string;
  errorCode: string | null;
  requestedBy: string;
  requestedAt: string;
  answeredAt: string | null;
  durationMs: number | null;
}

/** server/api/id-tags/schemas.ts IdTagSchema. */
export interface IdTag {
  idTag: string;
  parentIdTag: string | null;
  expiryDate: string | null;
  blocked: boolean;
  description: string | null;
  createdAt: string;
}

export const authApi = {
  me: () => get<Principal>('/api/auth/me'),
  login: (username: string, password: string) => post<Principal>('/api/auth/login', { username, password }),
  logout: () => post<void>('/api/auth/logout'),
};

export const usersApi = {
  list: () => get<User[]>('/api/users'),
  create: (body: { username: string; password: string; role: Role }) => post<User>('/api/users', body),
  update: (id: number, body: { role?: Role; password?: string; disabled?: boolean }) =>
    patch<User>(`/api/users/${id}`, body),
  remove: (id: number) => del<void>(`/api/users/${id}`),
};

export const tokensApi = {
  list: () => get<ApiToken[]>('/api/tokens'),
  create: (body: { name: string; role: Role }) => post<ApiToken & { token: string }>('/api/tokens', body),
  revoke: (id: number) => del<ApiToken>(`/api/tokens/${id}`),
};

export const chargersApi = {
  list: () => get<Charger[]>('/api/chargers'),
  get: (id: string) => get<Charger>(`/api/chargers/${encodeURIComponent(id)}`),
  register: (body: { id: string; secret: string; description?: string }) => post<Charger>('/api/chargers', body),
  setRegistration: (id: string, registration: Charger['registration']) =>
    patch<Charger>(`/api/chargers/${encodeURIComponent(id)}`, { registration }),
  update: (id: string, body: ChargerPatch) => patch<Charger>(`/api/chargers/${encodeURIComponent(id)}`, body),
  command: (id: string, action: string, payload: Record<string, unknown>) =>
    post<CommandResult>(`/api/chargers/${encodeURIComponent(id)}/commands/${action}`, payload),
  commandLog: (id: string) => get<CommandLogEntry[]>(`/api/chargers/${encodeURIComponent(id)}/commands`),
};

export const idTagsApi = {
  list: () => get<IdTag[]>('/api/id-tags'),
  create: (body: { idTag: string; expiryDate?: string; blocked?: boolean; parentIdTag?: string }) =>
    post<IdTag>('/api/id-tags', body),
};

/** One SignedData reading of a session (server/api/transactions/signed-schemas.ts), its value verbatim. */
export interface SignedReading {
  timestamp: string;
  measurand: string;
  context: string;
  location: string;
  phase: string | null;
  unit: string;
  format: 'SignedData';
  encoding: 'OCMF' | 'hex' | 'base64' | 'unknown';
  value: string;
}

const signedPath = (id: number) => `/api/transactions/${id}/signed-readings`;

export const transactionsApi = {
  signedReadings: (id: number) =>
    get<{ transactionId: number; chargerId: string; items: SignedReading[] }>(signedPath(id)),
  /** Download links (the browser sends the session cookie): one value per line, or the Transparenzsoftware XML. */
  signedDownload: (id: number, format: 'ocmf' | 'xml') => `${signedPath(id)}?format=${format}`,
};
