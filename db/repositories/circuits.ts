import { asc, eq, inArray, isNotNull } from 'drizzle-orm';
import type { PerPhase } from '../../contracts/load.ts';
import type { Db, Tx } from '../client.ts';
import { chargers, circuits, type CircuitRow } from '../schema/index.ts';
import { driverError } from '../sql-state.ts';

/** A circuit with the chargers hanging directly from it (docs/PRODUCT.md §7). */
export interface CircuitView {
  id: number;
  name: string;
  /** null: directly under the site. */
  parentId: number | null;
  /** Amperes per site phase. */
  limits: PerPhase;
  chargerIds: string[];
  createdAt: Date;
  updatedAt: Date;
}

export interface CircuitInput {
  name: string;
  parentId?: number | null | undefined;
  limits: PerPhase;
}

export interface CircuitPatch {
  name?: string | undefined;
  parentId?: number | null | undefined;
  limits?: Partial<PerPhase> | undefined;
}

/**
 * Why a circuit write was refused; the caller words it for its surface.
 * - not-found: no such circuit;
 * - name-taken: another circuit has the name;
 * - unknown-parent: the parent named is not there;
 * - cycle: the parent named is the circuit itself or lies under it;
 * - in-use: chargers or circuits still hang from it (details say which).
 */
export class CircuitRefusal extends Error {
  constructor(
    readonly reason: 'not-found' | 'name-taken' | 'unknown-parent' | 'cycle' | 'in-use',
    message: string,
    readonly details?: { chargerIds: string[]; circuitIds: number[] },
  ) {
    super(message);
    this.name = 'CircuitRefusal';
  }
}

