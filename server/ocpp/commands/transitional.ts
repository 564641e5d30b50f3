import type { FastifyInstance } from 'fastify';
import { publishState } from '../context.ts';

interface Rule {
  state: string;
  /** Given the charger's answer, has the state already ended? */
  endsOnAnswer(response: { status?: string } | undefined): boolean;
}

/**
 * Commands that put a charger in one of the system's own transitional states
 * (docs/PRODUCT.md §3). The state is set before the CALL goes out, so a StartTransaction
 * arriving right behind the charger's answer cannot be overtaken by it; it
 * ends when the charger refuses or fails, when the awaited message arrives
 * (handlers), or when it expires (offline sweep).
 */
const RULES: Record<string, Rule> = {
  RemoteStartTransaction: { state: 'RemoteCharging', endsOnAnswer: (r) => r?.status !== 'Accepted' },
  RemoteStopTransaction: { state: 'RemoteStopCharging', endsOnAnswer: (r) => r?.status !== 'Accepted' },
  Reset: { state: 'Reboot', endsOnAnswer: (r) => r?.status !== 'Accepted' },
  // UpdateFirmware.conf is empty: the update runs until FirmwareStatusNotification says it is over.
  UpdateFirmware: { state: 'Updating', endsOnAnswer: () => false },
  DataTransfer: { state: 'SendMessage', endsOnAnswer: () => true },
};

/** How long each state may last without the message that ends it. */
export const TRANSITIONAL_EXPIRY_MS: Record<string, number> = {
  RemoteCharging: 3 * 60_000, // a generous OCPP ConnectionTimeOut
  RemoteStopCharging: 3 * 60_000,
  Reboot: 15 * 60_000,
  SendMessage: 10 * 60_000, // only outlives its command if the process died mid-call
  Updating: 6 * 3600_000,
};

export async function beginTransitional(app: FastifyInstance, chargerId: string, action: string): Promise<void> {
  const rule = RULES[action];
  if (!rule) return;
  await app.repos.chargers.setTransitional(chargerId, rule.state, app.clock.now());
  await publishState(app, chargerId);
}

/** After the command: `response` undefined means it failed (error, timeout, lost connection). */
export async function settleTransitional(
  app: FastifyInstance,
  chargerId: string,
  action: string,
  response: unknown,
): Promise<void> {
  const rule = RULES[action];
  if (!rule) return;
  if (response !== undefined && !rule.endsOnAnswer(response as { status?: string })) return;
  if (await app.repos.chargers.clearTransitional(chargerId, [rule.state])) await publishState(app, chargerId);
}
