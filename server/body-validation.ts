import { AjvCompiler, type ValidatorFactory } from '@fastify/ajv-compiler';
import type { Options as AjvOptions } from 'ajv';

/**
 * Fastify's Ajv coerces types in every part of a request (`coerceTypes: 'array'`). For
 * the query string, the path and the headers that is right: they are text on the wire.
 * For a JSON body it turns a wrong value into a different right one: `false` was saved as
 * the description "false", `"16"` as 16 A, and `""` for a nullable circuit id as null,
 * taking the charger off its circuit with a 200. A JSON body is therefore validated as
 * sent, so a value of the wrong type is a 400 naming its field (docs/PRODUCT.md, bad input).
 * The seed's settings form (api/settings/routes.ts) brings its own validation and parses
 * its text fields there.
 */
export const buildValidator: ValidatorFactory = (externalSchemas, options) => {
  const coercing = AjvCompiler()(externalSchemas, options);
  const ajv = (options ?? {}) as { customOptions?: AjvOptions };
  const asSent = AjvCompiler()(externalSchemas, {
    ...ajv,
    customOptions: { ...ajv.customOptions, coerceTypes: false },
  });
  return (route) => (route.httpPart === 'body' ? asSent(route) : coercing(route));
};
