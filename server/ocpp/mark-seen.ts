import type { HandlerContext } from './context.ts';

/**
 * Notes a charger's message as its latest (last command, last seen, online).
 * In memory, written with others every few seconds (seen-buffer.ts): it
 * stores nothing the charger would resend, so its answer need not wait for
 * a commit. A charger the offline sweep marked silent is written at once
 * (group-committed, live-writes.ts), so the database says online before its
 * `connected` event goes out (dispatch.ts).
 */
export async function markSeen({ app, conn, chargerId, now }: HandlerContext, action: string): Promise<void> {
  if (conn.silent) await app.ocpp.live.seen(chargerId, action, now);
  else app.ocpp.seen.note({ chargerId, action, at: now });
}
