import {
  getOrCreateCounter,
  getOrCreateGauge,
  getOrCreateHistogram,
  type Registry,
} from '@fleetline/platform';
import type { DeviceIdentity } from './identity.js';

/**
 * The gateway's metrics, in the registry of its process. Each is created on first use and
 * shared after (getOrCreate…), so two gateways on one registry — tests, an embedding process —
 * count into the same metrics instead of failing at the second start.
 *
 * Two gauges are read at scrape time rather than kept up to date: the password checks an
 * identity is running, and the sockets the connection gate holds open. Each gateway adds what
 * they read from while it runs (`observe`), and they report the sum over every gateway on the
 * registry.
 */

/** What the gauges read at scrape time, for one gateway. */
export interface ObservedSources {
  identity: DeviceIdentity;
  /** Open MQTT sockets on every listener, counted from accept (the connection gate). */
  sockets: { readonly open: number };
}

export type GatewayMetrics = ReturnType<typeof gatewayMetrics>;

/** Per registry, the sources of the gateways running on it (one entry per gateway). */
const observed = new WeakMap<Registry, ObservedSources[]>();

export function gatewayMetrics(registry: Registry) {
  const sources = observed.get(registry) ?? [];
  observed.set(registry, sources);
  observedGauges(registry, sources);
  const metrics = {
    connections: getOrCreateGauge(registry, {
      name: 'fleetline_gateway_connections',
      help: 'Open MQTT connections',
    }),
    revokedDisconnects: getOrCreateCounter(registry, {
      name: 'fleetline_gateway_revoked_disconnects_total',
      help: 'Connected devices disconnected because they were revoked',
    }),
    commands: getOrCreateCounter(registry, {
      name: 'fleetline_gateway_commands_total',
      help: 'Commands by outcome: delivered, not-connected-here, expired, invalid, not-held (read from the log); delivered-held, acknowledged (at the device)',
      labelNames: ['outcome'],
    }),
    connectionsRefused: getOrCreateCounter(registry, {
      name: 'fleetline_gateway_connections_refused_total',
      help: 'Connections refused or cut before identity, by reason: rate, max-connections, max-connections-per-address, oversized-packet, tls-handshake',
      labelNames: ['reason'],
    }),
    protocolErrors: getOrCreateCounter(registry, {
      name: 'fleetline_gateway_protocol_errors_total',
      help: 'Connections closed on an error of theirs, by reason: protocol (a packet MQTT 3.1.1 does not allow, or bytes that are not MQTT), connect-timeout (no CONNECT in time), keepalive-timeout, reset (the peer cut the connection)',
      labelNames: ['reason'],
    }),
    authFailures: getOrCreateCounter(registry, {
      name: 'fleetline_gateway_auth_failures_total',
      help: 'Connections refused for identity, by reason',
      labelNames: ['reason'],
    }),
    aclDenials: getOrCreateCounter(registry, {
      name: 'fleetline_gateway_acl_denials_total',
      help: 'Publishes and subscriptions refused by the topic rules',
      labelNames: ['action'],
    }),
    publishesRefused: getOrCreateCounter(registry, {
      name: 'fleetline_gateway_publishes_refused_total',
      help: 'Publishes refused, by reason: over-rate (past the device’s bytes a minute: connection closed without PUBACK, the device sends it again later), or the contract error of a payload dead-lettered (acknowledged, kept in deadletter.v1): PROTO_MALFORMED, PROTO_INVALID, PROTO_LIMIT_EXCEEDED, GATEWAY_DEVICE_MISMATCH',
      labelNames: ['reason'],
    }),
    publishes: getOrCreateCounter(registry, {
      name: 'fleetline_gateway_publishes_total',
      help: 'Uplink publishes by kind and outcome (stored, dead-letter, log-failed)',
      labelNames: ['kind', 'outcome'],
    }),
    inFlight: getOrCreateGauge(registry, {
      name: 'fleetline_gateway_in_flight',
      help: 'Publishes waiting for the log’s delivery report',
    }),
    logLatency: getOrCreateHistogram(registry, {
      name: 'fleetline_gateway_log_latency_seconds',
      help: 'Time from publish to the log’s delivery report',
      buckets: [0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5],
    }),
  };
  return {
    ...metrics,
    /**
     * Lets the gauges read one gateway's sources at every scrape, until the returned function
     * is called (when that gateway closes).
     */
    observe(these: ObservedSources): () => void {
      sources.push(these);
      return () => {
        const i = sources.indexOf(these);
        if (i >= 0) sources.splice(i, 1);
      };
    },
  };
}

/** The gauges read at scrape time, from every gateway's sources on the registry. */
function observedGauges(registry: Registry, sources: ObservedSources[]): void {
  getOrCreateGauge(registry, {
    name: 'fleetline_gateway_password_checks',
    help: 'Device password checks (scrypt) running, and waiting for a turn',
    labelNames: ['state'],
    collect() {
      // Gateways sharing one identity share its checks: each identity counts once.
      const loads = [...new Set(sources.map((s) => s.identity))]
        .map((identity) => identity.passwordChecks)
        .filter((load) => load !== undefined);
      if (loads.length === 0) return;
      this.set({ state: 'running' }, sum(loads.map((l) => l.running)));
      this.set({ state: 'waiting' }, sum(loads.map((l) => l.waiting)));
    },
  });
  getOrCreateGauge(registry, {
    name: 'fleetline_gateway_sockets',
    help: 'Open MQTT sockets on every listener, counted from accept (before CONNECT)',
    collect() {
      this.set(sum(sources.map((s) => s.sockets.open)));
    },
  });
}

function sum(values: number[]): number {
  return values.reduce((a, b) => a + b, 0);
}