function view(row: CircuitRow, chargerIds: string[]): CircuitView {
  return {
    id: row.id,
    name: row.name,
    parentId: row.parentId,
    limits: { A: row.limitA, B: row.limitB, C: row.limitC },
    chargerIds,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

/** A unique or foreign-key violation that a concurrent writer caused after our checks, as the refusal it stands for. */
function asRefusal(err: unknown, name: string | undefined): unknown {
  const e = driverError(err);
  if (e?.code === '23505' && e.constraint === 'circuits_name_unique')
    return new CircuitRefusal('name-taken', `Another circuit is named ${JSON.stringify(name)}`);
  if (e?.code === '23503' && e.constraint === 'circuits_parent_id_circuits_id_fk')
    return new CircuitRefusal('unknown-parent', 'The parent circuit is not there');
  return err;
}

/**
 * Locks every circuit, in id order so two tree edits never wait on each
 * other crosswise, and answers each one's parent. NO KEY UPDATE: a charger
 * joining a circuit (a foreign-key check, KEY SHARE) is not held up.
 */
async function lockTree(tx: Tx): Promise<Map<number, number | null>> {
  const rows = await tx
    .select({ id: circuits.id, parentId: circuits.parentId })
    .from(circuits)
    .orderBy(asc(circuits.id))
    .for('no key update');
  return new Map(rows.map((r) => [r.id, r.parentId]));
}

/** Refuses a parent that is missing, or is `id` or under it: walks up from the parent over the locked tree. */
function checkParent(tree: Map<number, number | null>, id: number | null, parentId: number): void {
  if (!tree.has(parentId)) throw new CircuitRefusal('unknown-parent', `No circuit ${parentId}`);
  const seen = new Set<number>();
  for (let p: number | null | undefined = parentId; p !== null && p !== undefined && !seen.has(p); p = tree.get(p)) {
    if (p === id)
      throw new CircuitRefusal(
        'cycle',
        p === parentId ? 'A circuit cannot be its own parent' : `Circuit ${parentId} lies under circuit ${id}`,
      );
    seen.add(p);
  }
}

/**
 * Circuits (docs/PRODUCT.md §7): named groups of chargers with their own
 * per-phase limits, nested under the site. The tree stays free of cycles
 * inside the writing transaction; a circuit is removed only when nothing
 * hangs from it.
 */
export function createCircuitsRepository(db: Db) {
  async function chargerIdsOf(tx: Db | Tx, ids: number[] | 'all'): Promise<Map<number, string[]>> {
    const where = ids === 'all' ? isNotNull(chargers.circuitId) : inArray(chargers.circuitId, ids);
    const rows =
      ids !== 'all' && ids.length === 0
        ? []
        : await tx
            .select({ id: chargers.id, circuitId: chargers.circuitId })
            .from(chargers)
            .where(where)
            .orderBy(asc(chargers.id));
    const out = new Map<number, string[]>();
    for (const r of rows) out.set(r.circuitId!, [...(out.get(r.circuitId!) ?? []), r.id]);
    return out;
  }
  async function getIn(tx: Db | Tx, id: number): Promise<CircuitView | undefined> {
    const row = (await tx.select().from(circuits).where(eq(circuits.id, id)))[0];
    return row && view(row, (await chargerIdsOf(tx, [id])).get(id) ?? []);
  }

  return {
    async list(): Promise<CircuitView[]> {
      const [rows, members] = await Promise.all([
        db.select().from(circuits).orderBy(asc(circuits.id)),
        chargerIdsOf(db, 'all'),
      ]);
      return rows.map((r) => view(r, members.get(r.id) ?? []));
    },
    async get(id: number): Promise<CircuitView | undefined> {
      return getIn(db, id);
    },
    async create(input: CircuitInput, at: Date): Promise<CircuitView> {
      try {
        return await db.transaction(async (tx) => {
          const parentId = input.parentId ?? null;
          // A new circuit has nothing under it, so no cycle; the lock keeps the parent from going meanwhile.
          if (parentId !== null) checkParent(await lockTree(tx), null, parentId);
          const rows = await tx
            .insert(circuits)
            .values({
              name: input.name,
              parentId,
              limitA: input.limits.A,
              limitB: input.limits.B,
              limitC: input.limits.C,
              createdAt: at,
              updatedAt: at,
            })
            .onConflictDoNothing({ target: circuits.name })
            .returning();
          if (!rows[0])
            throw new CircuitRefusal('name-taken', `Another circuit is named ${JSON.stringify(input.name)}`);
          return view(rows[0], []);
        });
      } catch (err) {
        throw asRefusal(err, input.name);
      }
    },
    /** Applies a patch; answers the circuit before and after. */
    async update(id: number, patch: CircuitPatch, at: Date): Promise<{ before: CircuitView; after: CircuitView }> {
      try {
        return await db.transaction(async (tx) => {
          const moves = patch.parentId !== undefined;
          // Only a move under another circuit can close a loop; it judges the whole locked tree.
          const tree = typeof patch.parentId === 'number' ? await lockTree(tx) : undefined;
          const current = (await tx.select().from(circuits).where(eq(circuits.id, id)).for('no key update'))[0];
          if (!current) throw new CircuitRefusal('not-found', `No circuit ${id}`);
          if (tree && typeof patch.parentId === 'number') checkParent(tree, id, patch.parentId);
          const rows = await tx
            .update(circuits)
            .set({
              ...(patch.name !== undefined ? { name: patch.name } : {}),
              ...(moves ? { parentId: patch.parentId } : {}),
              ...(patch.limits?.A !== undefined ? { limitA: patch.limits.A } : {}),
              ...(patch.limits?.B !== undefined ? { limitB: patch.limits.B } : {}),
              ...(patch.limits?.C !== undefined ? { limitC: patch.limits.C } : {}),
              updatedAt: at,
            })
            .where(eq(circuits.id, id))
            .returning();
          const members = (await chargerIdsOf(tx, [id])).get(id) ?? [];
          return { before: view(current, members), after: view(rows[0]!, members) };
        });
      } catch (err) {
        throw asRefusal(err, patch.name);
      }
    },
    /**
     * Removes a circuit nothing hangs from; answers what it was. The row lock
     * (FOR UPDATE) waits out a charger or circuit joining it meanwhile (their
     * foreign-key checks hold KEY SHARE on it), so the count below is final.
     */
    async remove(id: number): Promise<CircuitView> {
      try {
        return await db.transaction(async (tx) => {
          const current = (await tx.select().from(circuits).where(eq(circuits.id, id)).for('update'))[0];
          if (!current) throw new CircuitRefusal('not-found', `No circuit ${id}`);
          const chargerIds = (await chargerIdsOf(tx, [id])).get(id) ?? [];
          const circuitIds = (
            await tx
              .select({ id: circuits.id })
              .from(circuits)
              .where(eq(circuits.parentId, id))
              .orderBy(asc(circuits.id))
          ).map((r) => r.id);
          if (chargerIds.length || circuitIds.length) {
            throw new CircuitRefusal(
              'in-use',
              `Circuit ${id} still has ${chargerIds.length} charger(s) and ${circuitIds.length} circuit(s) under it`,
              { chargerIds, circuitIds },
            );
          }
          await tx.delete(circuits).where(eq(circuits.id, id));
          return view(current, []);
        });
      } catch (err) {
        const e = driverError(err);
        // The foreign keys restrict too (a writer that slipped past the count): the same refusal.
        if (e?.code === '23503')
          throw new CircuitRefusal('in-use', `Circuit ${id} still has chargers or circuits under it`, {
            chargerIds: [],
            circuitIds: [],
          });
        throw err;
      }
    },
  };
}
export type CircuitsRepository = ReturnType<typeof createCircuitsRepository>;
