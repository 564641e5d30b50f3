import type { RegistrationState } from '../../db/schema/index.ts';
import type { Clock } from '../clock.ts';
import type { ChargerConnection } from './connections.ts';
import { errorCodeFor, frameFor, ocppVersion, type OcppVersion } from './error-codes.ts';
import { createRPCError, RPCError } from './rpc.ts';
import { TriggerWindows } from './trigger-window.ts';
import type { SkewEstimate } from './clock-skew.ts';
import { SessionCache } from './session-cache.ts';

/** What this module uses of ocpp-rpc's RPCServerClient (its own typings are loose). */
export interface RpcPeer {
  readonly identity: string;
  /** The negotiated WebSocket subprotocol, e.g. `ocpp1.6`. */
  readonly protocol: string | undefined;
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
  /** The OCPP version this charger speaks: the names its CALLERROR codes go by, both ways. */
  readonly version: OcppVersion;
  /** What a Pending charger was asked to send (OCPP 1.6 §4.2, §5.17). */
  readonly triggers: TriggerWindows;
  /** The clock skew measured on this connection (clock-skew.ts); reset by BootNotification. */
  clockSkew: SkewEstimate | undefined;
  /** The sessions its MeterValues name, kept true by its writes and every close (session-cache.ts). */
  readonly sessions: SessionCache;
  private tail: Promise<unknown> = Promise.resolve();

  constructor(
    readonly peer: RpcPeer,
    registration: RegistrationState,
    readonly connectedAt: Date,
    clock: Clock,
  ) {
    this.chargerId = peer.identity;
    this.registration = registration;
    // The server offers only the versions error-codes.ts knows, so one was negotiated.
    this.version = ocppVersion(peer.protocol) ?? 'ocpp1.6';
    this.triggers = new TriggerWindows(clock);
    this.sessions = new SessionCache(this.chargerId);
    // Both fire synchronously as the frame is read, so a window is open before
    // the triggered message right behind the .conf reaches the Pending gate.
    peer.on('call', (e: { outbound: boolean; payload: unknown[] }) => {
      if (e.outbound && e.payload[2] === 'TriggerMessage' && this.registration === 'Pending')
        this.triggers.sent(e.payload[1] as string, e.payload[3]);
    });
    peer.on('response', (e: { outbound: boolean; payload: unknown[] }) => {
      if (!e.outbound) this.triggers.answered(e.payload[1] as string, e.payload[0] === 3 ? e.payload[2] : undefined);
    });
    peer.on('message', (e: { message: string; outbound: boolean }) => {
      if (e.outbound) return;
      this.lastInboundChars = e.message.length;
      const id = payloadlessCallId(e.message);
      if (id !== undefined) this.payloadless.add(id);
    });
    // Every frame leaves through sendRaw, so error codes get this version's names here.
    const send = peer.sendRaw.bind(peer);
    peer.sendRaw = (message: string) => {
      if (typeof message !== 'string') return send(message);
      return send(this.payloadless.size ? this.payloadlessError(message) : frameFor(this.version, message));
    };
  }

  /** Ids of CALLs that came without a payload, until their CALLERROR leaves. */
  private readonly payloadless = new Set<string>();

  /**
   * ocpp-rpc validates a missing payload as `undefined` against the schema and
   * answers TypeConstraintViolation; OCPP-J 1.6 §4.2.3 keeps that code for a
   * field of the wrong type. A CALL without its fourth element (§4.2.1) does
   * not conform to the PDU structure: FormationViolation.
   */
  private payloadlessError(frame: string): string {
    try {
      const parsed = JSON.parse(frame) as unknown[];
      if (parsed[0] === 4 && typeof parsed[1] === 'string' && this.payloadless.delete(parsed[1])) {
        return JSON.stringify([
          4,
          parsed[1],
          errorCodeFor(this.version, 'FormatViolation'),
          'A CALL needs a payload object as its fourth element',
          {},
        ]);
      }
    } catch {
      // not ours to judge: sent as it is
    }
    return frameFor(this.version, frame);
  }

  /** Runs `fn` after every earlier inbound message of this charger has been handled. */
  serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.tail.then(fn);
    this.tail = run.catch(() => undefined);
    return run;
  }

  /** Whether a Pending charger's inbound `action` is one it was asked for; uses up its place. */
  triggered(action: string, params: unknown): boolean {
    return this.registration === 'Pending' && this.triggers.admit(action, params);
  }

  async call(action: string, payload: unknown, timeoutMs: number): Promise<unknown> {
    try {
      // ocpp-rpc queues calls: one outstanding CALL per charger (callConcurrency 1, OCPP-J §4.1.1).
      return await this.peer.call(action, payload, { callTimeoutMs: timeoutMs });
    } catch (err) {
      // The charger's CALLERROR, or ocpp-rpc's verdict on its answer (strict mode), in this version's names.
      if (!(err instanceof RPCError)) throw err;
      const code = errorCodeFor(this.version, err.rpcErrorCode);
      if (code === err.rpcErrorCode) throw err;
      throw createRPCError(code, err.message, (err as RPCError & { details?: Record<string, unknown> }).details);
    }
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
    if (
      Array.isArray(parsed) &&
      parsed.length === 3 &&
      parsed[0] === 2 &&
      typeof parsed[1] === 'string' &&
      typeof parsed[2] === 'string'
    )
      return parsed[1];
  } catch {
    // unparsable: ocpp-rpc answers it
  }
  return undefined;
}
