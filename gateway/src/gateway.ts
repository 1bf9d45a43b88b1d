import type { Duplex } from 'node:stream';
import {
  type CleanupStack,
  type CommandQueue,
  type Counter,
  LimitedLog,
  type Logger,
  type LogProducer,
  type Registry,
  startWithCleanup,
} from '@fleetline/platform';
import { Aedes } from 'aedes';
import { maySubscribe } from './acl.js';
import { admission } from './admission.js';
import { startCommandDelivery } from './command-delivery.js';
import { connectionErrorListener } from './connection-errors.js';
import { ConnectionGate } from './connection-gate.js';
import { Connections } from './connections.js';
import { type GatewayMetrics, gatewayMetrics } from './gateway-metrics.js';
import { authenticateHook } from './hooks/authenticate.js';
import { authorizeForwardHook } from './hooks/authorize-forward.js';
import { authorizePublishHook } from './hooks/authorize-publish.js';
import { authorizeSubscribeHook } from './hooks/authorize-subscribe.js';
import { preConnectHook } from './hooks/pre-connect.js';
import type { DeviceIdentity } from './identity.js';
import { type BoundPorts, startListeners } from './listeners.js';
import { startRevocationSweep } from './revocation.js';
import { correctSubscriptions } from './subscriptions.js';
import { Uplink } from './uplink.js';

/**
 * MQTT ingress: aedes for the protocol, our hooks for identity, topic rules and the no-loss
 * bridge. aedes writes a QoS 1 PUBACK right after authorizePublish calls back and before the
 * `published` hook runs, so the bridge produces to the log inside authorizePublish and calls
 * back only after the log's delivery report: a PUBACK always means "stored".
 * aedes reads a client's next packets only once the current ones are handled, so a slow log
 * holds devices back instead of filling memory.
 */

export interface GatewayOptions {
  host: string;
  port: number;
  /** Largest MQTT packet accepted (fixed header included); a larger one ends the connection. */
  maxPacketBytes?: number;
  /** Open connections, over every listener, beyond which new ones are closed at once. */
  maxConnections?: number;
  /** Open connections from one address beyond which new ones are closed at once. */
  maxConnectionsPerAddress?: number;
  /** New connections per second from one address (token bucket: twice this as a burst). */
  connectRatePerAddress?: number;
  /**
   * How far ahead of this gateway's clock a device's times may be; a publish with a time
   * further ahead is dead-lettered (GATEWAY_CLOCK_AHEAD). Default one day.
   */
  maxClockAheadMs?: number;
  /**
   * Publish payload bytes a device may send per minute (as a burst too, but never less than
   * one packet of maxPacketBytes). A publish beyond it closes the connection without a PUBACK.
   */
  deviceBytesPerMinute?: number;
  /**
   * How often connected devices are checked against the identity for revocation; a revoked
   * device is disconnected within this time. Default 30 s.
   */
  revocationCheckMs?: number;
  /**
   * MQTT over TLS on a second port. With `ca`, devices may also present a client certificate
   * signed by it: its CN is their device id, and no password is needed (mutual TLS).
   */
  tls?: { port: number; key: Buffer; cert: Buffer; ca?: Buffer };
  /** MQTT over WebSocket (subprotocol `mqtt`) on this port, at any path. */
  webSocketPort?: number;
  gatewayId: string;
  producer: LogProducer;
  identity: DeviceIdentity;
  /**
   * Commands held for devices that were connected nowhere: delivered when the device
   * subscribes, marked acknowledged at its PUBACK. Without it, commands reach only devices
   * connected when they arrive.
   */
  hold?: CommandQueue;
  logger: Logger;
  metrics: Registry;
}

export interface RunningGateway {
  /** The bound port (useful with port 0). */
  readonly port: number;
  /** The bound TLS port, when TLS is configured. */
  readonly tlsPort: number | undefined;
  /** The bound WebSocket port, when configured. */
  readonly webSocketPort: number | undefined;
  /**
   * Publishes a command to a device connected to this gateway (QoS 1 on its commands topic);
   * false when the device is not connected here.
   */
  deliverCommand(deviceId: string, payload: Uint8Array): Promise<boolean>;
  /** The counter the downlink reports its commands into. */
  readonly commandsMetric: Counter<'outcome'>;
  readonly connectedClients: number;
  /** Stops accepting, lets in-flight publishes finish (acked or not), then closes. */
  close(): Promise<void>;
}

/**
 * Starts the gateway from its named parts — the connection bookkeeping, the uplink path, the
 * aedes hooks, the SUBSCRIBE corrections, command delivery, the revocation sweep, admission and
 * the listeners — wiring each to what it needs. Everything it opens goes into one cleanup stack
 * (see startWithCleanup): a failed start releases what it had opened, close() the same.
 */
