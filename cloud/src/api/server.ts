import {
  type Logger,
  PortInUseError,
  type RecordsDb,
  type Registry,
  type TelemetryDb,
} from '@fleetline/platform';
import type { ServiceUpdate } from '@fleetline/proto';
import { Authenticator, type SessionTimes } from '../access/authenticator.js';
import {
  defaultSignInLimits,
  type SignInLimitOptions,
  SignInLimits,
} from '../access/sign-in-limits.js';
import type { LiveFeed } from '../live/live-feed.js';
import { accessControl } from './access-control.js';
import { alertRoutes } from './alert-routes.js';
import { auditRoutes } from './audit-routes.js';
import { defaultHttpLimits, type HttpLimits, limitConnections } from './connection-limits.js';
import { crossOrigin } from './cross-origin.js';
import { errorReplies } from './error-replies.js';
import { eventRoutes } from './event-routes.js';
import { healthRoutes } from './health-routes.js';
import { createHttpServer } from './http-server.js';
import { liveRoutes } from './live-routes.js';
import { passwordRoutes } from './password-routes.js';
import { listRoutes } from './route-list.js';
import { sampleRoutes } from './sample-routes.js';
import { securityHeaders } from './security-headers.js';
import { servicePlanRoutes } from './service-plan-routes.js';
import { serviceRoutes } from './service-routes.js';
import { sessionRoutes } from './session-routes.js';
import { signalRoutes } from './signal-routes.js';
import { strictInput } from './strict-input.js';
import { tokenRoutes } from './token-routes.js';
import { userRoutes } from './user-routes.js';
import { vehicleRoutes } from './vehicle-routes.js';

export { type RouteInfo, routesOf } from './route-list.js';

/**
 * The HTTP API. Every route says who may call it and answers only what its caller may see
 * (access-control.ts). Every input is validated against a JSON schema; every error, 404 included,
 * answers JSON `{ statusCode, error, message }`, and a telemetry database outage answers 503. Bad
 * input answers 4xx naming what is wrong and where: times the wire cannot carry (time.ts), text
 * that is not well-formed Unicode (well-formed.ts), bodies over the limit. A 500 says only
 * "internal error": what failed inside is logged, never sent. A telemetry database too busy for
 * another expensive read answers 503 with Retry-After.
 */

export interface ApiOptions {
  telemetryDb: TelemetryDb;
  /** People, sessions, tokens, vehicles and owners, the alert book, the audit trail. */
  records: RecordsDb;
  /** Sessions' lifetimes, sign-in limits, Host names, proxies. */
  access?: Partial<AccessOptions>;
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
  /**
   * How often an open live stream checks that its caller is still signed in (default: the
   * live routes' own, 15 s).
   */
  liveRecheckMs?: number;
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
  /** Client address and scheme from X-Forwarded-For / -Proto (behind a reverse proxy only). */
  trustProxy: boolean;
}

export const defaultApiLimits: ApiLimits = {
  ...defaultHttpLimits,
  maxBodyBytes: 65_536,
  maxStreams: 1000,
  maxStreamsPerAddress: 20,
  maxRangeDays: 366,
  trustProxy: false,
};

/** How callers are let in. */
export interface AccessOptions extends SessionTimes {
  signInLimits: SignInLimitOptions;
  /**
   * Host header values answered (names, without port); others get 400 — what keeps a DNS
   * rebinding page from reaching the API through a browser. Empty: any.
   */
  allowedHosts: readonly string[];
  /**
   * Origins (`https://crm.example.com`) whose pages may call the API with an API token;
   * empty: none, and no CORS header at all.
   */
  corsOrigins: readonly string[];
}

export const defaultAccessOptions: AccessOptions = {
  idleMs: 2 * 3_600_000,
  maxAgeMs: 12 * 3_600_000,
  signInLimits: defaultSignInLimits,
  allowedHosts: [],
  corsOrigins: [],
};

export type Api = ReturnType<typeof buildApi>;

export function buildApi(o: ApiOptions) {
  const limits: ApiLimits = { ...defaultApiLimits, ...o.limits };
  const access: AccessOptions = { ...defaultAccessOptions, ...o.access };
  const app = createHttpServer(limits, o.logger);
  limitConnections(app.server, limits, o.metrics);
  // On the root, before the routes: every route plugin inherits them.
  listRoutes(app);
  strictInput(app);
  errorReplies(app, o.metrics);
  securityHeaders(app, access.allowedHosts);
  crossOrigin(app, access.corsOrigins);
  const authenticator = new Authenticator(o.records, access);
  accessControl(app, { authenticator, records: o.records });
  pruneSessionsEvery(app, authenticator, SESSION_PRUNE_MS);

  // The routes, by group.
  const { records } = o;
  const service = {
    telemetryDb: o.telemetryDb,
    audit: records,
    publishServiceUpdate: o.publishServiceUpdate,
  };
  void app.register(healthRoutes());
  const sessions = { records, authenticator, times: access };
  void app.register(
    sessionRoutes({ ...sessions, limits: new SignInLimits(records, access.signInLimits) }),
  );
  void app.register(passwordRoutes(sessions));
  void app.register(userRoutes(records));
  void app.register(tokenRoutes(records));
  void app.register(auditRoutes(records, limits));
  void app.register(signalRoutes());
  void app.register(vehicleRoutes(o.telemetryDb));
  void app.register(sampleRoutes(o.telemetryDb, limits));
  void app.register(eventRoutes(o.telemetryDb, limits));
  void app.register(
    alertRoutes({ alerts: records, audit: records, maxRangeDays: limits.maxRangeDays }),
  );
  void app.register(servicePlanRoutes(service));
  void app.register(serviceRoutes(service));
  if (o.live) {
    void app.register(
      liveRoutes(o.live, {
        guard: o.live.guard,
        metrics: o.metrics,
        maxStreams: limits.maxStreams,
        maxStreamsPerAddress: limits.maxStreamsPerAddress,
        ...(o.liveRecheckMs === undefined ? {} : { recheckMs: o.liveRecheckMs }),
      }),
    );
  }

  return app;
}

const SESSION_PRUNE_MS = 15 * 60_000;

/**
 * Deletes ended sessions now and then. Requests check expiry themselves; this only keeps
 * the table from growing with sessions nobody signed out of.
 */
function pruneSessionsEvery(app: Api, authenticator: Authenticator, everyMs: number): void {
  const timer = setInterval(() => {
    authenticator.pruneSessions().catch((err: Error) => {
      app.log.warn({ err: err.message }, 'pruning ended sessions failed; trying again later');
    });
  }, everyMs);
  timer.unref();
  app.addHook('onClose', async () => clearInterval(timer));
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
