import { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import type { Static } from '@sinclair/typebox';
import type { SortOrder, TransactionFilter } from '../../../db/repositories/transaction-list.ts';
import { AppError } from '../../errors.ts';
import { eventDrivenCache } from '../seed/cached-answer.ts';
import { localDayRange, requireCharger } from '../seed/params.ts';
import { createLocalFormatter } from '../../time/local-format.ts';
import closeTransactionRoute from './close.ts';
import { decodeCursor, encodeCursor } from './cursor.ts';
import { CSV_HEADER, csvLine, presentTransactionItem } from './present.ts';
import { TransactionPage, TransactionQuery } from './schemas.ts';

/** Rows per database round trip of the CSV export: memory stays at one chunk whatever the range. */
export const CSV_CHUNK = 5000;

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/;

function bound(value: string | undefined, field: 'from' | 'to', tz: string): Date | undefined {
  if (value === undefined || value === '') return undefined;
  if (DAY.test(value)) {
    const t = new Date(`${value}T00:00:00Z`);
    if (!Number.isNaN(t.getTime()) && t.toISOString().startsWith(value)) {
      const range = localDayRange(value, tz);
      return field === 'from' ? range.from : range.to;
    }
  } else if (INSTANT.test(value) && !Number.isNaN(Date.parse(value))) {
    return new Date(value);
  }
  throw new AppError('VALIDATION_FAILED', `${field} must be a date YYYY-MM-DD or an ISO 8601 instant`, {
    [field]: `must be a date YYYY-MM-DD or an ISO 8601 instant with offset (got "${value}")`,
  });
}

/** docs/PRODUCT.md §8: GET /api/transactions, paged JSON or a streamed CSV download; and an operator's close. */
export default async function transactionRoutes(app: FastifyInstance) {
  await closeTransactionRoute(app);
  const tz = app.config.siteTz;
  const local = createLocalFormatter(tz);
  // Counting a million sessions takes ~100 ms; paging through them should not pay it per page.
  // The totals change only when a session starts or stops (or a charger goes), which the events announce.
  const counts = eventDrivenCache(app);
  const totals = async (f: TransactionFilter) =>
    JSON.parse(
      await counts.get(
        JSON.stringify([f.from, f.to, f.chargerId, f.idTag?.toLowerCase(), f.state, f.stopReason]),
        ['sessions', 'registry'],
        async () => JSON.stringify(await app.repos.transactionList.totals(f)),
      ),
    ) as { count: number; energyWh: number };

  app.get<{ Querystring: Static<typeof TransactionQuery> }>(
    '/api/transactions',
    {
      config: { role: 'viewer' },
      schema: {
        tags: ['transactions'],
        summary:
          'Charging sessions, filtered and sorted, paged by keyset (site-local times, kWh) with totals; &format=csv streams every filtered row',
        querystring: TransactionQuery,
        response: { 200: TransactionPage },
      },
    },
    async (req, reply) => {
      const q = req.query;
      const filter: TransactionFilter = {
        from: bound(q.from, 'from', tz),
        to: bound(q.to, 'to', tz),
        chargerId: await requireCharger(app, q.charger_id),
        idTag: q.id_tag,
        state: q.state,
        stopReason: q.stop_reason,
      };
      if (filter.from && filter.to && filter.from >= filter.to) {
        throw new AppError('VALIDATION_FAILED', 'from must be before to', { to: 'must be after from' });
      }
      const order: SortOrder = { by: q.sort, dir: q.order };
      if (q.after !== undefined && q.page !== 1) {
        throw new AppError('VALIDATION_FAILED', 'after pages by keyset; page cannot go with it', {
          after: 'cannot be combined with page (keyset paging follows "next")',
        });
      }
      const from = q.after === undefined ? undefined : decodeCursor(q.after, order);
      if (q.format === 'csv') {
        const rows = app.repos.transactionList.chunks(filter, CSV_CHUNK, order);
        const body = Readable.from(
          (async function* () {
            yield CSV_HEADER;
            for await (const chunk of rows) yield chunk.map((t) => csvLine(t, local)).join('');
          })(),
          { objectMode: false },
        );
        return reply
          .header('content-type', 'text/csv; charset=utf-8')
          .header('content-disposition', 'attachment; filename="transactions.csv"')
          .send(body);
      }
      // A page by offset (the original parameter) still answers the keyset of its last row, so a client may go on by keyset.
      const [sum, page] = await Promise.all([
        totals(filter),
        from || q.page === 1
          ? app.repos.transactionList.keysetPage(filter, order, from, q.pageSize)
          : app.repos.transactionList.offsetPage(filter, (q.page - 1) * q.pageSize, q.pageSize, order),
      ]);
      const signed = await app.repos.transactions.signedCounts(page.rows.map((t) => t.id));
      return {
        page: q.page,
        pageSize: q.pageSize,
        total: sum.count,
        totalKWh: sum.energyWh / 1000,
        next: page.last && page.rows.length === q.pageSize ? encodeCursor(order, page.last) : null,
        items: page.rows.map((t) => presentTransactionItem(t, local, signed.get(t.id) ?? 0)),
      };
    },
  );
}
