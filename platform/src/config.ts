import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { resolve } from 'node:path';
import Type, { type Static, type TSchema } from 'typebox';
import Value from 'typebox/value';
import { ConfigError } from './errors.js';
import { linkProblems } from './links.js';

/**
 * Every setting of the server side, in one table: its environment variable, schema, default
 * and meaning. The config is read from the environment (and optionally a JSON file named by
 * FLEETLINE_CONFIG, whose keys are the setting names below), validated once at start-up and
 * frozen. The README's configuration table is generated from this table.
 *
 * A process with settings of its own (the app's `npm start`) passes their table along
 * (`loadConfig({ settings })`): they are read, validated and documented exactly like these,
 * and this package need not know what they are for.
 */

export interface Setting<S extends TSchema> {
  readonly env: string;
  readonly schema: S;
  readonly default: Static<S>;
  readonly doc: string;
  /** Which processes read it. */
  readonly usedBy: string;
  /** A password or key: its value is never shown, not even in a message about a bad one. */
  readonly secret?: boolean;
}

export const setting = <S extends TSchema>(
  env: string,
  schema: S,
  dflt: Static<S>,
  doc: string,
  usedBy: string,
  options: { secret?: boolean } = {},
): Setting<S> => ({ env, schema, default: dflt, doc, usedBy, ...options });

const Port = Type.Integer({ minimum: 0, maximum: 65535 });
const Host = Type.String({ minLength: 1 });
const List = Type.Array(Type.String({ minLength: 1 }));
const File = Type.String();
/** How a TLS client checks the server's certificate. */
const TlsVerify = Type.Union([Type.Literal('full'), Type.Literal('ca'), Type.Literal('none')]);
const verifyDoc = (server: string) =>
  `How ${server} certificates are checked: full (signed by the CA and issued for the address connected to), ca (signed by the CA only, for certificates without those addresses), none (not at all: development only).`;

