import type { ChargerEvent } from '../../../contracts/events.ts';
import type { PeriodEnergy, PeriodUnit } from '../../../db/repositories/energy-queries.ts';
import type { Clock } from '../../clock.ts';
import { COMPRESS_THRESHOLD, encode, type Encoding } from '../../content-coding.ts';
import type { PeriodWindow } from './periods.ts';

/** How one per-charger answer is written: the JSON around its entries and one charger's entry. */
export interface SeriesShape {
  open: string;
  close: string;
  /** One charger's entry as JSON in the seed's key order, from its Wh per label (oldest first). */
  entry(chargerId: string, labels: readonly string[], wh: readonly number[]): string;
}

/** What the answers are read from: the charger ids in answer order, and the rollup rows per charger. */
export interface SeriesSource {
  chargerIds(): Promise<string[]>;
  /** Rows per charger and period of `window`, only of `only` when given. */
  rows(window: Window, only?: readonly string[]): Promise<PeriodEnergy[]>;
}

export interface SeriesBody {
  text: string;
  /** The text as UTF-8, encoded once per version (not per response). */
  bytes(): Buffer;
  /** The text compressed in `encoding`, made once per version of the answer; null under the threshold. */
  encoded(encoding: Encoding): Promise<Buffer> | null;
}

export type Window = PeriodWindow & { unit: PeriodUnit };

interface Entry {
  window: Window;
  shape: SeriesShape;
  ids: string[];
  chunks: Map<string, string>;
  /** Chargers a stop (or a registration) changed since their chunk was read, and the event number of the last. */
  dirty: Set<string>;
  touchedAt: Map<string, number>;
  idsDirty: boolean;
  idsTouchedAt: number;
  /** Events up to this number are in the chunks. */
  syncedSeq: number;
  syncing: Promise<void> | null;
  filled: Promise<void>;
  refreshing: boolean;
  readAt: number;
  chars: number;
  body: string | null;
  variants: Map<Encoding, Promise<Buffer>>;
  utf8: Buffer | null;
}

/**
 * The seed's per-charger chart answers (2.11, 3.2 over every charger): one
 * series per charger, 1.2–3 MB at 5,000 chargers, so reading and writing
 * them whole on every stop cost seconds (issue 13). Kept instead as one JSON
 * chunk per charger, read in full once and then kept true in place: a
 * session's stop (or its confirmed energy, docs/PRODUCT.md §5) marks its
 * charger, and the next request first re-reads that charger's rows from the
 * rollups (db/repositories/session-rollups.ts keeps them; they are the
 * truth), so a replaced or flagged close comes out exactly as a fresh read.
 * A registration or removal re-reads the id list. Events are published
 * after their write commits, so a re-read that starts after the event sees
 * it; a request waits for the events that arrived before it.
 *
 * What no event announces (a database written by a process without the
 * shared bus) is picked up by a full re-read in the background every
 * `refreshMs`, served from the old chunks meanwhile. The compressed bodies
 * are made once per version of an answer, not per request.
 */
export class ChargerSeriesCache {
  private readonly entries = new Map<string, Entry>();
  private seq = 0;
  /** Full reads made (first fills and background refreshes), for tests to tell in-place updates from refills. */
  fullReads = 0;

  constructor(
    private readonly clock: Clock,
    private readonly source: SeriesSource,
    private readonly refreshMs = 30_000,
    /** Characters of answers kept, least recently used dropped first; one over a quarter is served, not kept. */
    private readonly maxChars = 96 * 1024 * 1024,
  ) {}

  /** Forgets every answer: the next request for each reads it in full. */
  clear(): void {
    this.entries.clear();
  }

  /** Marks what an event changes (contracts/events.ts): the stopped charger's series, or the id list. */
  onEvent(e: ChargerEvent): void {
    switch (e.type) {
      case 'transaction.stopped':
      case 'transaction.energy':
        this.touch(e.chargerId, false);
        return;
      case 'charger.changed':
        if (e.change !== 'updated') this.touch(e.chargerId, true);
        return;
      case 'connected':
      case 'boot':
        // A first connection may have registered the charger (ocpp/admission.ts).
        if ([...this.entries.values()].some((x) => !x.chunks.has(e.chargerId))) this.touch(e.chargerId, true);
        return;
      default:
    }
  }

  private touch(chargerId: string, ids: boolean): void {
    this.seq += 1;
    for (const e of this.entries.values()) {
      e.dirty.add(chargerId);
      e.touchedAt.set(chargerId, this.seq);
      if (ids) {
        e.idsDirty = true;
        e.idsTouchedAt = this.seq;
      }
    }
  }

  async get(key: string, window: Window, shape: SeriesShape): Promise<SeriesBody> {
    const arrival = this.seq;
    let e = this.entries.get(key);
    if (e) {
      this.entries.delete(key); // most recently used last
      this.entries.set(key, e);
    } else {
      e = this.create(window, shape);
      this.entries.set(key, e);
      e.filled = this.fullRead(e).catch((err: unknown) => {
        if (this.entries.get(key) === e) this.entries.delete(key);
        throw err;
      });
    }
    await e.filled;
    while (e.syncedSeq < arrival) {
      e.syncing ??= this.sync(e).finally(() => (e.syncing = null));
      await e.syncing;
    }
    if (!e.refreshing && this.clock.now().getTime() - e.readAt >= this.refreshMs) {
      e.refreshing = true;
      void this.fullRead(e)
        .catch(() => undefined) // the next request's refresh tries again; the chunks held stay true to their events
        .finally(() => (e.refreshing = false));
    }
    const body = this.body(e);
    this.bound(key, e);
    return body;
  }

