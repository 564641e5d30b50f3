import formbody from '@fastify/formbody';
import type { FastifyInstance } from 'fastify';
import { SETTINGS_KEYS, checkSettings } from '../../../contracts/settings.ts';
import { AppError, validationError } from '../../errors.ts';
import { actorName } from '../../plugins/auth.ts';
import { BasicSettingsSchema, SettingsUpdateSchema } from './schemas.ts';

/** Basic settings (seed 004 §2.4 GET, §2.5 POST). */
export default async function settingsRoutes(app: FastifyInstance) {
  // The seed's 2.5 page posts an HTML form, so form fields are parsed here and
  // only here (this plugin is encapsulated); plugins/csrf.ts checks the
  // page's Origin first, so a foreign page's form is refused like its fetch.
  await app.register(formbody);
  app.get(
    '/api/basic/settings/',
    {
      config: { role: 'viewer' },
      schema: { tags: ['seed'], summary: 'Basic settings (seed 2.4)', response: { 200: BasicSettingsSchema } },
    },
    async () => app.repos.settings.get(),
  );

  app.post(
    '/api/basic/settings/',
    {
      config: { role: 'admin' },
      schema: {
        tags: ['seed'],
        summary: 'Update basic settings (seed 2.5); JSON or form fields; all-or-nothing',
        body: SettingsUpdateSchema,
        response: { 200: BasicSettingsSchema },
      },
      // The body schema documents the fields; checkSettings validates them so
      // every bad field is named at once with the rule it breaks.
      validatorCompiler: () => () => true,
    },
    async (req) => {
      const body = req.body;
      if (body === null || typeof body !== 'object' || Array.isArray(body)) {
        throw new AppError('BAD_REQUEST', 'The body must be a JSON object or form fields');
      }
      if (Object.keys(body).length === 0)
        throw validationError({ body: `must contain at least one of ${SETTINGS_KEYS.join(', ')}` });
      const current = await app.repos.settings.get();
      const checked = checkSettings(body as Record<string, unknown>, current);
      if (!checked.ok) throw validationError(checked.errors as Record<string, string>, 'Invalid settings');
      const at = app.clock.now();
      const saved = await app.repos.settings.update(checked.value, actorName(req.principal), at);
      // After the commit, for JSON and form posts alike: the load controller re-plans on the
      // phase limits, the rotation and blncurrentdistribution (docs/PRODUCT.md §7).
      app.events.publish({ type: 'settings.changed', at: at.toISOString() });
      return saved;
    },
  );
}
