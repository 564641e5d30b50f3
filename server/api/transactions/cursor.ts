import type { Keyset, SortOrder } from '../../../db/repositories/transaction-list.ts';
import { AppError } from '../../errors.ts';

/** What each sort's key looks like as PostgreSQL prints it: a timestamptz, a numeric of seconds, a bigint of Wh. */
const KEY_SHAPES: Record<SortOrder['by'], RegExp> = {
  start: /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d{1,6})?[+-]\d{2}(:\d{2}){0,2}$/,
  duration: /^-?\d{1,15}(\.\d{1,20})?$/,
  energy: /^-?\d{1,19}$/,
};

/**
 * The `next` / `after` cursor of the sessions list: the sort, its direction
 * and the last row's (key, id), base64url JSON. It carries its sort so a
 * cursor from one order cannot silently page another.
 */
export function encodeCursor(order: SortOrder, k: Keyset): string {
  return Buffer.from(JSON.stringify([order.by, order.dir, k.key, k.id])).toString('base64url');
}

function refuse(why: string): never {
  throw new AppError('VALIDATION_FAILED', `after ${why}`, { after: why });
}

export function decodeCursor(cursor: string, order: SortOrder): Keyset {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    refuse('is not a cursor this list answered (use the previous page\'s "next")');
  }
  if (!Array.isArray(parsed) || parsed.length !== 4) refuse('is not a cursor this list answered');
  const [by, dir, key, id] = parsed as unknown[];
  if (by !== order.by || dir !== order.dir) refuse(`was made for sort=${String(by)}&order=${String(dir)}`);
  if (typeof key !== 'string' || !KEY_SHAPES[order.by].test(key)) refuse('holds no valid sort key');
  if (typeof id !== 'number' || !Number.isInteger(id) || id < 1 || id > 2_147_483_647) refuse('holds no valid id');
  return { key, id };
}
