import {
  type Logger,
  PortInUseError,
  type RecordsDb,
  type Registry,
  type TelemetryDb,
} from '@fleetline/platform';
import type { ServiceUpdate } from '@fleetline/proto';
import type { LiveFeed } from '../live/live-feed.js';
import { alertRoutes } from './alert-routes.js';
import { defaultHttpLimits, type HttpLimits, limitConnections } from './connection-limits.js';
import { errorReplies } from './error-replies.js';
import { eventRoutes } from './event-routes.js';
import { createHttpServer } from './http-server.js';
import { liveRoutes } from './live-routes.js';
import { opsRoutes } from './ops-routes.js';
import { listRoutes } from './route-list.js';
import { sampleRoutes } from './sample-routes.js';
import { servicePlanRoutes } from './service-plan-routes.js';
import { serviceRoutes } from './service-routes.js';
import { signalRoutes } from './signal-routes.js';
import { strictInput } from './strict-input.js';
import { vehicleRoutes } from './vehicle-routes.js';

export { type RouteInfo, routesOf } from './route-list.js';

/**
 * The HTTP API. Every input is validated against a JSON schema; every error, 404 included,
 * answers JSON `{ statusCode, error, message }`, and a telemetry database outage answers 503. Bad
 * input answers 4xx naming what is wrong and where: times the wire cannot carry (time.ts), text
 * that is not well-formed Unicode (well-formed.ts), bodies over the limit. A 500 says only
 * "internal error": what failed inside is logged, never sent. A telemetry database too busy for
 * another expensive read answers 503 with Retry-After.
 */

export interface ApiOptions {
  telemetryDb: TelemetryDb;
  /** The business records: the alert book. */
  recordsDb: RecordsDb;
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

export type Api = ReturnType<typeof buildApi>;

export function buildApi(o: ApiOptions) {
  const limits: ApiLimits = { ...defaultApiLimits, ...o.limits };
  const app = createHttpServer(limits, o.logger);
  limitConnections(app.server, limits, o.metrics);
  // On the root, before the routes: every route plugin inherits them.
  listRoutes(app);
  strictInput(app);
  errorReplies(app, o.metrics);

  // The routes, by group.
  void app.register(opsRoutes(o.metrics));
  void app.register(signalRoutes());
  void app.register(vehicleRoutes(o.telemetryDb));
  void app.register(sampleRoutes(o.telemetryDb, limits));
  void app.register(eventRoutes(o.telemetryDb, limits));
  void app.register(alertRoutes(o.recordsDb, limits));
  void app.register(
    servicePlanRoutes({ telemetryDb: o.telemetryDb, publishServiceUpdate: o.publishServiceUpdate }),
  );
  void app.register(
    serviceRoutes({ telemetryDb: o.telemetryDb, publishServiceUpdate: o.publishServiceUpdate }),
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