export const settings = {
  dataDir: setting(
    'FLEETLINE_DATA_DIR',
    Type.String({ minLength: 1 }),
    '.data',
    'Folder for the embedded log, the SQLite database and other local state; kept owner-only (0700, its files 0600).',
    'all',
  ),
  logLevel: setting(
    'LOG_LEVEL',
    Type.Union([
      Type.Literal('fatal'),
      Type.Literal('error'),
      Type.Literal('warn'),
      Type.Literal('info'),
      Type.Literal('debug'),
      Type.Literal('trace'),
      Type.Literal('silent'),
    ]),
    'info',
    'Log level of the JSON logs (fatal, error, warn, info, debug, trace, silent).',
    'all',
  ),
  mqttHost: setting('MQTT_HOST', Host, '0.0.0.0', 'Address the MQTT listener binds.', 'gateway'),
  mqttPort: setting('MQTT_PORT', Port, 1883, 'MQTT listener port (0: any free port).', 'gateway'),
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
  gatewayHttpPort: setting(
    'GATEWAY_HTTP_PORT',
    Port,
    9101,
    'Port of the standalone gateway’s /metrics and /healthz (0: any free port); binds MQTT_HOST.',
    'gateway',
  ),
  gatewayId: setting(
    'GATEWAY_ID',
    Type.String({ minLength: 1 }),
    `${hostname()}-${process.pid}`,
    'Name of this gateway, written into the headers of every record it produces.',
    'gateway',
  ),
  mqttsPort: setting(
    'MQTTS_PORT',
    Port,
    8883,
    'MQTT over TLS listener port, used when MQTTS_CERT_FILE is set (0: any free port).',
    'gateway',
  ),
  mqttsCertFile: setting(
    'MQTTS_CERT_FILE',
    Type.String(),
    '',
    'PEM certificate (chain) of the TLS listener. Empty: no TLS listener.',
    'gateway',
  ),
  mqttsKeyFile: setting(
    'MQTTS_KEY_FILE',
    Type.String(),
    '',
    'PEM private key of the TLS listener.',
    'gateway',
  ),
  mqttsCaFile: setting(
    'MQTTS_CA_FILE',
    Type.String(),
    '',
    'PEM CA whose client certificates authenticate devices (mutual TLS: the CN is the device id). Empty: passwords only.',
    'gateway',
  ),
  mqttWsPort: setting(
    'MQTT_WS_PORT',
    Type.Integer({ minimum: -1, maximum: 65535 }),
    -1,
    'MQTT over WebSocket listener port (subprotocol mqtt); -1: off, 0: any free port.',
    'gateway',
  ),
  mqttMaxPacketBytes: setting(
    'MQTT_MAX_PACKET_BYTES',
    Type.Integer({ minimum: 1024, maximum: 268_435_455 }),
    262_144,
    'Largest MQTT packet accepted; a larger one closes the connection before its body is read.',
    'gateway',
  ),
  mqttMaxConnections: setting(
    'MQTT_MAX_CONNECTIONS',
    Type.Integer({ minimum: 1 }),
    10_000,
    'Open MQTT connections, over the TCP, TLS and WebSocket listeners together and counted from accept (before CONNECT); a connection beyond them is closed at once. Keep it, with the HTTP API’s own bounds, under the process’s open-file limit (the gateway warns at start when it is not).',
    'gateway',
  ),
  mqttMaxConnectionsPerAddress: setting(
    'MQTT_MAX_CONNECTIONS_PER_ADDRESS',
    Type.Integer({ minimum: 1 }),
    1000,
    'Open MQTT connections from one IP address; a connection beyond them is closed at once. Raise it for fleets behind carrier-grade NAT.',
    'gateway',
  ),
  mqttConnectRatePerAddress: setting(
    'MQTT_CONNECT_RATE_PER_ADDRESS',
    Type.Number({ exclusiveMinimum: 0 }),
    50,
    'New connections per second from one IP address (bursts of twice as many); more are refused. Raise it for fleets behind carrier-grade NAT.',
    'gateway',
  ),
  deviceClockMaxAheadSeconds: setting(
    'DEVICE_CLOCK_MAX_AHEAD_SECONDS',
    Type.Integer({ minimum: 1, maximum: 31_536_000 }),
    86_400,
    'How far ahead of the gateway’s clock a device’s times may be; a publish with a time further ahead (or before 2000: a clock never set) is acknowledged and dead-lettered with GATEWAY_CLOCK_AHEAD (GATEWAY_CLOCK_UNSET). Cassandra reads no day further ahead.',
    'gateway, cloud',
  ),
  mqttDeviceBytesPerMinute: setting(
    'MQTT_DEVICE_BYTES_PER_MINUTE',
    Type.Integer({ minimum: 1024 }),
    1_048_576,
    'Publish payload bytes one device may send per minute (also the burst, but never less than MQTT_MAX_PACKET_BYTES); a publish beyond it closes the connection without a PUBACK, so the device sends it again later and nothing it was told is stored is lost.',
    'gateway',
  ),
  mqttAuthHashConcurrency: setting(
    'MQTT_AUTH_HASH_CONCURRENCY',
    Type.Integer({ minimum: 1, maximum: 64 }),
    2,
    'Device password checks (scrypt, 32 MiB each) run at once, on the thread pool Node shares with file and DNS work (4 threads unless UV_THREADPOOL_SIZE says otherwise).',
    'gateway',
  ),
  mqttAuthHashQueue: setting(
    'MQTT_AUTH_HASH_QUEUE',
    Type.Integer({ minimum: 0, maximum: 10_000 }),
    32,
    'Password checks that may wait for a turn; a connect beyond them is refused at once with CONNACK 3 (server unavailable) and the device retries.',
    'gateway',
  ),
  mqttAuthFailuresPerDevice: setting(
    'MQTT_AUTH_FAILURES_PER_DEVICE',
    Type.Number({ exclusiveMinimum: 0 }),
    5,
    'Failed password checks per device id per minute, from any address; beyond them, connects for that id that need a check get CONNACK 3 until the budget refills. A device whose secret was verified since the gateway started is let in regardless.',
    'gateway',
  ),
  mqttAuthFailuresPerAddress: setting(
    'MQTT_AUTH_FAILURES_PER_ADDRESS',
    Type.Number({ exclusiveMinimum: 0 }),
    10,
    'Failed password checks per IP address per minute, for any ids; beyond them, connects from that address that need a check get CONNACK 3. Successful checks do not count.',
    'gateway',
  ),
  deviceAuth: setting(
    'DEVICE_AUTH',
    Type.Union([Type.Literal('registry'), Type.Literal('open')]),
    'registry',
    'How devices authenticate: registry (username = device id, password = its secret; `fleetline devices add`), or open (development only: the client id is the device id, no secret).',
    'gateway',
  ),
  kafkaBrokers: setting(
    'KAFKA_BROKERS',
    List,
    [],
    'Comma-separated Kafka bootstrap brokers (host:port). Empty: the embedded log on SQLite.',
    'gateway, cloud',
  ),
  kafkaClientId: setting(
    'KAFKA_CLIENT_ID',
    Type.String({ minLength: 1 }),
    'fleetline',
    'Client id sent to Kafka.',
    'gateway, cloud',
  ),
  topicPrefix: setting(
    'KAFKA_TOPIC_PREFIX',
    Type.String({ pattern: '^[A-Za-z0-9._-]*$' }),
    '',
    'Prefix for every Kafka topic name, so several installations can share one cluster.',
    'gateway, cloud',
  ),
  topicPartitions: setting(
    'LOG_PARTITIONS',
    Type.Integer({ minimum: 1, maximum: 10_000 }),
    6,
    'Partitions of each topic created by Fleetline (the ceiling on processors sharing the work).',
    'gateway, cloud',
  ),
  topicReplication: setting(
    'KAFKA_REPLICATION_FACTOR',
    Type.Integer({ minimum: 1, maximum: 16 }),
    1,
    'Replication factor of topics Fleetline creates (3 in production).',
    'gateway, cloud',
  ),
  kafkaSecurityProtocol: setting(
    'KAFKA_SECURITY_PROTOCOL',
    Type.Union([
      Type.Literal('PLAINTEXT'),
      Type.Literal('SSL'),
      Type.Literal('SASL_SSL'),
      Type.Literal('SASL_PLAINTEXT'),
    ]),
    'PLAINTEXT',
    'How clients reach the brokers, as Kafka’s security.protocol: PLAINTEXT, SSL (TLS), SASL_SSL (TLS and SASL authentication), SASL_PLAINTEXT (SASL without TLS: with PLAIN the password crosses the network in clear).',
    'gateway, cloud',
  ),
  kafkaTlsCaFile: setting(
    'KAFKA_TLS_CA_FILE',
    File,
    '',
    'PEM CA certificate(s) that signed the brokers’ certificates (SSL, SASL_SSL). Empty: Node’s built-in public CAs.',
    'gateway, cloud',
  ),
  kafkaTlsCertFile: setting(
    'KAFKA_TLS_CERT_FILE',
    File,
    '',
    'PEM client certificate (chain), for brokers that authenticate clients by certificate (ssl.client.auth); with KAFKA_TLS_KEY_FILE.',
    'gateway, cloud',
  ),
  kafkaTlsKeyFile: setting(
    'KAFKA_TLS_KEY_FILE',
    File,
    '',
    'PEM private key of KAFKA_TLS_CERT_FILE.',
    'gateway, cloud',
  ),
  kafkaTlsServername: setting(
    'KAFKA_TLS_SERVERNAME',
    Type.String(),
    '',
    'Name the brokers’ certificates must be issued for, also sent as SNI; for brokers reached through one name. Empty: each broker’s own host (sent as SNI when it is a name).',
    'gateway, cloud',
  ),
  kafkaTlsVerify: setting(
    'KAFKA_TLS_VERIFY',
    TlsVerify,
    'full',
    verifyDoc('the brokers’'),
    'gateway, cloud',
  ),
  kafkaSaslMechanism: setting(
    'KAFKA_SASL_MECHANISM',
    Type.Union([
      Type.Literal('SCRAM-SHA-512'),
      Type.Literal('SCRAM-SHA-256'),
      Type.Literal('PLAIN'),
    ]),
    'SCRAM-SHA-512',
    'SASL mechanism (SASL_SSL, SASL_PLAINTEXT): SCRAM-SHA-512, SCRAM-SHA-256 or PLAIN.',
    'gateway, cloud',
  ),
  kafkaSaslUsername: setting(
    'KAFKA_SASL_USERNAME',
    Type.String(),
    '',
    'SASL user name (SASL_SSL, SASL_PLAINTEXT).',
    'gateway, cloud',
  ),
  kafkaSaslPassword: setting(
    'KAFKA_SASL_PASSWORD',
    Type.String(),
    '',
    'SASL password; never logged.',
    'gateway, cloud',
    { secret: true },
  ),
  processorGroup: setting(
    'PROCESSOR_GROUP',
    Type.String({ minLength: 1 }),
    'fleetline-processor',
    'Consumer group of the processors; processors with the same group share the partitions.',
    'cloud',
  ),
  offlineAfterHours: setting(
    'OFFLINE_AFTER_HOURS',
    Type.Number({ exclusiveMinimum: 0, maximum: 8760 }),
    48,
    'A vehicle not heard from for this long raises an offline alert.',
    'cloud',
  ),
  dtcMaxCodeAlerts: setting(
    'DTC_MAX_CODE_ALERTS',
    Type.Integer({ minimum: 1, maximum: 128 }),
    8,
    'Trouble codes of one vehicle with an alert of their own at a time (critical codes first); the codes beyond share one alert, “and K more”.',
    'cloud',
  ),
  dtcAlertsPerDay: setting(
    'DTC_ALERTS_PER_DAY',
    Type.Integer({ minimum: 1, maximum: 10_000 }),
    24,
    'Trouble-code alerts one vehicle may raise a day (growing back evenly over the day): codes that keep coming and going raise no more; every report stays in the vehicle’s events.',
    'cloud',
  ),
  clockTickSeconds: setting(
    'CLOCK_TICK_SECONDS',
    Type.Integer({ minimum: 0, maximum: 86_400 }),
    60,
    'How often the processor checks time-based conditions (offline, maintenance by date) of live vehicles; owned vehicles without a live actor are checked every hour. 0: never.',
    'cloud',
  ),
  cassandraContactPoints: setting(
    'CASSANDRA_CONTACT_POINTS',
    List,
    [],
    'Comma-separated Cassandra contact points (host or host:port). Empty: the SQLite database.',
    'cloud',
  ),
  cassandraLocalDc: setting(
    'CASSANDRA_LOCAL_DC',
    Type.String({ minLength: 1 }),
    'datacenter1',
    'Local data centre for the Cassandra driver’s load balancing.',
    'cloud',
  ),
  cassandraKeyspace: setting(
    'CASSANDRA_KEYSPACE',
    Type.String({ pattern: '^[a-zA-Z][a-zA-Z0-9_]{0,47}$' }),
    'fleetline',
    'Keyspace; created with the replication factor below when missing.',
    'cloud',
  ),
  cassandraReplication: setting(
    'CASSANDRA_REPLICATION_FACTOR',
    Type.Integer({ minimum: 1, maximum: 16 }),
    1,
    'Replication factor of a keyspace Fleetline creates (3 in production).',
    'cloud',
  ),
  cassandraTls: setting(
    'CASSANDRA_TLS',
    Type.Boolean(),
    false,
    'Connect to Cassandra over TLS (the nodes’ client_encryption_options): true or false.',
    'cloud',
  ),
  cassandraTlsCaFile: setting(
    'CASSANDRA_TLS_CA_FILE',
    File,
    '',
    'PEM CA certificate(s) that signed the nodes’ certificates. Empty: Node’s built-in public CAs.',
    'cloud',
  ),
  cassandraTlsCertFile: setting(
    'CASSANDRA_TLS_CERT_FILE',
    File,
    '',
    'PEM client certificate (chain), for nodes that require one (require_client_auth); with CASSANDRA_TLS_KEY_FILE.',
    'cloud',
  ),
  cassandraTlsKeyFile: setting(
    'CASSANDRA_TLS_KEY_FILE',
    File,
    '',
    'PEM private key of CASSANDRA_TLS_CERT_FILE.',
    'cloud',
  ),
  cassandraTlsVerify: setting(
    'CASSANDRA_TLS_VERIFY',
    TlsVerify,
    'full',
    verifyDoc('the nodes’'),
    'cloud',
  ),
  cassandraUsername: setting(
    'CASSANDRA_USERNAME',
    Type.String(),
    '',
    'Role for Cassandra’s PasswordAuthenticator (the driver’s PlainTextAuthProvider). Empty: no authentication.',
    'cloud',
  ),
  cassandraPassword: setting(
    'CASSANDRA_PASSWORD',
    Type.String(),
    '',
    'Password of CASSANDRA_USERNAME; never logged.',
    'cloud',
    { secret: true },
  ),
  samplesTtlDays: setting(
    'SAMPLES_TTL_DAYS',
    Type.Integer({ minimum: 0, maximum: 3650 }),
    400,
    'Days a stored sample or event is kept, counted from its own time (0: forever).',
    'cloud',
  ),
  sqliteReadWorkers: setting(
    'SQLITE_READ_WORKERS',
    Type.Integer({ minimum: 1, maximum: 16 }),
    2,
    'Threads for the SQLite database’s expensive reads (sample ranges, buckets, lists), each with its own read-only connection and, on Linux, a lower CPU priority than ingest.',
    'cloud',
  ),
  sqliteReadQueue: setting(
    'SQLITE_READ_QUEUE',
    Type.Integer({ minimum: 0, maximum: 10_000 }),
    32,
    'Expensive SQLite reads that may wait for a reader thread; more are refused at once (the API answers 503 with Retry-After).',
    'cloud',
  ),
} as const;