  private create(window: Window, shape: SeriesShape): Entry {
    return {
      window,
      shape,
      ids: [],
      chunks: new Map(),
      dirty: new Set(),
      touchedAt: new Map(),
      idsDirty: false,
      idsTouchedAt: 0,
      syncedSeq: this.seq,
      syncing: null,
      filled: Promise.resolve(),
      refreshing: false,
      readAt: this.clock.now().getTime(),
      chars: 0,
      body: null,
      variants: new Map(),
      utf8: null,
    };
  }

  private chunk(e: Entry, id: string, rows: PeriodEnergy[]): string {
    const at = new Map(rows.map((r) => [r.period, r.energyWh]));
    return e.shape.entry(
      id,
      e.window.labels,
      e.window.labels.map((l) => at.get(l) ?? 0),
    );
  }

  private static byCharger(rows: PeriodEnergy[]): Map<string, PeriodEnergy[]> {
    const out = new Map<string, PeriodEnergy[]>();
    for (const r of rows) {
      const list = out.get(r.chargerId!);
      if (list) list.push(r);
      else out.set(r.chargerId!, [r]);
    }
    return out;
  }

  /**
   * Reads every charger. A charger touched after the read began keeps the
   * chunk it has (a re-read after its event is newer), unless it has none.
   */
  private async fullRead(e: Entry): Promise<void> {
    const startSeq = this.seq;
    const readAt = this.clock.now().getTime();
    this.fullReads += 1;
    const [ids, rows] = await Promise.all([this.source.chargerIds(), this.source.rows(e.window)]);
    const per = ChargerSeriesCache.byCharger(rows);
    const first = e.chunks.size === 0 && e.ids.length === 0;
    if (first || e.idsTouchedAt <= startSeq) e.ids = ids;
    let changed = first;
    for (const id of ids) {
      if (!first && (e.touchedAt.get(id) ?? 0) > startSeq && e.chunks.has(id)) continue;
      const c = this.chunk(e, id, per.get(id) ?? []);
      if (e.chunks.get(id) !== c) {
        e.chunks.set(id, c);
        changed = true;
      }
    }
    if (e.ids.length !== e.chunks.size) this.prune(e);
    e.readAt = readAt;
    if (changed) this.changed(e);
  }

  /** Re-reads the chargers (and the id list) events marked, up to the events seen when it began. */
  private async sync(e: Entry): Promise<void> {
    const upTo = this.seq;
    const dirty = [...e.dirty];
    const idsDirty = e.idsDirty;
    e.dirty.clear();
    e.idsDirty = false;
    try {
      let changed = false;
      if (idsDirty) {
        const ids = await this.source.chargerIds();
        for (const id of ids) if (!e.chunks.has(id) && !dirty.includes(id)) dirty.push(id);
        changed = ids.length !== e.ids.length || ids.some((id, i) => e.ids[i] !== id);
        e.ids = ids;
      }
      const known = new Set(e.ids);
      const wanted = dirty.filter((id) => known.has(id));
      const per = ChargerSeriesCache.byCharger(await this.source.rows(e.window, wanted));
      for (const id of wanted) {
        const c = this.chunk(e, id, per.get(id) ?? []);
        if (e.chunks.get(id) !== c) {
          e.chunks.set(id, c);
          changed = true;
        }
      }
      if (e.ids.length !== e.chunks.size) this.prune(e);
      if (changed) this.changed(e);
      e.syncedSeq = Math.max(e.syncedSeq, upTo);
    } catch (err) {
      for (const id of dirty) e.dirty.add(id);
      if (idsDirty) e.idsDirty = true;
      throw err;
    }
  }

  private prune(e: Entry): void {
    const known = new Set(e.ids);
    for (const id of e.chunks.keys()) if (!known.has(id)) e.chunks.delete(id);
  }

  private changed(e: Entry): void {
    e.body = null;
    e.utf8 = null;
    e.variants = new Map();
  }

  private body(e: Entry): SeriesBody {
    if (e.body === null) {
      // Every id has its chunk once the events before this request are synced (fullRead, sync).
      e.body = e.shape.open + e.ids.map((id) => e.chunks.get(id)!).join(',') + e.shape.close;
      e.chars = e.body.length * 2; // the body and the chunks it was joined from
    }
    const text = e.body;
    const variants = e.variants;
    e.utf8 ??= Buffer.from(text, 'utf8');
    const utf8 = e.utf8;
    return {
      text,
      bytes: () => utf8,
      encoded: (encoding) => {
        if (text.length < COMPRESS_THRESHOLD) return null;
        let v = variants.get(encoding);
        if (!v) {
          v = encode(text, encoding);
          variants.set(encoding, v);
        }
        return v;
      },
    };
  }

  /** Keeps the held answers under `maxChars`, least recently used dropped first. */
  private bound(key: string, e: Entry): void {
    if (e.chars > this.maxChars / 4) {
      this.entries.delete(key);
      return;
    }
    let total = 0;
    for (const x of this.entries.values()) total += x.chars;
    for (const [k, x] of this.entries) {
      if (total <= this.maxChars || k === key) break;
      this.entries.delete(k);
      total -= x.chars;
    }
  }
}
