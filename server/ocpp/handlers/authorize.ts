import type { OcppHandler } from '../context.ts';
import { idTagInfo, type IdTagInfo } from '../id-tag-info.ts';
import { markSeen } from '../mark-seen.ts';

/**
 * Authorize (OCPP 1.6 §4.1): the tag against the authorization list; a tag
 * charging at another charger is ConcurrentTx. At its own charger it is not:
 * presenting the card again is how a driver stops the session.
 */
export const authorize: OcppHandler<{ idTag: string }, { idTagInfo: IdTagInfo }> = async (ctx, p) => {
  const { app, chargerId } = ctx;
  const info = await idTagInfo(app, p.idTag, {
    checkConcurrent: true,
    sameSession: (tx) => tx.chargerId === chargerId,
  });
  await markSeen(ctx, 'Authorize');
  return { idTagInfo: info };
};
