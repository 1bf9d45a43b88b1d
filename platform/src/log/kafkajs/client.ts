import { createRequire } from 'node:module';
import type * as KafkaJs from 'kafkajs';
import type { KafkaLogOptions } from '../kafka/connection.js';

export type { KafkaJs };

// Loaded on first use, so processes on another Kafka client do not carry it.
let loaded: typeof KafkaJs | undefined;

/** The KafkaJS module. */
export function kafkaJs(): typeof KafkaJs {
  loaded ??= createRequire(import.meta.url)('kafkajs') as typeof KafkaJs;
  return loaded;
}

/**
 * The KafkaJS client every part of the adapter connects through: TLS and SASL as configured
 * (KafkaJS sends a broker's host as SNI when it is a name, as the other clients do), its
 * console logger silenced (failures reach callers as errors), and retries through a broker
 * restart.
 */
export function kafkaJsClient(options: KafkaLogOptions): KafkaJs.Kafka {
  const { Kafka, logLevel } = kafkaJs();
  const { tls, sasl } = options;
  return new Kafka({
    clientId: options.clientId,
    brokers: [...options.brokers],
    logLevel: logLevel.NOTHING,
    retry: { initialRetryTime: 300, maxRetryTime: 2_000, retries: 15 },
    ...(tls ? { ssl: { ...tls } } : {}),
    ...(sasl
      ? {
          sasl: {
            mechanism: sasl.mechanism.toLowerCase() as 'plain',
            username: sasl.username,
            password: sasl.password,
          },
        }
      : {}),
  });
}
