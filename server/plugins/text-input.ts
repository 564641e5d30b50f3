import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { AppError } from '../errors.ts';
import { textProblems } from '../text/storable-text.ts';

/**
 * Refuses, once per request and before any route's validation or handler,
 * text that no column can store: a NUL character (U+0000) or an unpaired
 * surrogate in a path parameter, query parameter or body field (JSON, form,
 * or a CSV body as a whole). Without it such a value reached PostgreSQL,
 * which refused it (SQLSTATE 22021 / 22P05), and the client got a 500.
 * The answer is a 400 VALIDATION_FAILED naming each field; under
 * /batteryInfo the battery envelope turns it into its code 1001.
 *
 * Headers need no check: Node's HTTP parser rejects a NUL in a header with
 * a 400 before any route runs.
 */
async function textInputPlugin(app: FastifyInstance) {
  app.addHook('preValidation', async (req) => {
    const fields: Record<string, string> = {};
    textProblems(req.params, '', fields);
    textProblems(req.query, '', fields);
    textProblems(req.body, typeof req.body === 'string' ? 'body' : '', fields);
    const entries = Object.entries(fields);
    if (!entries.length) return;
    throw new AppError('VALIDATION_FAILED', entries.map(([f, p]) => `${f} ${p}`).join('; '), fields);
  });
}

export default fp(textInputPlugin, { name: 'text-input' });
