import Type from 'typebox';
import { Host, Port, setting } from './setting.js';

/** The HTTP API's settings: its listener, connection and request limits, live streams. */
export const httpSettings = {
  httpHost: setting('HTTP_HOST', Host, '0.0.0.0', 'Address the HTTP API binds.', 'cloud'),
  httpPort: setting(
    'HTTP_PORT',
    Port,
    8080,
    'HTTP port of the API and web view (0: any free port).',
    'cloud',
  ),
  httpMaxConnections: setting(
    'HTTP_MAX_CONNECTIONS',
    Type.Integer({ minimum: 1 }),
    10_000,
    'Open HTTP connections to the API beyond this are dropped at accept (MQTT has its own MQTT_MAX_CONNECTIONS).',
    'cloud',
  ),
  httpMaxConnectionsPerAddress: setting(
    'HTTP_MAX_CONNECTIONS_PER_ADDRESS',
    Type.Integer({ minimum: 1 }),
    256,
    'Open HTTP connections from one IP address at most; more are answered 429 and closed. Raise it behind a reverse proxy (all its clients share its address).',
    'cloud',
  ),
  httpHeadersTimeoutMs: setting(
    'HTTP_HEADERS_TIMEOUT_MS',
    Type.Integer({ minimum: 100, maximum: 600_000 }),
    10_000,
    'A request’s headers must have arrived within this long of its connection (or of the previous response); else 408 and the connection is closed.',
    'cloud',
  ),
  httpRequestTimeoutMs: setting(
    'HTTP_REQUEST_TIMEOUT_MS',
    Type.Integer({ minimum: 100, maximum: 3_600_000 }),
    30_000,
    'A whole request (headers and body) must have arrived within this long; else 408 and the connection is closed.',
    'cloud',
  ),
  httpKeepAliveTimeoutMs: setting(
    'HTTP_KEEP_ALIVE_TIMEOUT_MS',
    Type.Integer({ minimum: 0, maximum: 600_000 }),
    5_000,
    'An idle keep-alive connection is closed after this long. Behind a load balancer, make it longer than the balancer’s idle timeout.',
    'cloud',
  ),
  httpIdleTimeoutMs: setting(
    'HTTP_IDLE_TIMEOUT_MS',
    Type.Integer({ minimum: 1000, maximum: 3_600_000 }),
    60_000,
    'A connection with no traffic either way for this long is closed (a live stream’s heartbeat is traffic; a client that stopped reading is not).',
    'cloud',
  ),
  httpMaxBodyBytes: setting(
    'HTTP_MAX_BODY_BYTES',
    Type.Integer({ minimum: 1024, maximum: 104_857_600 }),
    65_536,
    'Largest request body the API reads; a larger one is answered 413.',
    'cloud',
  ),
  httpMaxRangeDays: setting(
    'HTTP_MAX_RANGE_DAYS',
    Type.Integer({ minimum: 1, maximum: 3660 }),
    366,
    'Widest time range (from, to) one request may read of samples, events or alerts, in days; a wider one is answered 400. On Cassandra every day of a range is one more query.',
    'cloud',
  ),
  liveMaxStreams: setting(
    'LIVE_MAX_STREAMS',
    Type.Integer({ minimum: 1 }),
    1000,
    'Open GET /api/live streams at most; more are answered 503 with Retry-After.',
    'cloud',
  ),
  liveMaxStreamsPerAddress: setting(
    'LIVE_MAX_STREAMS_PER_ADDRESS',
    Type.Integer({ minimum: 1 }),
    20,
    'Open GET /api/live streams from one IP address at most; more are answered 429 with Retry-After (one stream can follow many vehicles).',
    'cloud',
  ),
} as const;
