import { Counter, Gauge, Histogram, type Registry } from '@fleetline/platform';
import type { DeviceIdentity } from './identity.js';

/** The gateway's metrics, in the registry of its process. */
export type GatewayMetrics = ReturnType<typeof gatewayMetrics>;

export function gatewayMetrics(registry: Registry, identity: DeviceIdentity) {
  new Gauge({
    name: 'fleetline_gateway_password_checks',
    help: 'Device password checks (scrypt) running, and waiting for a turn',
    labelNames: ['state'],
    registers: [registry],
    collect() {
      const load = identity.passwordChecks;
      if (!load) return;
      this.set({ state: 'running' }, load.running);
      this.set({ state: 'waiting' }, load.waiting);
    },
  });
  return {
    connections: new Gauge({
      name: 'fleetline_gateway_connections',
      help: 'Open MQTT connections',
      registers: [registry],
    }),
    revokedDisconnects: new Counter({
      name: 'fleetline_gateway_revoked_disconnects_total',
      help: 'Connected devices disconnected because they were revoked',
      registers: [registry],
    }),
    commands: new Counter({
      name: 'fleetline_gateway_commands_total',
      help: 'Commands by outcome: delivered, not-connected-here, expired, invalid, not-held (read from the log); delivered-held, acknowledged (at the device)',
      labelNames: ['outcome'],
      registers: [registry],
    }),
    connectionsRefused: new Counter({
      name: 'fleetline_gateway_connections_refused_total',
      help: 'Connections refused or cut before identity, by reason: rate, max-connections, max-connections-per-address, oversized-packet, tls-handshake',
      labelNames: ['reason'],
      registers: [registry],
    }),
    protocolErrors: new Counter({
      name: 'fleetline_gateway_protocol_errors_total',
      help: 'Connections closed on an error of theirs, by reason: protocol (a packet MQTT 3.1.1 does not allow, or bytes that are not MQTT), connect-timeout (no CONNECT in time), keepalive-timeout, reset (the peer cut the connection)',
      labelNames: ['reason'],
      registers: [registry],
    }),
    authFailures: new Counter({
      name: 'fleetline_gateway_auth_failures_total',
      help: 'Connections refused for identity, by reason',
      labelNames: ['reason'],
      registers: [registry],
    }),
    aclDenials: new Counter({
      name: 'fleetline_gateway_acl_denials_total',
      help: 'Publishes and subscriptions refused by the topic rules',
      labelNames: ['action'],
      registers: [registry],
    }),
    publishesRefused: new Counter({
      name: 'fleetline_gateway_publishes_refused_total',
      help: 'Publishes refused, by reason: over-rate (past the device’s bytes a minute: connection closed without PUBACK, the device sends it again later), or the contract error of a payload dead-lettered (acknowledged, kept in deadletter.v1): PROTO_MALFORMED, PROTO_INVALID, PROTO_LIMIT_EXCEEDED, GATEWAY_DEVICE_MISMATCH',
      labelNames: ['reason'],
      registers: [registry],
    }),
    publishes: new Counter({
      name: 'fleetline_gateway_publishes_total',
      help: 'Uplink publishes by kind and outcome (stored, dead-letter, log-failed)',
      labelNames: ['kind', 'outcome'],
      registers: [registry],
    }),
    inFlight: new Gauge({
      name: 'fleetline_gateway_in_flight',
      help: 'Publishes waiting for the log’s delivery report',
      registers: [registry],
    }),
    logLatency: new Histogram({
      name: 'fleetline_gateway_log_latency_seconds',
      help: 'Time from publish to the log’s delivery report',
      buckets: [0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5],
      registers: [registry],
    }),
  };
}
