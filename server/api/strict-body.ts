import type { FastifyRequest } from 'fastify';
import type { TObject } from '@sinclair/typebox';
import { validationError } from '../errors.ts';

/**
 * A route's `preValidation` hook that makes `additionalProperties: false`
 * refuse unknown fields with a 400 naming them. Fastify's Ajv is set to
 * remove additional properties silently, which would let a misspelt field
 * pass unnoticed. A body-less POST counts as `{}` when every field is optional.
 */
export function strictBody(schema: TObject) {
  const known = new Set(Object.keys(schema.properties));
  return async (req: FastifyRequest): Promise<void> => {
    if (req.body === undefined || req.body === null) {
      if (!schema.required?.length) req.body = {};
      return;
    }
    if (typeof req.body !== 'object' || Array.isArray(req.body)) return; // the schema says what is wrong
    const unknown = Object.keys(req.body).filter((k) => !known.has(k));
    if (unknown.length) throw validationError(Object.fromEntries(unknown.map((k) => [k, 'is not an accepted field'])));
  };
}
