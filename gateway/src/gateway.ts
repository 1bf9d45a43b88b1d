import { once } from 'node:events';
import { createServer, type Server } from 'node:net';
import type { Duplex } from 'node:stream';
import { createServer as createTlsServer, type Server as TlsServer } from 'node:tls';
import {
  type CommandHold,
  Counter,
  Gauge,
  Histogram,
  type Logger,
  type LogProducer,
  PortInUseError,
  type Registry,
} from '@fleetline/platform';
import { Aedes, type Client } from 'aedes';
import { createWebSocketStream, WebSocketServer } from 'ws';
import { maySubscribe, publishTopicFor } from './acl.js';
import { routeUplink } from './bridge.js';
import { startCommandDelivery } from './command-delivery.js';
import { NotAuthorizedError } from './errors.js';
import { guardPacketSize } from './guarded-connection.js';
import type { DeviceIdentity, RefusalReason } from './identity.js';
import { TokenBuckets } from './token-buckets.js';

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
  /** Open connections beyond this are refused at accept. */
  maxConnections?: number;
  /** New connections per second from one address (token bucket: twice this as a burst). */
  connectRatePerAddress?: number;
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

export async function startGateway(o: GatewayOptions): Promise<RunningGateway> {
  const log = o.logger.child({ component: 'gateway' });
  const m = gatewayMetrics(o.metrics, o.identity);
  const deviceOf = new WeakMap<Client, string>();
  /**
   * Per connection: its source address and, over mutual TLS, the device id its verified
   * client certificate names.
   */
  const connectionInfo = new WeakMap<object, { address: string; certificateDeviceId?: string }>();
  let inFlight = 0;
  let drained: (() => void) | undefined;

  const broker = await Aedes.createBroker({
    id: o.gatewayId,
    maxClientsIdLength: 64,
    authenticate(client, username, password, done) {
      const info = connectionInfo.get(client.conn);
      o.identity
        .identify({
          clientId: client.id,
          username,
          password,
          address: info?.address ?? 'unknown',
          ...(info?.certificateDeviceId ? { certificateDeviceId: info.certificateDeviceId } : {}),
        })
        .then(
          (result) => {
            if ('refused' in result) {
              m.authFailures.inc({ reason: result.refused });
              log.warn(
                { clientId: client.id, username, reason: result.refused },
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
      log.warn(
        { deviceId, topic: sub.topic },
        'subscribe refused: not the device’s own commands topic',
      );
      // A null subscription answers SUBACK 0x80 (failure) without dropping the connection.
      done(null, null);
    },
    authorizePublish(client, packet, done) {
      // Wills of connections from this broker carry the client; wills recovered from other
      // brokers do not, and are checked against the topic alone.
      const deviceId = client ? deviceOf.get(client) : packet.topic.split('/')[1];
      const topic = deviceId ? publishTopicFor(deviceId, packet.topic) : undefined;
      if (!deviceId || !topic) {
        m.aclDenials.inc({ action: 'publish' });
        log.warn(
          { deviceId, topic: packet.topic },
          'publish refused: not one of the device’s own topics',
        );
        return done(new NotAuthorizedError(`${deviceId} may not publish to ${packet.topic}`));
      }
      const receivedAt = Date.now();
      const routed = routeUplink(
        topic,
        packet.topic,
        packet.payload as Buffer,
        o.gatewayId,
        receivedAt,
      );
      if (routed.outcome === 'dead-letter') {
        m.publishes.inc({ kind: topic.kind, outcome: 'dead-letter' });
        log.warn(
          { deviceId, topic: packet.topic, reason: routed.reason },
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
            { err, deviceId, topic: packet.topic },
            'log did not take the publish; no PUBACK, device will resend',
          );
          settle();
          done(err);
        },
      );
    },
  });

  function settle(): void {
    inFlight--;
    m.inFlight.dec();
    if (inFlight === 0) drained?.();
  }

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
  broker.on('clientError', (client, err) => {
    log.info({ clientId: client?.id, err: err.message }, 'client connection closed on error');
  });

  const commands = startCommandDelivery({
    broker,
    hold: o.hold,
    deviceOf: (client) => deviceOf.get(client),
    connectionOf: (deviceId) => connectionOf.get(deviceId),
    commands: m.commands,
    logger: o.logger,
  });

  const connectRate = o.connectRatePerAddress ?? 50;
  const limiter = new TokenBuckets(connectRate, 2 * connectRate);
  // At most ten refusal lines a minute per address: a flood must not flood the log too.
  const refusalLog = new TokenBuckets(10 / 60, 10);
  const maxPacketBytes = o.maxPacketBytes ?? 256 * 1024;
  /**
   * Every listener (TCP, TLS, WebSocket) hands its new connections here: the rate limit per
   * address, then the packet-size guard, then the broker.
   */
  const accept = (conn: Duplex, address: string, certificateDeviceId?: string) => {
    // Refused before any MQTT parsing or password hashing.
    if (!limiter.allow(address)) {
      m.connectionsRefused.inc({ reason: 'rate' });
      if (refusalLog.allow(address)) log.warn({ address }, 'connection refused: rate limit');
      conn.destroy();
      return;
    }
    guardPacketSize(conn, maxPacketBytes, (why) => {
      m.connectionsRefused.inc({ reason: 'oversized-packet' });
      log.warn({ address, why }, 'connection closed: packet too large');
    });
    connectionInfo.set(conn, certificateDeviceId ? { address, certificateDeviceId } : { address });
    broker.handle(conn);
  };
  const server: Server = createServer((socket) =>
    accept(socket, socket.remoteAddress ?? 'unknown'),
  );
  server.maxConnections = o.maxConnections ?? 100_000;
  server.on('drop', () => m.connectionsRefused.inc({ reason: 'max-connections' }));
  try {
    server.listen(o.port, o.host);
    await once(server, 'listening');
  } catch (err) {
    await new Promise<void>((r) => broker.close(() => r()));
    if ((err as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      throw new PortInUseError('MQTT', o.host, o.port, 'MQTT_PORT');
    }
    throw err;
  }
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : o.port;
  log.info({ host: o.host, port }, 'MQTT listener up');

  // Revocation reaches devices already connected: each gateway re-checks its own connections
  // against the registry (shared by every gateway), so no signal between gateways is needed.
  const stillAllowed = o.identity.stillAllowed?.bind(o.identity);
  let checking = false;
  const revocationTimer = stillAllowed
    ? setInterval(async () => {
        if (checking) return;
        checking = true;
        try {
          const connected = [...connectionOf];
          for (let i = 0; i < connected.length; i += 16) {
            await Promise.all(
              connected.slice(i, i + 16).map(async ([deviceId, client]) => {
                // A registry that cannot be read keeps devices connected: an outage of the
                // store must not disconnect the fleet; the next check decides.
                const allowed = await stillAllowed(deviceId).catch(() => true);
                if (allowed || connectionOf.get(deviceId) !== client) return;
                m.revokedDisconnects.inc();
                log.warn({ deviceId }, 'device revoked: disconnected');
                client.close();
              }),
            );
          }
        } finally {
          checking = false;
        }
      }, o.revocationCheckMs ?? 30_000)
    : undefined;
  revocationTimer?.unref();

  let wss: WebSocketServer | undefined;
  let webSocketPort: number | undefined;
  if (o.webSocketPort !== undefined) {
    wss = new WebSocketServer({
      host: o.host,
      port: o.webSocketPort,
      // A WebSocket message larger than the packet limit cannot carry an acceptable packet.
      maxPayload: maxPacketBytes,
      handleProtocols: (protocols) => (protocols.has('mqtt') ? 'mqtt' : false),
    });
    wss.on('connection', (ws, req) => {
      // A TCP server bounds its connections itself (maxConnections); a WebSocket server not.
      if (broker.connectedClients >= (o.maxConnections ?? 100_000)) {
        m.connectionsRefused.inc({ reason: 'max-connections' });
        ws.terminate();
        return;
      }
      accept(createWebSocketStream(ws), req.socket.remoteAddress ?? 'unknown');
    });
    try {
      await once(wss, 'listening');
    } catch (err) {
      server.close();
      await new Promise<void>((r) => broker.close(() => r()));
      if ((err as NodeJS.ErrnoException).code === 'EADDRINUSE') {
        throw new PortInUseError('MQTT over WebSocket', o.host, o.webSocketPort, 'MQTT_WS_PORT');
      }
      throw err;
    }
    const a = wss.address();
    webSocketPort = typeof a === 'object' && a ? a.port : o.webSocketPort;
    log.info({ host: o.host, port: webSocketPort }, 'MQTT over WebSocket listener up');
  }

  let tlsServer: TlsServer | undefined;
  let tlsPort: number | undefined;
  if (o.tls) {
    tlsServer = createTlsServer(
      {
        key: o.tls.key,
        cert: o.tls.cert,
        // A certificate is asked for but not required: devices without one use a password.
        ...(o.tls.ca ? { ca: o.tls.ca, requestCert: true, rejectUnauthorized: false } : {}),
        minVersion: 'TLSv1.2',
      },
      (socket) => {
        let certificateDeviceId: string | undefined;
        if (o.tls?.ca && socket.authorized) {
          const cn = socket.getPeerCertificate().subject?.CN;
          certificateDeviceId = typeof cn === 'string' ? cn : undefined;
        }
        accept(socket, socket.remoteAddress ?? 'unknown', certificateDeviceId);
      },
    );
    tlsServer.maxConnections = o.maxConnections ?? 100_000;
    tlsServer.on('drop', () => m.connectionsRefused.inc({ reason: 'max-connections' }));
    tlsServer.on('tlsClientError', (err, socket) => {
      const a = socket.remoteAddress ?? 'unknown';
      m.connectionsRefused.inc({ reason: 'tls-handshake' });
      if (refusalLog.allow(a)) log.warn({ address: a, err: err.message }, 'TLS handshake failed');
    });
    try {
      tlsServer.listen(o.tls.port, o.host);
      await once(tlsServer, 'listening');
    } catch (err) {
      server.close();
      await new Promise<void>((r) => broker.close(() => r()));
      if ((err as NodeJS.ErrnoException).code === 'EADDRINUSE') {
        throw new PortInUseError('MQTT over TLS', o.host, o.tls.port, 'MQTTS_PORT');
      }
      throw err;
    }
    const tlsAddress = tlsServer.address();
    tlsPort = typeof tlsAddress === 'object' && tlsAddress ? tlsAddress.port : o.tls.port;
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
      if (revocationTimer) clearInterval(revocationTimer);
      server.close();
      tlsServer?.close();
      wss?.close(); // stops accepting; open WebSocket connections end with the broker below
      if (inFlight > 0) {
        await Promise.race([
          new Promise<void>((r) => {
            drained = r;
          }),
          new Promise((r) => setTimeout(r, 10_000).unref()),
        ]);
      }
      await new Promise<void>((r) => broker.close(() => r()));
      log.info('MQTT listener closed');
    },
  };
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

function gatewayMetrics(registry: Registry, identity: DeviceIdentity) {
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
      help: 'Connections refused or cut before identity: rate limit, connection bound, oversized packet',
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
