import { messagesApi, type OcppMessage, type OcppMessageFilter } from '../../api/messages.ts';

/** The most a download walks through (pages of 500): enough for days of one charger, bounded for the browser. */
export const DOWNLOAD_CAP = 20_000;

/** Every message the filter selects, newest first, up to DOWNLOAD_CAP; `capped` when more were left. */
export async function collectMessages(
  chargerId: string,
  filter: OcppMessageFilter,
): Promise<{ items: OcppMessage[]; capped: boolean }> {
  const items: OcppMessage[] = [];
  let before: number | undefined;
  for (;;) {
    const page = await messagesApi.page(chargerId, { ...filter, limit: 500, before });
    items.push(...page.items);
    if (page.nextBefore === null) return { items, capped: false };
    if (items.length >= DOWNLOAD_CAP) return { items: items.slice(0, DOWNLOAD_CAP), capped: true };
    before = page.nextBefore;
  }
}

/** Hands the browser a JSON file to save. */
export function saveJson(name: string, value: unknown): void {
  const url = URL.createObjectURL(new Blob([JSON.stringify(value, null, 2)], { type: 'application/json' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 0);
}
