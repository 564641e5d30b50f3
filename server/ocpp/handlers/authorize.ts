import type { OcppHandler } from '../context.ts';
import { idTagInfo, type IdTagInfo } from '../id-tag-info.ts';

/** Authorize (OCPP 1.6 §4.1): the tag against the authorization list; a tag charging elsewhere is ConcurrentTx. */
export const authorize: OcppHandler<{ idTag: string }, { idTagInfo: IdTagInfo }> = async ({ app, chargerId, now }, p) => {
  const info = await idTagInfo(app, p.idTag, { checkConcurrent: true });
  await app.repos.chargers.recordSeen(chargerId, 'Authorize', now);
  return { idTagInfo: info };
};
