import {
  type Config,
  type ConfigOf,
  settings as platformSettings,
  setting,
} from '@fleetline/platform';
import Type from 'typebox';

/**
 * Settings of the app's own processes, beyond the platform's: the simulated fleet that
 * `npm start` drives. Read, validated and documented like the platform's (they come last in
 * the README's configuration table); the `fleetline` CLI reads them too, so a config file
 * that `npm start` takes is one the CLI takes.
 */
export const appSettings = {
  // The all-in-one binds loopback unless told otherwise: it holds demo accounts.
  mqttHost: setting(
    'MQTT_HOST',
    platformSettings.mqttHost.schema,
    '127.0.0.1',
    'Address the MQTT listener binds. `npm start` binds 127.0.0.1 unless set; the standalone gateway binds 0.0.0.0.',
    'gateway',
  ),
  httpHost: setting(
    'HTTP_HOST',
    platformSettings.httpHost.schema,
    '127.0.0.1',
    'Address the HTTP API binds. `npm start` binds 127.0.0.1 unless set (it holds demo accounts); the standalone cloud binds 0.0.0.0.',
    'cloud',
  ),
  demo: setting(
    'DEMO',
    Type.Boolean(),
    true,
    '`npm start` creates the demo organisation (two stores, one person per role, the simulated vehicles) and prints its sign-ins once. Set false for an all-in-one that serves real people.',
    'npm start',
  ),
  simVehicles: setting(
    'SIM_VEHICLES',
    Type.Integer({ minimum: 0, maximum: 100_000 }),
    5,
    'Simulated vehicles driven by `npm start` (0: none).',
    'npm start',
  ),
  simBatchIntervalMs: setting(
    'SIM_BATCH_INTERVAL_MS',
    Type.Integer({ minimum: 100, maximum: 3_600_000 }),
    1000,
    'How often each simulated vehicle publishes a batch.',
    'npm start',
  ),
} as const;

/** The config of the app's processes: the platform's settings and the app's. */
export type AppConfig = Config & ConfigOf<typeof appSettings>;
