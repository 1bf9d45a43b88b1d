import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import {
  type CommandHold,
  type Counter,
  LimitedLog,
  type Logger,
  type LogProducer,
  type Registry,
  startWithCleanup,
  TokenBuckets,
} from '@fleetline/platform';
import { FleetlineError } from '@fleetline/proto';
import { Aedes, type Client } from 'aedes';
import { maySubscribe, publishTopicFor } from './acl.js';
import { routeUplink } from './bridge.js';
import { startCommandDelivery } from './command-delivery.js';
import { addressKey, ConnectionGate } from './connection-gate.js';
import { NotAuthorizedError, OverRateError } from './errors.js';
import { gatewayMetrics } from './gateway-metrics.js';
import { guardPacketSize } from './guarded-connection.js';
import type { DeviceIdentity, RefusalReason } from './identity.js';
import { type ListenerHooks, listenTcp, listenTls, listenWebSocket } from './listeners.js';
import { checkRevocations } from './revocation.js';
import { correctSubscriptions } from './subscriptions.js';

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
  hold?: CommandHold;
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

/** Everything the gateway starts goes into one cleanup stack (see startWithCleanup). */
export function startGateway(o: GatewayOptions): Promise<RunningGateway> {
  return startWithCleanup(async (cleanup) => {
    const log = o.logger.child({ component: 'gateway' });
    const m = gatewayMetrics(o.metrics);
    // Refusals are logged through this: bounded lines, with counts of what was left out.
    const refusals = cleanup.adopt(new LimitedLog(log));
    const maxPacketBytes = o.maxPacketBytes ?? 256 * 1024;
    const deviceOf = new WeakMap<Client, string>();
    /**
     * Per connection: its source address and, over mutual TLS, the device id its verified
     * client certificate names.
     */
    const connectionInfo = new WeakMap<object, { address: string; certificateDeviceId?: string }>();
    const bytesPerMinute = o.deviceBytesPerMinute ?? 1024 * 1024;
    // A device may always send one packet of the largest size at once.
    const budget = new TokenBuckets(bytesPerMinute / 60, Math.max(bytesPerMinute, maxPacketBytes));
    let inFlight = 0;
    let drained: (() => void) | undefined;

    /** Connections whose CONNECT carried no client id (aedes then makes one up). */
    const withoutClientId = new WeakSet<Client>();

    const broker = await Aedes.createBroker({
      id: o.gatewayId,
      maxClientsIdLength: 64,
      preConnect(client, packet, callback) {
        if (!packet.clientId) withoutClientId.add(client);
        callback(null, true);
      },
      authenticate(client, username, password, done) {
        const info = connectionInfo.get(client.conn);
        const address = info?.address ?? 'unknown';
        if (withoutClientId.has(client)) {
          // The client id must be the device id, so a server-assigned one is refused with
          // CONNACK 0x02, identifier rejected (MQTT-3.1.3-8 for clean session 0, -9 for 1).
          m.authFailures.inc({ reason: 'no-client-id' });
          refusals.warn(
            address,
            { address, username, reason: 'no-client-id' },
            'connection refused',
          );
          const err = Object.assign(new Error('identifier rejected'), { returnCode: 2 as const });
          return done(err, false);
        }
        o.identity
          .identify({
            clientId: client.id,
            username,
            password,
            address,
            ...(info?.certificateDeviceId ? { certificateDeviceId: info.certificateDeviceId } : {}),
          })
          .then(
            (result) => {
              if ('refused' in result) {
                m.authFailures.inc({ reason: result.refused });
                refusals.warn(
                  address,
                  { address, clientId: client.id, username, reason: result.refused },
                  'connection refused',
                );
                const returnCode = connackCodeFor(result.refused);
                const err = Object.assign(new Error('not authorized'), { returnCode });
                return done(err as Error & { returnCode: typeof returnCode }, false);
              }
              deviceOf.set(client, result.deviceId);
              done(null, true);
            },
            (err: Error) => {
              log.error({ err, clientId: client.id }, 'identity check failed');
              done(Object.assign(err, { returnCode: 3 as const }), false);
            },
          );
      },
      authorizeSubscribe(client, sub, done) {
        const deviceId = deviceOf.get(client);
        if (deviceId && maySubscribe(deviceId, sub.topic)) return done(null, sub);
        m.aclDenials.inc({ action: 'subscribe' });
        refusals.warn(
          deviceId ?? client.id,
          { deviceId, topic: sub.topic },
          'subscribe refused: not the device’s own commands topic',
        );
        // A null subscription answers SUBACK 0x80 (failure) without dropping the connection.
        done(null, null);
      },
      // Nothing reaches a device outside its topic rules, whatever its session holds.
      authorizeForward(client, packet) {
        const deviceId = deviceOf.get(client);
        return deviceId && maySubscribe(deviceId, packet.topic) ? packet : null;
      },
      authorizePublish(client, packet, done) {
        // Wills of connections from this broker carry the client; wills recovered from other
        // brokers do not, and are checked against the topic alone.
        const deviceId = client ? deviceOf.get(client) : packet.topic.split('/')[1];
        const topic = deviceId ? publishTopicFor(deviceId, packet.topic) : undefined;
        if (!deviceId || !topic) {
          m.aclDenials.inc({ action: 'publish' });
          refusals.warn(
            deviceId ?? client?.id ?? 'unknown',
            { deviceId, topic: clipped(packet.topic) },
            'publish refused: not one of the device’s own topics',
          );
          return done(
            new NotAuthorizedError(`${deviceId} may not publish to ${clipped(packet.topic)}`),
          );
        }
        const payload = packet.payload as Buffer;
        // MQTT 3.1.1 has no negative PUBACK. Withholding the PUBACK on an open connection
        // would leave the device waiting until it reconnects anyway (it resends unacknowledged
        // publishes only then, MQTT-4.4.0-1), so the connection is closed at once: nothing of
        // this publish was stored or acknowledged, and the device's spool sends it again.
        if (!budget.allow(deviceId, payload.length)) {
          m.publishesRefused.inc({ reason: 'over-rate' });
          refusals.warn(
            deviceId,
            { deviceId, topic: clipped(packet.topic), bytes: payload.length, bytesPerMinute },
            'publish refused: past the device’s bytes a minute; connection closed without PUBACK',
          );
          return done(
            new OverRateError(`${deviceId} sent more than ${bytesPerMinute} bytes a minute`),
          );
        }
        const receivedAt = Date.now();
        const routed = routeUplink(
          topic,
          packet.topic,
          payload,
          o.gatewayId,
          receivedAt,
          o.maxClockAheadMs === undefined ? {} : { maxClockAheadMs: o.maxClockAheadMs },
        );
        if (routed.outcome === 'dead-letter') {
          m.publishes.inc({ kind: topic.kind, outcome: 'dead-letter' });
          m.publishesRefused.inc({ reason: routed.code });
          refusals.warn(
            deviceId,
            { deviceId, topic: clipped(packet.topic), reason: routed.reason, code: routed.code },
            'payload refused, dead-lettered',
          );
        }
        inFlight++;
        m.inFlight.inc();
        const stop = m.logLatency.startTimer();
        o.producer.send([routed.record]).then(
          () => {
            stop();
            if (routed.outcome === 'forward')
              m.publishes.inc({ kind: topic.kind, outcome: 'stored' });
            settle();
            done(null);
          },
          (err: Error) => {
            stop();
            m.publishes.inc({ kind: topic.kind, outcome: 'log-failed' });
            log.error(
              { err, deviceId, topic: clipped(packet.topic) },
              'log did not take the publish; no PUBACK, device will resend',
            );
            settle();
            done(err);
          },
        );
      },
    });
    cleanup.defer(() => new Promise<void>((r) => broker.close(() => r())));
    // Before the broker closes (the stack closes newest first): in-flight publishes get their
    // log's answer, and so their PUBACK or none.
    cleanup.defer(async () => {
      if (inFlight === 0) return;
      await Promise.race([
        new Promise<void>((r) => {
          drained = r;
        }),
        new Promise((r) => setTimeout(r, 10_000).unref()),
      ]);
    });

    function settle(): void {
      inFlight--;
      m.inFlight.dec();
      if (inFlight === 0) drained?.();
    }

    const subscriptions = correctSubscriptions(broker, (client, topic) => {
      const deviceId = deviceOf.get(client);
      return deviceId !== undefined && maySubscribe(deviceId, topic);
    });

    /** The connection of each device connected here (the newest, after a takeover). */
    const connectionOf = new Map<string, Client>();
    broker.on('client', (client) => {
      m.connections.inc();
      const deviceId = deviceOf.get(client);
      if (deviceId) connectionOf.set(deviceId, client);
    });
    broker.on('clientDisconnect', (client) => {
      m.connections.dec();
      const deviceId = deviceOf.get(client);
      if (deviceId && connectionOf.get(deviceId) === client) connectionOf.delete(deviceId);
    });
    // aedes names errors of connections that have not sent a valid CONNECT yet (bytes that
    // are not MQTT, a PUBLISH first, reserved flags set) connectionError, later ones
    // clientError: both are counted by reason and logged, within the refusal log's bounds.
    const onConnectionError = (client: Client | undefined, err: Error) => {
      // A refused CONNECT (it carries its CONNACK code) or publish (one of ours) was counted
      // and logged where it was refused.
      if ('returnCode' in err || err instanceof FleetlineError) return;
      const reason = connectionErrorReason(err);
      m.protocolErrors.inc({ reason });
      const address = client ? (connectionInfo.get(client.conn)?.address ?? 'unknown') : 'unknown';
      refusals.info(
        client?.id ?? address,
        { clientId: client?.id, address, reason, err: err.message },
        'client connection closed on error',
      );
    };
    broker.on('clientError', onConnectionError);
    broker.on('connectionError', onConnectionError);

    const commands = startCommandDelivery({
      broker,
      hold: o.hold,
      deviceOf: (client) => deviceOf.get(client),
      connectionOf: (deviceId) => connectionOf.get(deviceId),
      commands: m.commands,
      logger: o.logger,
    });

    const stillAllowed = o.identity.stillAllowed?.bind(o.identity);
    if (stillAllowed) {
      const timer = checkRevocations({
        stillAllowed,
        connections: () => [...connectionOf],
        isCurrent: (deviceId, client) => connectionOf.get(deviceId) === client,
        everyMs: o.revocationCheckMs ?? 30_000,
        onRevoked(deviceId, client) {
          m.revokedDisconnects.inc();
          log.warn({ deviceId }, 'device revoked: disconnected');
          client.close();
        },
      });
      cleanup.defer(() => clearInterval(timer));
    }

    const gate = new ConnectionGate({
      maxConnections: o.maxConnections ?? 10_000,
      maxConnectionsPerAddress: o.maxConnectionsPerAddress ?? 1000,
      ratePerAddress: o.connectRatePerAddress ?? 50,
    });
    cleanup.defer(m.observe({ identity: o.identity, sockets: gate }));
    /**
     * Every listener shows its raw sockets here first: the rate and the connection bounds,
     * before any TLS handshake, MQTT parsing or password check.
     */
    const hooks: ListenerHooks = {
      admit(socket: Socket) {
        const address = addressKey(socket.remoteAddress);
        const entered = gate.enter(address);
        if ('refused' in entered) {
          m.connectionsRefused.inc({ reason: entered.refused });
          refusals.warn(
            address,
            { address, reason: entered.refused },
            'connection refused before CONNECT',
          );
          socket.destroy();
          return false;
        }
        socket.once('close', entered.release);
        return true;
      },
      accept(conn: Duplex, remoteAddress, certificateDeviceId) {
        const address = addressKey(remoteAddress);
        guardPacketSize(conn, maxPacketBytes, (why) => {
          m.connectionsRefused.inc({ reason: 'oversized-packet' });
          refusals.warn(address, { address, why }, 'connection closed: packet too large');
        });
        connectionInfo.set(
          conn,
          certificateDeviceId ? { address, certificateDeviceId } : { address },
        );
        subscriptions.watch(broker.handle(conn));
      },
    };

    const port = await listenTcp(
      { host: o.host, port: o.port, what: 'MQTT', envVar: 'MQTT_PORT' },
      hooks,
      cleanup,
    );
    log.info({ host: o.host, port }, 'MQTT listener up');

    let webSocketPort: number | undefined;
    if (o.webSocketPort !== undefined) {
      webSocketPort = await listenWebSocket(
        {
          host: o.host,
          port: o.webSocketPort,
          what: 'MQTT over WebSocket',
          envVar: 'MQTT_WS_PORT',
        },
        maxPacketBytes,
        hooks,
        cleanup,
      );
      log.info({ host: o.host, port: webSocketPort }, 'MQTT over WebSocket listener up');
    }

    let tlsPort: number | undefined;
    if (o.tls) {
      tlsPort = await listenTls(
        { host: o.host, port: o.tls.port, what: 'MQTT over TLS', envVar: 'MQTTS_PORT' },
        {
          key: o.tls.key,
          cert: o.tls.cert,
          ...(o.tls.ca ? { ca: o.tls.ca } : {}),
          onHandshakeError(err, remoteAddress) {
            const address = addressKey(remoteAddress);
            m.connectionsRefused.inc({ reason: 'tls-handshake' });
            refusals.warn(address, { address, err: err.message }, 'TLS handshake failed');
          },
        },
        hooks,
        cleanup,
      );
      log.info({ host: o.host, port: tlsPort, mutualTls: !!o.tls.ca }, 'MQTT over TLS listener up');
    }

    return {
      port,
      tlsPort,
      webSocketPort,
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

/**
 * The CONNACK return code of a refusal (MQTT 3.1.1 §3.2.2.3). A wrong password and an unknown
 * id get the same code (4, bad user name or password), so the code does not tell which ids
 * exist; a device asked to come back later gets 3 (server unavailable); the rest, 5 (not
 * authorized).
 */
function connackCodeFor(reason: RefusalReason): 3 | 4 | 5 {
  switch (reason) {
    case 'bad-password':
    case 'unknown-device':
      return 4;
    case 'busy':
    case 'throttled':
      return 3;
    default:
      return 5;
  }
}

/**
 * A topic as logged: a hostile client's topic may be 64 KiB long (MQTT allows it), and a log
 * line is no place for that.
 */
function clipped(topic: string): string {
  return topic.length <= 160 ? topic : `${topic.slice(0, 160)}… (${topic.length} characters)`;
}

/** Why a connection closed on an error, for the protocol-error counter. */
function connectionErrorReason(
  err: Error & { code?: string },
): 'protocol' | 'connect-timeout' | 'keepalive-timeout' | 'reset' {
  if (err.message === 'connect did not arrive in time') return 'connect-timeout';
  if (err.message === 'keep alive timeout') return 'keepalive-timeout';
  if (
    err.code === 'ECONNRESET' ||
    err.code === 'EPIPE' ||
    err.code === 'ERR_STREAM_PREMATURE_CLOSE' ||
    err.code === 'ERR_STREAM_DESTROYED'
  ) {
    return 'reset';
  }
  return 'protocol';
}
