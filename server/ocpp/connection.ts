import type { RegistrationState } from '../../db/schema/index.ts';
import type { ChargerConnection } from './connections.ts';
import type { SkewEstimate } from './clock-skew.ts';
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
  /** The clock skew measured on this connection (clock-skew.ts); reset by BootNotification. */
  clockSkew: SkewEstimate | undefined;
  private tail: Promise<unknown> = Promise.resolve();

  constructor(
    readonly peer: RpcPeer,
    registration: RegistrationState,
    readonly connectedAt: Date,
  ) {
    this.chargerId = peer.identity;
    this.registration = registration;
    peer.on('message', (e: { message: string; outbound: boolean }) => {
      if (!e.outbound) this.lastInboundChars = e.message.length;
    });
    // Every frame leaves through sendRaw, so OCPP 2.0-only error codes become 1.6 ones here.
    const send = peer.sendRaw.bind(peer);
    peer.sendRaw = (message: string) => send(typeof message === 'string' ? toOcpp16Frame(message) : message);
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
