import type { FastifyInstance } from 'fastify';
import type { Answer } from './cached-answer.ts';
import { ChargerIdListSchema, DeviceListSchema, MaxCurrentSchema } from './schemas.ts';

/** Charger ids, phase maxima and the devices table (seed 2.12 – 2.14). */
export default async function deviceRoutes(app: FastifyInstance, { answer }: { answer: Answer }) {
  const viewer = { role: 'viewer' as const };

  app.get(
    '/api/charger/id/list/',
    {
      config: viewer,
      schema: { tags: ['seed'], summary: 'Charger ids (seed 2.12)', response: { 200: ChargerIdListSchema } },
    },
    (req, reply) =>
      answer(req, reply, ['registry'], async () => ({ chargers: await app.repos.seedQueries.chargerIds() })),
  );

  app.get(
    '/api/max/current/list/',
    {
      config: viewer,
      schema: {
        tags: ['seed'],
        summary: 'Per-phase current limits from the settings (seed 2.13)',
        response: { 200: MaxCurrentSchema },
      },
    },
    async () => {
      const s = await app.repos.settings.get();
      return {
        int_max_current_a: s.intmaxcurrenta,
        int_max_current_b: s.intmaxcurrentb,
        int_max_current_c: s.intmaxcurrentc,
      };
    },
  );

  app.get(
    '/api/charger/list/',
    {
      config: viewer,
      schema: { tags: ['seed'], summary: 'Devices table (seed 2.14)', response: { 200: DeviceListSchema } },
    },
    (req, reply) =>
      answer(req, reply, ['registry', 'states'], async () => ({
        data: (await app.repos.seedQueries.statesById()).map((r) => ({
          vch_charger_id: r.id,
          vch_firmware_ver: r.firmwareVersion ?? '',
          vch_model_id: r.model ?? '',
          // The seed shows null for a charger that never reported a state.
          vch_state: r.state,
        })),
      })),
  );
}
