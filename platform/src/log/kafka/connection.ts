import type { KafkaSecurity } from '../../links.js';

export interface KafkaLogOptions extends KafkaSecurity {
  brokers: readonly string[];
  clientId: string;
  /** Replication factor of topics created by ensureTopics(). */
  replicationFactor: number;
}

/** What every client of the adapter (admin, producer, consumer) connects with. */
export function connectionOptions(options: KafkaLogOptions) {
  const { tls, tlsServerName, sasl } = options;
  return {
    clientId: options.clientId,
    bootstrapBrokers: [...options.brokers],
    // Keep retrying through a broker restart rather than failing the caller quickly.
    retries: 20,
    retryDelay: 500,
    // How long a request waits for its answer: a broker that takes the request and stalls
    // fails the send after this, and the device resends (the library's default).
    requestTimeout: 30_000,
    ...(tls ? { tls, tlsServerName: tlsServerName ?? false } : {}),
    ...(sasl ? { sasl: { ...sasl } } : {}),
  };
}

export type ConnectionOptions = ReturnType<typeof connectionOptions>;