export function startGateway(o: GatewayOptions): Promise<RunningGateway> {
  return startWithCleanup(async (cleanup) => {
    const log = o.logger.child({ component: 'gateway' });
    const parts: Parts = {
      log,
      m: gatewayMetrics(o.metrics),
      // Refusals are logged through this: bounded lines, with counts of what was left out.
      refusals: cleanup.adopt(new LimitedLog(log)),
      connections: new Connections(),
    };
    const { m, connections } = parts;
    const maxPacketBytes = o.maxPacketBytes ?? 256 * 1024;
    const uplink = new Uplink({
      gatewayId: o.gatewayId,
      producer: o.producer,
      maxPacketBytes,
      deviceBytesPerMinute: o.deviceBytesPerMinute ?? 1024 * 1024,
      ...(o.maxClockAheadMs === undefined ? {} : { maxClockAheadMs: o.maxClockAheadMs }),
      metrics: m,
      refusals: parts.refusals,
      log,
    });

    const broker = await createBroker(o.gatewayId, o.identity, parts, uplink);
    cleanup.defer(() => new Promise<void>((r) => broker.close(() => r())));
    // Before the broker closes (the stack closes newest first): in-flight publishes get their
    // log's answer, and so their PUBACK or none.
    cleanup.defer(() => uplink.drained(10_000));

    // Its `subscribe` listener answers SUBACKs; it goes before command delivery's, which
    // sends held commands after them.
    const subscriptions = correctSubscriptions(broker, (client, topic) => {
      const deviceId = connections.deviceOf(client);
      return deviceId !== undefined && maySubscribe(deviceId, topic);
    });
    followConnections(broker, parts);
    const commands = startCommandDelivery({
      broker,
      hold: o.hold,
      deviceOf: (client) => connections.deviceOf(client),
      connectionOf: (deviceId) => connections.connectionOf(deviceId),
      commands: m.commands,
      logger: o.logger,
    });
    const sweep = startRevocationSweep({
      identity: o.identity,
      connections,
      everyMs: o.revocationCheckMs ?? 30_000,
      revokedDisconnects: m.revokedDisconnects,
      log,
    });
    if (sweep) cleanup.defer(() => clearInterval(sweep));

    const ports = await listen(o, parts, maxPacketBytes, {
      handle: (conn) => subscriptions.watch(broker.handle(conn)),
      cleanup,
    });

    return {
      ...ports,
      commandsMetric: m.commands,
      deliverCommand: (deviceId, payload) => commands.deliver(deviceId, payload),
      get connectedClients() {
        return broker.connectedClients;
      },
      async close() {
        await cleanup.close();
        log.info('MQTT listener closed');
      },
    };
  });
}

/** What the broker's hooks and listeners share within one gateway. */
interface Parts {
  log: Logger;
  m: GatewayMetrics;
  refusals: LimitedLog;
  connections: Connections;
}

/**
 * The listeners, every new connection of theirs let in through admission (the connection
 * gate's bounds, the packet-size guard) and then handed to the broker.
 */
async function listen(
  o: GatewayOptions,
  { log, m, refusals, connections }: Parts,
  maxPacketBytes: number,
  { handle, cleanup }: { handle(conn: Duplex): void; cleanup: CleanupStack },
): Promise<BoundPorts> {
  const gate = new ConnectionGate({
    maxConnections: o.maxConnections ?? 10_000,
    maxConnectionsPerAddress: o.maxConnectionsPerAddress ?? 1000,
    ratePerAddress: o.connectRatePerAddress ?? 50,
  });
  cleanup.defer(m.observe({ identity: o.identity, sockets: gate }));
  return startListeners(
    {
      host: o.host,
      port: o.port,
      maxPacketBytes,
      ...(o.webSocketPort === undefined ? {} : { webSocketPort: o.webSocketPort }),
      ...(o.tls ? { tls: o.tls } : {}),
    },
    admission({
      gate,
      maxPacketBytes,
      connections,
      connectionsRefused: m.connectionsRefused,
      refusals,
      handle,
    }),
    cleanup,
    log,
  );
}

/** aedes with the gateway's hooks: identity at CONNECT, the topic rules, the uplink path. */
function createBroker(
  id: string,
  identity: DeviceIdentity,
  { log, m, refusals, connections }: Parts,
  uplink: Uplink,
): Promise<Aedes> {
  const { aclDenials } = m;
  return Aedes.createBroker({
    id,
    maxClientsIdLength: 64,
    preConnect: preConnectHook(connections),
    authenticate: authenticateHook({
      identity,
      connections,
      authFailures: m.authFailures,
      refusals,
      log,
    }),
    authorizeSubscribe: authorizeSubscribeHook({ connections, aclDenials, refusals }),
    authorizeForward: authorizeForwardHook(connections),
    authorizePublish: authorizePublishHook({ connections, aclDenials, refusals, uplink }),
  });
}

/** Keeps the connection bookkeeping and its metrics up to the broker's connection events. */
function followConnections(broker: Aedes, { m, refusals, connections }: Parts): void {
  broker.on('client', (client) => {
    m.connections.inc();
    connections.ready(client);
  });
  broker.on('clientDisconnect', (client) => {
    m.connections.dec();
    connections.disconnected(client);
  });
  const onConnectionError = connectionErrorListener({
    connections,
    protocolErrors: m.protocolErrors,
    refusals,
  });
  broker.on('clientError', onConnectionError);
  broker.on('connectionError', onConnectionError);
}
