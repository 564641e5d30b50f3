import type { SessionFilter } from '../../api/transactions.ts';

/** The list's filter and order as the page's URL holds them (bookmarks, the back link from a session). */
const KEYS = ['charger_id', 'from', 'to', 'id_tag', 'state', 'stop_reason', 'sort', 'order'] as const;

export function filterFromUrl(search: string): SessionFilter {
  const q = new URLSearchParams(search);
  const f: Record<string, string> = {};
  for (const k of KEYS) {
    const v = q.get(k);
    if (v) f[k] = v;
  }
  return f as SessionFilter;
}

export function filterToSearch(f: SessionFilter): string {
  const q = new URLSearchParams();
  for (const k of KEYS) {
    const v = f[k];
    if (v) q.set(k, String(v));
  }
  const s = q.toString();
  return s ? `?${s}` : '';
}
