import type { FastifyInstance } from 'fastify';

export type AuthorizationStatus = 'Accepted' | 'Blocked' | 'Expired' | 'Invalid' | 'ConcurrentTx';
export interface IdTagInfo {
  status: AuthorizationStatus;
  expiryDate?: string;
  parentIdTag?: string;
}

/**
 * IdTagInfo (OCPP 1.6 §7.15) from the authorization list: unknown tags are
 * Invalid, then Blocked, then Expired (by the injected clock); a tag already
 * charging elsewhere is ConcurrentTx. `sameSession` recognises a resent
 * StartTransaction, whose own open transaction is not "elsewhere". Authorize
 * and StartTransaction both ask here, so they agree: only sessions whose
 * start was Accepted count (a deauthorized one never locks its tag).
 */
export async function idTagInfo(
  app: FastifyInstance,
  idTag: string,
  opts: {
    checkConcurrent: boolean;
    sameSession?: (tx: { chargerId: string; connectorId: number; meterStart: number; startedAt: Date }) => boolean;
  },
): Promise<IdTagInfo> {
  const tag = await app.repos.idTags.get(idTag);
  if (!tag) return { status: 'Invalid' };
  const extra: Omit<IdTagInfo, 'status'> = {};
  if (tag.expiryDate) extra.expiryDate = tag.expiryDate.toISOString();
  if (tag.parentIdTag) extra.parentIdTag = tag.parentIdTag;
  if (tag.blocked) return { status: 'Blocked', ...extra };
  if (tag.expiryDate && tag.expiryDate <= app.clock.now()) return { status: 'Expired', ...extra };
  if (opts.checkConcurrent) {
    const open = await app.repos.transactions.openForTag(idTag);
    if (open.some((tx) => !opts.sameSession?.(tx))) return { status: 'ConcurrentTx', ...extra };
  }
  return { status: 'Accepted', ...extra };
}
