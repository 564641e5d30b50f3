import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { AppError } from '../errors.ts';
import { installEnvelopeBoundary, ok } from './envelope.ts';
import { packBody, pathCode, pathVin, vehicleBody } from './input.ts';
import { ErrorEnvelope, PackBodyDoc, PackDataSchema, VehicleBodyDoc, VehicleDataSchema, envelope } from './schemas.ts';
import type { BatteryService } from './service.ts';

/** The seed's battery bodies are small; 64 KiB holds a 64-pack vehicle many times over. */
const BODY_LIMIT = 64 * 1024;
const errors = { 400: ErrorEnvelope, 401: ErrorEnvelope, 403: ErrorEnvelope, 404: ErrorEnvelope, 409: ErrorEnvelope };
// Handlers check params and bodies themselves (input.ts); the schemas serialise and document.
const noValidation = () => () => true;

/**
 * The swap stations' cache API (seed 000, docs/PRODUCT.md §4), registered encapsulated
 * under /batteryInfo so its error boundary and JSON-only body parser stay here.
 */
export default async function batteryInfoRoutes(app: FastifyInstance, opts: { service: BatteryService }) {
  installEnvelopeBoundary(app);
  // JSON only: the global form parser would let a form body through as strings.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/json', { parseAs: 'string', bodyLimit: BODY_LIMIT }, (_req, body, done) => {
    if (body === '') return done(null, undefined);
    try {
      done(null, JSON.parse(body as string));
    } catch {
      done(new AppError('BAD_REQUEST', 'The body is not valid JSON'), undefined);
    }
  });
  const svc = opts.service;
  const read = { config: { role: 'viewer' as const }, validatorCompiler: noValidation };
  const write = { config: { role: 'operator' as const }, validatorCompiler: noValidation, bodyLimit: BODY_LIMIT };
  const tags = ['battery (seed 000)'];
  const VinParams = Type.Object({ vin: Type.String() });
  const BmsParams = Type.Object({ bmsNo: Type.String() });
  const NoParams = Type.Object({ batteryNo: Type.String() });
  const done = envelope(Type.Null());

  app.get<{ Params: { vin: string } }>(
    '/getBatteryInfoEsbpByVin/:vin',
    {
      ...read,
      schema: {
        tags,
        summary: 'Seed 000 §1: a vehicle and its packs by VIN',
        params: VinParams,
        response: { 200: envelope(VehicleDataSchema), ...errors },
      },
    },
    async (req) => ok(await svc.byVin(pathVin(req.params.vin))),
  );
  app.post<{ Params: { vin: string } }>(
    '/updateBatteryInfoByVinCode/:vin',
    {
      ...write,
      schema: {
        tags,
        summary: "Seed 000 §2: set a vehicle's whole pack set (creates the vehicle)",
        params: VinParams,
        body: VehicleBodyDoc,
        response: { 200: done, ...errors },
      },
    },
    async (req) => {
      const vin = pathVin(req.params.vin);
      await svc.replaceVehicle(req, vin, vehicleBody(req.body, vin));
      return ok();
    },
  );
  app.get<{ Params: { bmsNo: string } }>(
    '/getBatteryInfoEsbpBmsNo/:bmsNo',
    {
      ...read,
      schema: {
        tags,
        summary: 'Seed 000 §3: a pack by BMS number',
        params: BmsParams,
        response: { 200: envelope(PackDataSchema), ...errors },
      },
    },
    async (req) => ok(await svc.byBmsNo(pathCode(req.params.bmsNo, 'bmsNo'))),
  );
  app.post<{ Params: { bmsNo: string } }>(
    '/updateBatteryInfoByBmsNo/:bmsNo',
    {
      ...write,
      schema: {
        tags,
        summary: 'Seed 000 §4: create or change a pack by BMS number (vinCode moves it)',
        params: BmsParams,
        body: PackBodyDoc,
        response: { 200: done, ...errors },
      },
    },
    async (req) => {
      const bmsNo = pathCode(req.params.bmsNo, 'bmsNo');
      await svc.patchByBmsNo(req, bmsNo, packBody(req.body, 'bmsNo', bmsNo));
      return ok();
    },
  );
  app.get<{ Params: { batteryNo: string } }>(
    '/getBatteryInfoEsbpByBatteryNo/:batteryNo',
    {
      ...read,
      schema: {
        tags,
        summary: 'Seed 000 §5: a pack by battery number',
        params: NoParams,
        response: { 200: envelope(PackDataSchema), ...errors },
      },
    },
    async (req) => ok(await svc.byBatteryNo(pathCode(req.params.batteryNo, 'batteryNo'))),
  );
  app.post<{ Params: { batteryNo: string } }>(
    '/updateBatteryInfoBybatteryNo/:batteryNo',
    {
      ...write,
      schema: {
        tags,
        summary: 'Seed 000 §6: create or change a pack by battery number (vinCode moves it)',
        params: NoParams,
        body: PackBodyDoc,
        response: { 200: done, ...errors },
      },
    },
    async (req) => {
      const batteryNo = pathCode(req.params.batteryNo, 'batteryNo');
      await svc.patchByBatteryNo(req, batteryNo, packBody(req.body, 'batteryNo', batteryNo));
      return ok();
    },
  );
}