/** A table of settings by name, as `settings` above. */
export type SettingsTable = { readonly [name: string]: Setting<TSchema> };
/** No settings beyond the platform's. */
export type NoSettings = Record<never, never>;
/** The values of a table's settings. */
export type ConfigOf<T extends SettingsTable> = { readonly [K in keyof T]: Static<T[K]['schema']> };

type Settings = typeof settings;
export type SettingName = keyof Settings;
export type Config = ConfigOf<Settings>;

function fromEnv(setting: Setting<TSchema>, raw: string): unknown {
  const type = (setting.schema as { type?: string }).type;
  if (type === 'array') {
    return raw
      .split(',')
      .map((x) => x.trim())
      .filter((x) => x.length > 0);
  }
  if (type === 'integer' || type === 'number') return raw.trim() === '' ? raw : Number(raw);
  if (type === 'boolean') return raw === 'true' ? true : raw === 'false' ? false : raw;
  return raw;
}

export interface LoadConfigOptions<E extends SettingsTable = NoSettings> {
  env?: NodeJS.ProcessEnv;
  /** Settings that win over file and environment (used by tests and the CLI). */
  overrides?: Partial<Config & ConfigOf<E>>;
  /** The loading process's own settings, after the platform's. */
  settings?: E;
}

/**
 * Reads, validates and freezes the configuration. Throws ConfigError naming every bad key
 * (as its environment variable) and the expected value.
 */
