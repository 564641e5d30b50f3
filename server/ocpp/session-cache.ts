import type { TransactionRow } from '../../db/schema/index.ts';

/** What a MeterValues needs of a session: facts that never change once it started. */
export interface SessionRef {
  id: number;
  chargerId: string;
  connectorId: number;
  meterStart: number;
}

/** Ids remembered per connection at most (a charger names few sessions; a bad one may name many). */
const MAX_IDS = 64;

const ref = (tx: TransactionRow): SessionRef => ({
  id: tx.id,
  chargerId: tx.chargerId,
  connectorId: tx.connectorId,
  meterStart: tx.meterStart,
});

/**
 * One connection's memory of the sessions its MeterValues name (OCPP 1.6
 * §4.7), so a sample costs no look-up (issue #13: read what every call needs
 * from a per-connection cache that the writes keep true).
 *
 * - By transactionId: a session's charger, connector and meterStart never
 *   change, so a hit stays true for good; "no session of this charger" stays
 *   true until this connection's StartTransaction makes one (`started`), as
 *   a charger is held by one connection at a time. Whether it still runs is
 *   not cached: the live-figures update checks `stopped_at` itself
 *   (db/repositories/meter-ingest.ts).
 * - The open session of a connector (a MeterValues without transactionId):
 *   set by this connection's StartTransaction, forgotten by every close of
 *   the charger's sessions (`stopped`, from the `transaction.stopped` event
 *   that every close publishes, in any process when the event bus is Redis),
 *   then read again.
 */
export class SessionCache {
  private readonly byId = new Map<number, SessionRef | null>();
  private readonly openOn = new Map<number, SessionRef | null>();

  constructor(private readonly chargerId: string) {}

  /** The charger's own session with this id, else undefined (another charger's, or none). */
  async own(id: number, load: (id: number) => Promise<TransactionRow | undefined>): Promise<SessionRef | undefined> {
    const known = this.byId.get(id);
    if (known !== undefined) return known ?? undefined;
    const tx = await load(id);
    const found = tx && tx.chargerId === this.chargerId ? ref(tx) : null;
    if (this.byId.size >= MAX_IDS) this.byId.clear();
    this.byId.set(id, found);
    return found ?? undefined;
  }

  /** The running session on a connector, newest first, else undefined. */
  async open(
    connectorId: number,
    load: (connectorId: number) => Promise<TransactionRow | undefined>,
  ): Promise<SessionRef | undefined> {
    const known = this.openOn.get(connectorId);
    if (known !== undefined) return known ?? undefined;
    const tx = await load(connectorId);
    const found = tx && !tx.stoppedAt ? ref(tx) : null;
    this.openOn.set(connectorId, found);
    return found ?? undefined;
  }

  /** This connection's StartTransaction stored (or found again) a session. */
  started(tx: TransactionRow): void {
    const r = ref(tx);
    this.byId.set(r.id, r);
    if (!tx.stoppedAt) this.openOn.set(r.connectorId, r);
  }

  /** A session of the charger was closed (by it, the system or an operator): read the open ones again. */
  stopped(): void {
    this.openOn.clear();
  }

  /** A BootNotification: the charger starts afresh. */
  reset(): void {
    this.byId.clear();
    this.openOn.clear();
  }
}
