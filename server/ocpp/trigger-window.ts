import type { Clock } from '../clock.ts';

/**
 * How long after its TriggerMessage.conf a Pending charger may send the
 * message asked for. OCPP 1.6 §5.17 only says it follows the .conf; a
 * minute covers a charger that first finishes what it was doing.
 */
export const TRIGGER_WINDOW_MS = 60_000;

/** Triggered without a connectorId, these come once per connector (OCPP 1.6 §5.17). */
const PER_CONNECTOR = new Set(['StatusNotification', 'MeterValues']);

interface Asked {
  messageId: string;
  requestedMessage: string;
  connectorId: number | undefined;
}

interface Window {
  requestedMessage: string;
  /** The connector asked for; undefined: every connector, each once. */
  connectorId: number | undefined;
  /** Connectors already heard from under a window without a connectorId. */
  seen: Set<number>;
  until: number;
}

/**
 * What the Central System asked a Pending charger to send (OCPP 1.6 §4.2:
 * while Pending it "MAY send messages to retrieve information"; §5.17: the
 * requested message follows the TriggerMessage.conf). A window opens when
 * the charger answers Accepted and lets exactly the asked-for message(s)
 * through the Pending gate until its deadline. Fed from the socket's own
 * frames, so it lives in the process holding the socket however the
 * command reached it (Redis-routed commands included).
 */
export class TriggerWindows {
  /** The TriggerMessage CALL awaiting its answer: ocpp-rpc sends one CALL at a time (callConcurrency 1). */
  private asked: Asked | undefined;
  private readonly open = new Map<string, Window>();

  constructor(private readonly clock: Clock) {}

  /** A TriggerMessage CALL left for the charger. */
  sent(messageId: string, payload: unknown): void {
    const p = payload as { requestedMessage?: unknown; connectorId?: unknown } | null;
    if (typeof p?.requestedMessage !== 'string') return;
    // A connectorId only narrows the messages that carry one.
    const connectorId =
      PER_CONNECTOR.has(p.requestedMessage) && typeof p.connectorId === 'number' ? p.connectorId : undefined;
    this.asked = { messageId, requestedMessage: p.requestedMessage, connectorId };
  }

  /** A CALLRESULT (`result`) or CALLERROR (`result` undefined) arrived for `messageId`. */
  answered(messageId: string, result: unknown): void {
    const asked = this.asked;
    if (!asked || asked.messageId !== messageId) return;
    this.asked = undefined;
    if ((result as { status?: unknown } | undefined)?.status !== 'Accepted') return;
    const now = this.clock.now().getTime();
    this.prune(now);
    this.open.set(key(asked.requestedMessage, asked.connectorId), {
      requestedMessage: asked.requestedMessage,
      connectorId: asked.connectorId,
      seen: new Set(),
      until: now + TRIGGER_WINDOW_MS,
    });
  }

  /**
   * Whether this inbound message is one that was asked for and is still
   * due; a message admitted uses up its place (one per connector asked).
   */
  admit(action: string, params: unknown): boolean {
    const now = this.clock.now().getTime();
    this.prune(now);
    const connectorId = (params as { connectorId?: unknown } | null)?.connectorId;
    if (typeof connectorId === 'number') {
      const exact = key(action, connectorId);
      if (this.open.has(exact)) return this.open.delete(exact);
    }
    const any = this.open.get(key(action, undefined));
    if (!any) return false;
    if (!PER_CONNECTOR.has(action) || typeof connectorId !== 'number') return this.open.delete(key(action, undefined));
    if (any.seen.has(connectorId)) return false;
    any.seen.add(connectorId);
    return true;
  }

  private prune(now: number): void {
    for (const [k, w] of this.open) if (w.until <= now) this.open.delete(k);
  }
}

function key(requestedMessage: string, connectorId: number | undefined): string {
  return `${requestedMessage}:${connectorId ?? '*'}`;
}
