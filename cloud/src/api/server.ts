import { Type, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import {
  Counter,
  type Logger,
  PortInUseError,
  type Registry,
  type Store,
  StoreBusyError,
  StoreClosedError,
  StoreUnavailableError,
} from '@fleetline/platform';
import { catalogue, type ServiceUpdate } from '@fleetline/proto';
import Fastify, { type FastifyError, LogController } from 'fastify';
import type { LiveFeed } from '../live/live-feed.js';
import { alertRoutes } from './alert-routes.js';
import { liveRoutes } from './live-routes.js';
import { ErrorBody } from './schemas.js';
import { serviceRoutes } from './service-routes.js';
import { vehicleRoutes } from './vehicle-routes.js';

/**
 * The HTTP API. Every input is validated against a JSON schema; every error, 404 included,
 * answers JSON `{ statusCode, error, message }`, and a store outage answers 503, never 500; a
 * store too busy for another expensive read answers 503 with Retry-After.
 */

export interface ApiOptions {
  store: Store;
  logger: Logger;
  metrics: Registry;
  /**
   * Passes service plans set and services recorded through the API on to the processor
   * (`service.v1`). Absent: they are still stored and answered, but no vehicle's maintenance
   * state learns of them.
   */
  publishServiceUpdate?: ((update: ServiceUpdate) => Promise<void>) | undefined;
  /** The live feed behind GET /api/live; without it the route is not served. */
  live?: LiveFeed;
}

const Vehicle = Type.Object({
  id: Type.String(),
  lastSeen: Type.String({ format: 'date-time' }),
});

export type Api = ReturnType<typeof buildApi>;

export function buildApi(o: ApiOptions) {
  const app = Fastify({
    loggerInstance: o.logger.child({ component: 'api' }),
    logController: new LogController({ disableRequestLogging: true }),
    ajv: { customOptions: { removeAdditional: false, coerceTypes: true, allErrors: false } },
  }).withTypeProvider<TypeBoxTypeProvider>();

  const storeBusy = new Counter({
    name: 'fleetline_api_store_busy_total',
    help: 'Requests answered 503 because the store had too many expensive reads waiting (STORE_BUSY), by route',
    labelNames: ['route'],
    registers: [o.metrics],
  });

  app.setErrorHandler((err: FastifyError, request, reply) => {
    if (err instanceof StoreBusyError) {
      // Too many expensive reads at once: this one was not started (RFC 9110 §10.2.3).
      // Counted, not logged: a flood of reads would otherwise be a flood of log lines.
      storeBusy.inc({ route: request.routeOptions.url ?? 'unknown' });
      return reply.code(503).header('retry-after', String(err.retryAfterSeconds)).send({
        statusCode: 503,
        error: 'Service Unavailable',
        message: err.message,
        code: err.code,
      });
    }
    if (err instanceof StoreUnavailableError || err instanceof StoreClosedError) {
      request.log.warn({ err: err.message }, 'store unavailable');
      return reply.code(503).send({
        statusCode: 503,
        error: 'Service Unavailable',
        message: err.message,
        code: err.code,
      });
    }
    const status =
      err.statusCode && err.statusCode >= 400 && err.statusCode < 500 ? err.statusCode : 500;
    if (status === 500) request.log.error({ err }, 'request failed');
    return reply.code(status).send({
      statusCode: status,
      error: status === 500 ? 'Internal Server Error' : httpError(status),
      message: status === 500 ? 'internal error' : err.message,
      ...(err.code ? { code: err.code } : {}),
    });
  });
  app.setNotFoundHandler((request, reply) =>
    reply.code(404).send({
      statusCode: 404,
      error: 'Not Found',
      message: `no route ${request.method} ${request.url.split('?')[0]}`,
    }),
  );

  app.get('/healthz', async () => ({ status: 'ok' }));

  app.get('/metrics', async (_request, reply) => {
    reply.header('content-type', o.metrics.contentType);
    return o.metrics.metrics();
  });

  app.get(
    '/api/signals',
    {
      schema: {
        response: {
          200: Type.Array(
            Type.Object({
              id: Type.Integer(),
              name: Type.String(),
              unit: Type.String(),
              description: Type.String(),
            }),
          ),
        },
      },
    },
    async () =>
      catalogue.map(({ id, name, unit, description }) => ({ id, name, unit, description })),
  );

  app.get(
    '/api/vehicles',
    { schema: { response: { 200: Type.Array(Vehicle), 503: ErrorBody } } },
    async () =>
      (await o.store.listVehicles()).map((v) => ({
        id: v.deviceId,
        lastSeen: new Date(v.lastSeenMs).toISOString(),
      })),
  );

  void app.register(alertRoutes(o.store));
  void app.register(vehicleRoutes(o.store));
  void app.register(
    serviceRoutes({ store: o.store, publishServiceUpdate: o.publishServiceUpdate }),
  );
  if (o.live) void app.register(liveRoutes(o.live));

  return app;
}

function httpError(status: number): string {
  return (
    {
      400: 'Bad Request',
      404: 'Not Found',
      405: 'Method Not Allowed',
      413: 'Payload Too Large',
      415: 'Unsupported Media Type',
    }[status] ?? 'Client Error'
  );
}

/** Listens, turning a taken port into a PortInUseError that names HTTP_PORT. */
export async function listenApi(app: Api, host: string, port: number): Promise<number> {
  try {
    await app.listen({ host, port });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EADDRINUSE')
      throw new PortInUseError('HTTP', host, port, 'HTTP_PORT');
    throw err;
  }
  const address = app.server.address();
  return typeof address === 'object' && address ? address.port : port;
}
