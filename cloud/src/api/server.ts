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
import { BadInputError } from '../errors.js';
import type { LiveFeed } from '../live/live-feed.js';
import { alertRoutes } from './alert-routes.js';
import {
  defaultHttpLimits,
  type HttpLimits,
  limitConnections,
  serverTimeouts,
} from './connection-limits.js';
import { liveRoutes } from './live-routes.js';
import { ErrorBody } from './schemas.js';
import { serviceRoutes } from './service-routes.js';
import { TIME_FORMAT, TIME_FORMAT_MESSAGE, timeFormat } from './time.js';
import { vehicleRoutes } from './vehicle-routes.js';
import { findBadQueryParameter, findLaxInteger, findLoneSurrogate } from './well-formed.js';

/**
 * The HTTP API. Every input is validated against a JSON schema; every error, 404 included,
 * answers JSON `{ statusCode, error, message }`, and a store outage answers 503. Bad input
 * answers 4xx naming what is wrong and where: times the wire cannot carry (time.ts), text that
 * is not well-formed Unicode (well-formed.ts), bodies over the limit. A 500 says only
 * "internal error": what failed inside is logged, never sent. A store too busy for another
 * expensive read answers 503 with Retry-After.
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
  /** What one client may hold and send (defaults: ApiLimits below). */
  limits?: Partial<ApiLimits>;
}

/** The API's bounds: connections and timeouts (connection-limits.ts), bodies, live streams. */
export interface ApiLimits extends HttpLimits {
  /** Largest request body accepted; a larger one answers 413. */
  maxBodyBytes: number;
  /** Open live streams at most; more answer 503. */
  maxStreams: number;
  /** Open live streams from one IP address at most; more answer 429. */
  maxStreamsPerAddress: number;
  /** Widest from–to range of samples, events and alerts, in days; wider answers 400. */
  maxRangeDays: number;
}

export const defaultApiLimits: ApiLimits = {
  ...defaultHttpLimits,
  maxBodyBytes: 65_536,
  maxStreams: 1000,
  maxStreamsPerAddress: 20,
  maxRangeDays: 366,
};

/** One route the API serves, with the names of its query parameters and body fields. */
export interface RouteInfo {
  readonly method: string;
  readonly url: string;
  readonly querystring?: readonly string[];
  readonly body?: readonly string[];
}

const routeLists = new WeakMap<object, RouteInfo[]>();

/** Every route `app` serves (HEAD left out), for tests that walk them all. */
export function routesOf(app: Api): readonly RouteInfo[] {
  return routeLists.get(app) ?? [];
}

const propertyNames = (schema: unknown): string[] | undefined => {
  const properties = (schema as { properties?: Record<string, unknown> } | undefined)?.properties;
  return properties ? Object.keys(properties) : undefined;
};

const Vehicle = Type.Object({
  id: Type.String(),
  lastSeen: Type.String({ format: 'date-time' }),
});

export type Api = ReturnType<typeof buildApi>;

export function buildApi(o: ApiOptions) {
  const limits: ApiLimits = { ...defaultApiLimits, ...o.limits };
  const app = Fastify({
    ...serverTimeouts(limits),
    loggerInstance: o.logger.child({ component: 'api' }),
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: limits.maxBodyBytes,
    ajv: {
      customOptions: { removeAdditional: false, coerceTypes: true, allErrors: false },
      // After the standard formats are added: ours replaces "date-time" (see time.ts).
      onCreate: (ajv) => ajv.addFormat(TIME_FORMAT, timeFormat),
    },
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
  limitConnections(app.server, limits, o.metrics);
  const routes: RouteInfo[] = [];
  routeLists.set(app, routes);
  app.addHook('onRoute', (r) => {
    for (const method of [r.method].flat()) {
      if (method === 'HEAD') continue;
      const querystring = propertyNames(r.schema?.querystring);
      const body = propertyNames(r.schema?.body);
      routes.push({
        method,
        url: r.url,
        ...(querystring ? { querystring } : {}),
        ...(body ? { body } : {}),
      });
    }
  });

  // Text must be well-formed: bodies are read as UTF-8 strictly, then checked for lone
  // surrogates that JSON escapes can carry; queries for bytes that are not UTF-8.
  const utf8 = new TextDecoder('utf-8', { fatal: true });
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (request, body, done) => {
    let text: string;
    try {
      text = utf8.decode(body as Buffer);
    } catch {
      return done(new BadInputError('body is not valid UTF-8'), undefined);
    }
    parseJson(request, text, (err, value) => {
      if (err) return done(err, undefined);
      const at = findLoneSurrogate(value, 'body');
      if (at) {
        return done(
          new BadInputError(
            `${at} contains a lone UTF-16 surrogate; send well-formed Unicode text`,
          ),
          undefined,
        );
      }
      done(null, value);
    });
  });
  // ajv coerces query strings to numbers as JavaScript does ("1e309" → Infinity, "0x10" →
  // 16, " 5" → 5), and Infinity passes a `maximum`: integers in queries are plain decimals.
  app.addHook('preValidation', async (request) => {
    const problem = findLaxInteger(request.query, request.routeOptions.schema?.querystring);
    if (problem) throw new BadInputError(problem);
  });
  app.addHook('onRequest', async (request) => {
    const q = request.url.indexOf('?');
    if (q < 0) return;
    const at = findBadQueryParameter(request.url.slice(q + 1));
    if (at) {
      throw new BadInputError(
        `${at} is not valid percent-encoded UTF-8 (a lone UTF-16 surrogate, or bytes that are not text)`,
      );
    }
  });

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
    if (status === 500) {
      // What failed inside (a driver's code, a constraint, a stack) is for the log only.
      request.log.error({ err }, 'request failed');
      return reply.code(500).send({
        statusCode: 500,
        error: 'Internal Server Error',
        message: 'internal error',
      });
    }
    return reply.code(status).send({
      statusCode: status,
      error: httpError(status),
      message: err.message,
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

  void app.register(alertRoutes(o.store, limits));
  void app.register(vehicleRoutes(o.store, limits));
  void app.register(
    serviceRoutes({ store: o.store, publishServiceUpdate: o.publishServiceUpdate }),
  );
  if (o.live) {
    void app.register(
      liveRoutes(o.live, {
        guard: o.live.guard,
        metrics: o.metrics,
        maxStreams: limits.maxStreams,
        maxStreamsPerAddress: limits.maxStreamsPerAddress,
      }),
    );
  }

  return app;
}

function httpError(status: number): string {
  return (
    {
      400: 'Bad Request',
      404: 'Not Found',
      405: 'Method Not Allowed',
      408: 'Request Timeout',
      413: 'Payload Too Large',
      415: 'Unsupported Media Type',
      429: 'Too Many Requests',
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
