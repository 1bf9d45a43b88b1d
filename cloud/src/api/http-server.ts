import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Logger } from '@fleetline/platform';
import Fastify, { LogController } from 'fastify';
import { type HttpLimits, serverTimeouts } from './connection-limits.js';
import { TIME_FORMAT, TIME_FORMAT_MESSAGE } from './time.js';
import { validatorCompiler } from './validators.js';

/**
 * The API's fastify instance, before any hook or route: its timeouts and body limit, request
 * logging off (the API logs what fails, not every request), schemas validated by ajv with the
 * API's own time format and no conversion of body types (validators.ts), and validation errors worded as `querystring/from must
 * be …` with that format's message.
 */
export function createHttpServer(
  limits: HttpLimits & { maxBodyBytes: number; trustProxy: boolean },
  logger: Logger,
) {
  const app = Fastify({
    trustProxy: limits.trustProxy,
    ...serverTimeouts(limits),
    loggerInstance: logger.child({ component: 'api' }),
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: limits.maxBodyBytes,
    schemaErrorFormatter: (errors, dataVar) =>
      new Error(
        errors
          .map((e) => {
            const at = `${dataVar}${e.instancePath}`;
            return e.keyword === 'format' && e.params.format === TIME_FORMAT
              ? `${at} ${TIME_FORMAT_MESSAGE}`
              : `${at} ${e.message}`;
          })
          .join(', '),
      ),
  }).withTypeProvider<TypeBoxTypeProvider>();
  app.setValidatorCompiler(validatorCompiler());
  return app;
}

/** The API's fastify instance, as the parts that install hooks on it take it. */
export type HttpServer = ReturnType<typeof createHttpServer>;
