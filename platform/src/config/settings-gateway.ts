import { hostname } from 'node:os';
import Type from 'typebox';
import { Host, Port, setting } from './setting.js';

// The MQTT gateway's settings: its listeners, the limits it holds devices to, device auth.

/** Where plain MQTT listens. */
export const mqttListenerSettings = {
  mqttHost: setting('MQTT_HOST', Host, '0.0.0.0', 'Address the MQTT listener binds.', 'gateway'),
  mqttPort: setting('MQTT_PORT', Port, 1883, 'MQTT listener port (0: any free port).', 'gateway'),
} as const;

/** The gateway's HTTP port and id, TLS and WebSocket listeners, limits and device auth. */
export const gatewaySettings = {
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
} as const;
