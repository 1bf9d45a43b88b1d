import cassandra from 'cassandra-driver';
import type { CassandraSecurity } from '../../links.js';

export interface CassandraClientOptions extends CassandraSecurity {
  contactPoints: readonly string[];
  localDataCenter: string;
  /** Sees every request the driver makes (logging slow ones, counting them). */
  requestTracker?: cassandra.tracker.RequestTracker;
}

/**
 * The driver's client as the adapter uses it, not yet connected: every statement prepared
 * and idempotent by default (the non-idempotent ones say so), LOCAL_QUORUM, TLS and
 * credentials when configured.
 */
export function cassandraClient(options: CassandraClientOptions): cassandra.Client {
  return new cassandra.Client({
    contactPoints: [...options.contactPoints],
    localDataCenter: options.localDataCenter,
    ...(options.requestTracker ? { requestTracker: options.requestTracker } : {}),
    queryOptions: {
      prepare: true,
      isIdempotent: true,
      consistency: cassandra.types.consistencies.localQuorum,
    },
    // Maps come back as Map (samples are keyed by time; an object would turn the keys into
    // strings).
    encoding: { map: Map },
    socketOptions: { connectTimeout: 10_000, readTimeout: 30_000 },
    // The driver's default waits up to 10 minutes between reconnection attempts to a node
    // that went down; a processor waiting out an outage should resume within seconds of
    // the node coming back.
    policies: {
      reconnection: new cassandra.policies.reconnection.ExponentialReconnectionPolicy(
        250,
        5_000,
        true,
      ),
    },
    ...(options.tls ? { sslOptions: { ...options.tls } } : {}),
    ...(options.credentials
      ? {
          authProvider: new cassandra.auth.PlainTextAuthProvider(
            options.credentials.username,
            options.credentials.password,
          ),
        }
      : {}),
  });
}
