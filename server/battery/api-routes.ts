import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { validationError } from '../errors.ts';
import { parseImport } from './import-parse.ts';
import type { BatteryService } from './service.ts';

const Paging = {
  page: Type.Integer({ minimum: 1, default: 1 }),
  pageSize: Type.Integer({ minimum: 1, maximum: 500, default: 50 }),
};
const Search = Type.String({ maxLength: 40 });
const VehiclesQuery = Type.Object({ q: Type.Optional(Search), ...Paging }, { additionalProperties: false });
const PacksQuery = Type.Object(
  { q: Type.Optional(Search), vin: Type.Optional(Type.String({ maxLength: 17 })), ...Paging },
  { additionalProperties: false },
);
const HistoryQuery = Type.Object(
  {
    vin: Type.Optional(Type.String({ maxLength: 17 })),
    batteryNo: Type.Optional(Type.String({ maxLength: 32 })),
    ...Paging,
  },
  { additionalProperties: false },
);
const ImportQuery = Type.Object(
  {
    dryRun: Type.Optional(
      Type.Union([Type.Literal('0'), Type.Literal('1')], { description: '1: check and report, write nothing' }),
    ),
    skipRefused: Type.Optional(
      Type.Union([Type.Literal('0'), Type.Literal('1')], {
        description: '1: import the good vehicles even if some are refused',
      }),
    ),
  },
  { additionalProperties: false },
);
const Refusal = Type.Object({ ref: Type.String(), vinCode: Type.String(), reason: Type.String() });
const ImportReport = Type.Object({
  dryRun: Type.Boolean(),
  committed: Type.Boolean(),
  vehicles: Type.Integer(),
  packs: Type.Integer(),
  refused: Type.Array(Refusal),
});

/** Up to 20,000 vehicles × 12 packs as CSV or JSON. */
const IMPORT_LIMIT = 32 * 1024 * 1024;

/** The dashboard's Batteries page and the bulk import (docs/PRODUCT.md §6): plain REST JSON, not the seed envelope. */
export default async function batteryApiRoutes(app: FastifyInstance, opts: { service: BatteryService }) {
  app.addContentTypeParser('text/csv', { parseAs: 'string', bodyLimit: IMPORT_LIMIT }, (_req, body, done) =>
    done(null, body),
  );
  const svc = opts.service;
  const repo = app.repos.batteries;
  const tags = ['battery registry'];

  app.get<{ Querystring: Static<typeof VehiclesQuery> }>(
    '/api/batteries/vehicles',
    {
      config: { role: 'viewer' },
      schema: { tags, summary: 'Vehicles, by VIN or group number prefix', querystring: VehiclesQuery },
    },
    async (req) => repo.listVehicles(req.query),
  );
  app.get<{ Querystring: Static<typeof PacksQuery> }>(
    '/api/batteries/packs',
    {
      config: { role: 'viewer' },
      schema: {
        tags,
        summary: 'Battery packs, by battery or BMS number prefix, or of one vehicle',
        querystring: PacksQuery,
      },
    },
    async (req) => repo.listPacks({ ...req.query, vin: req.query.vin?.toUpperCase() }),
  );
  app.get<{ Querystring: Static<typeof HistoryQuery> }>(
    '/api/batteries/history',
    {
      config: { role: 'viewer' },
      schema: {
        tags,
        summary: 'Changes to one vehicle or pack (who, when, before, after), newest first',
        querystring: HistoryQuery,
      },
    },
    async (req) => {
      const { vin, batteryNo } = req.query;
      if (!vin === !batteryNo) throw validationError({ vin: 'give exactly one of vin or batteryNo' });
      return repo.history({ ...req.query, vin: vin?.toUpperCase() });
    },
  );
  app.post<{ Querystring: Static<typeof ImportQuery> }>(
    '/api/batteries/import',
    {
      config: { role: 'operator' },
      bodyLimit: IMPORT_LIMIT,
      schema: {
        tags,
        summary: 'Import a registry (JSON array of seed §1 vehicles, or CSV); all or nothing unless skipRefused=1',
        querystring: ImportQuery,
        response: { 200: ImportReport, 422: ImportReport },
      },
    },
    async (req, reply) => {
      const parsed = parseImport(req.body, req.headers['content-type'] ?? '');
      const dryRun = req.query.dryRun === '1';
      const skipRefused = req.query.skipRefused === '1';
      const anyRefused = parsed.refused.length > 0;
      const report = await svc.importVehicles(req, parsed.vehicles, {
        dryRun: dryRun || (anyRefused && !skipRefused),
        skipRefused,
      });
      report.dryRun = dryRun;
      report.refused = [...parsed.refused, ...report.refused];
      // All or nothing (the default): a refused vehicle means nothing was written, and the answer says so.
      return reply.status(report.refused.length && !report.committed && !dryRun ? 422 : 200).send(report);
    },
  );
}
