import type { RegistrationState } from '../../db/schema/index.ts';
import type { ChargerConnection } from './connections.ts';
import { toOcpp16Frame } from './protocol.ts';

/** What this module uses of ocpp-rpc's RPCServerClient (its own typings are loose). */
export interface RpcPeer {
  readonly identity: string;
  handle(method: string, handler: (call: { params: unknown; method: string; messageId: string }) => unknown): void;
  call(method: string, params: unknown, options?: { callTimeoutMs?: number }): Promise<unknown>;
  close(options?: { code?: number; reason?: string; force?: boolean }): Promise<unknown>;
  sendRaw(message: string): void;
  on(event: string, listener: (arg: never) => void): unknown;
  once(event: string, listener: (arg: never) => void): unknown;
}

/**
 * One accepted charge-point WebSocket. Inbound CALLs run one at a time in
 * arrival order: ocpp-rpc's `callConcurrency` only limits outbound calls and
 * runs inbound handlers concurrently, but a StopTransaction must not overtake
 * the MeterValues sent before it.
 */
export class OcppConnection implements ChargerConnection {
  readonly chargerId: string;
  /** Kept current by BootNotification and by the operator's approval (OCPP 1.6 §4.2). */
  registration: RegistrationState;
  /** Size of the frame being dispatched; ocpp-rpc hands handlers parsed params only. */
  lastInboundChars = 0;
  /** Set by the offline sweep while the socket stays open; the next message brings it back. */
  silent = false;
  private tail: Promise<unknown> = Promise.resolve();

  constructor(
    readonly peer: RpcPeer,
    registration: RegistrationState,
    readonly connectedAt: Date,
  ) {
    this.chargerId = peer.identity;
    this.registration = registration;
    peer.on('message', (e: { message: string; outbound: boolean }) => {
      if (e.outbound) return;
      this.lastInboundChars = e.message.length;
      const id = payloadlessCallId(e.message);
      if (id !== undefined) this.payloadless.add(id);
    });
    // Every frame leaves through sendRaw, so OCPP 2.0-only error codes become 1.6 ones here.
    const send = peer.sendRaw.bind(peer);
    peer.sendRaw = (message: string) => {
      if (typeof message !== 'string') return send(message);
      return send(this.payloadless.size ? this.payloadlessError(message) : toOcpp16Frame(message));
    };
  }

  /** Ids of CALLs that came without a payload, until their CALLERROR leaves. */
  private readonly payloadless = new Set<string>();

  /**
   * ocpp-rpc validates a missing payload as `undefined` against the schema and
   * answers TypeConstraintViolation; OCPP-J 1.6 §4.2.3 keeps that code for a
   * field of the wrong type. A CALL without its fourth element (§4.2.1) is
   * "incomplete": ProtocolError.
   */
  private payloadlessError(frame: string): string {
    try {
      const parsed = JSON.parse(frame) as unknown[];
      if (parsed[0] === 4 && typeof parsed[1] === 'string' && this.payloadless.delete(parsed[1])) {
        return JSON.stringify([4, parsed[1], 'ProtocolError', 'A CALL needs a payload object as its fourth element', {}]);
      }
    } catch {
      // not ours to judge: sent as it is
    }
    return toOcpp16Frame(frame);
  }

  /** Runs `fn` after every earlier inbound message of this charger has been handled. */
  serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.tail.then(fn);
    this.tail = run.catch(() => undefined);
    return run;
  }

  call(action: string, payload: unknown, timeoutMs: number): Promise<unknown> {
    // ocpp-rpc queues calls: one outstanding CALL per charger (callConcurrency 1, OCPP-J §4.1.1).
    return this.peer.call(action, payload, { callTimeoutMs: timeoutMs });
  }

  async close(code: number, reason: string): Promise<void> {
    await this.peer.close({ code, reason });
  }
}

/**
 * The id of a CALL frame with no payload element (`[2,"id","Action"]`), else
 * undefined. Only frames not ending in `}]` (every well-formed CALL does) are parsed.
 */
export function payloadlessCallId(message: string): string | undefined {
  if (message.endsWith('}]')) return undefined;
  try {
    const parsed = JSON.parse(message) as unknown;
    if (Array.isArray(parsed) && parsed.length === 3 && parsed[0] === 2 && typeof parsed[1] === 'string' && typeof parsed[2] === 'string') return parsed[1];
  } catch {
    // unparsable: ocpp-rpc answers it
  }
  return undefined;
}
