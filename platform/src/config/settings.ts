import { cassandraSettings } from './settings-cassandra.js';
import { gatewaySettings, mqttListenerSettings } from './settings-gateway.js';
import { generalSettings } from './settings-general.js';
import { httpSettings } from './settings-http.js';
import { kafkaSettings } from './settings-kafka.js';
import { processorSettings } from './settings-processor.js';
import { recordsSettings } from './settings-records.js';
import { sqliteSettings } from './settings-sqlite.js';

/**
 * Every setting of the server side, in one table: its environment variable, schema, default
 * and meaning, kept by area in the files beside this one. The config is read from the
 * environment (and optionally a JSON file named by FLEETLINE_CONFIG, whose keys are the
 * setting names), validated once at start-up and frozen. The README's configuration table is
 * generated from this table, in this order — which is why the MQTT listener's two settings
 * come before the HTTP API's and the rest of the gateway's after them: moving them would
 * reorder the table operators know.
 */
export const settings = {
  ...generalSettings,
  ...mqttListenerSettings,
  ...httpSettings,
  ...gatewaySettings,
  ...kafkaSettings,
  ...processorSettings,
  ...cassandraSettings,
  ...sqliteSettings,
  ...recordsSettings,
} as const;