export function loadConfig<E extends SettingsTable = NoSettings>(
  options: LoadConfigOptions<E> = {},
): Config & ConfigOf<E> {
  const table: SettingsTable = { ...settings, ...options.settings };
  const names = Object.keys(table);
  const overrides: Record<string, unknown> | undefined = options.overrides;
  const env = options.env ?? process.env;
  const problems: string[] = [];
  let file: Record<string, unknown> = {};
  const filePath = env.FLEETLINE_CONFIG;
  if (filePath) {
    try {
      const parsed: unknown = JSON.parse(readFileSync(filePath, 'utf8'));
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
        throw new Error('the file must hold a JSON object');
      }
      file = parsed as Record<string, unknown>;
      for (const key of Object.keys(file)) {
        if (!(key in table)) {
          problems.push(
            `FLEETLINE_CONFIG ${filePath}: unknown key "${key}" (known: ${names.join(', ')})`,
          );
        }
      }
    } catch (err) {
      problems.push(`FLEETLINE_CONFIG ${filePath}: ${(err as Error).message}`);
    }
  }
  const config: Record<string, unknown> = {};
  for (const name of names) {
    const s = table[name] as Setting<TSchema>;
    const raw = env[s.env];
    const source =
      overrides && name in overrides
        ? 'override'
        : raw !== undefined
          ? `${s.env}=${s.secret ? '(hidden)' : JSON.stringify(raw)}`
          : name in file
            ? `FLEETLINE_CONFIG key "${name}"`
            : 'default';
    const value =
      overrides && name in overrides
        ? overrides[name]
        : raw !== undefined
          ? fromEnv(s, raw)
          : name in file
            ? file[name]
            : s.default;
    const errors = [...Value.Errors(s.schema, value)];
    if (errors.length > 0) {
      const first = errors[0];
      const at = first?.instancePath ? ` at ${first.instancePath}` : '';
      problems.push(`${source}: ${first?.message ?? 'invalid'}${at} — ${s.doc}`);
      continue;
    }
    config[name] = value;
  }
  if (problems.length === 0) problems.push(...linkProblems(config as Config));
  if (problems.length > 0) {
    throw new ConfigError(`invalid configuration:\n  ${problems.join('\n  ')}`, problems);
  }
  config.dataDir = resolve(config.dataDir as string);
  return Object.freeze(config) as Config & ConfigOf<E>;
}

/**
 * The configuration table as Markdown, from the settings above and a process's own after them
 * (for the README).
 */
export function configurationTable(own: SettingsTable = {}): string {
  const table: SettingsTable = { ...settings, ...own };
  const rows = Object.keys(table).map((name) => {
    const s = table[name] as Setting<TSchema>;
    const d = Array.isArray(s.default) ? s.default.join(',') : String(s.default);
    const shown = name === 'gatewayId' ? '`<host>-<pid>`' : d === '' ? '(empty)' : `\`${d}\``;
    return `| \`${s.env}\` | ${shown} | ${s.usedBy} | ${s.doc} |`;
  });
  return ['| variable | default | read by | meaning |', '| --- | --- | --- | --- |', ...rows].join(
    '\n',
  );
}
