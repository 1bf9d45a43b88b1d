import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import type { FastifySchema, FastifySchemaCompiler } from 'fastify';
import { TIME_FORMAT, timeFormat } from './time.js';

/**
 * How the API validates its input: query strings and path parameters are text, so their
 * numbers and booleans are read from it (`?limit=5`); a JSON body carries its own types, so
 * nothing in it is converted — `"odometerKm": null` or `true` is refused, never taken as 0
 * or 1. Both know the standard formats and the API's own time format (time.ts), which
 * replaces "date-time".
 */
export function validatorCompiler(): FastifySchemaCompiler<FastifySchema> {
  const make = (coerceTypes: boolean) => {
    const ajv = new Ajv({
      coerceTypes,
      removeAdditional: false,
      useDefaults: true,
      allErrors: false,
      addUsedSchema: false,
      strict: false,
    });
    addFormats.default(ajv);
    ajv.addFormat(TIME_FORMAT, timeFormat);
    return ajv;
  };
  const text = make(true);
  const json = make(false);
  return ({ schema, httpPart }) => (httpPart === 'body' ? json : text).compile(schema);
}
