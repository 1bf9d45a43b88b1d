import { once } from 'node:events';
import { createServer as createHttpServer } from 'node:http';
import { createServer, type Server, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { createServer as createTlsServer, type TLSSocket } from 'node:tls';
import { type CleanupStack, type Logger, PortInUseError } from '@fleetline/platform';
import { createWebSocketStream, WebSocketServer } from 'ws';

/**
 * The gateway's listeners — MQTT over TCP, over TLS, over WebSocket — each started into the
 * gateway's cleanup stack the moment it is bound, so a listener that cannot bind leaves none
 * of the others behind. Every one shows each new raw socket to `admit` first, before a TLS
 * handshake or a WebSocket upgrade is spent on it; a socket it refuses is destroyed there.
 */

export interface ListenerHooks {
  /** Whether a new raw socket may come in; it is destroyed at once when not. */
  admit(socket: Socket): boolean;
  /** An admitted connection's MQTT byte stream, with its source address. */
  accept(conn: Duplex, address: string | undefined, certificateDeviceId?: string): void;
}

/** Where a listener binds, and how to name it when the port is taken. */
export interface Bind {
  host: string;
  port: number;
  what: string;
  envVar: string;
}

async function bind(server: Server, b: Bind, cleanup: CleanupStack): Promise<number> {
  server.listen(b.port, b.host);
  try {
    await once(server, 'listening');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      throw new PortInUseError(b.what, b.host, b.port, b.envVar);
    }
    throw err;
  }
  // Stops accepting; open connections end with the broker, which closes after the listeners.
  cleanup.defer(() => {
    server.close();
  });
  const address = server.address();
  return typeof address === 'object' && address ? address.port : b.port;
}

export function listenTcp(b: Bind, hooks: ListenerHooks, cleanup: CleanupStack): Promise<number> {
  const server = createServer((socket) => {
    if (hooks.admit(socket)) hooks.accept(socket, socket.remoteAddress);
  });
  return bind(server, b, cleanup);
}

export interface TlsListenerOptions {
  key: Buffer;
  cert: Buffer;
  /** Devices may present a client certificate signed by it (its CN is their device id). */
  ca?: Buffer;
  /** A handshake that failed on an admitted socket. */
  onHandshakeError(err: Error, address: string | undefined): void;
}

export function listenTls(
  b: Bind,
  tls: TlsListenerOptions,
  hooks: ListenerHooks,
  cleanup: CleanupStack,
): Promise<number> {
  const refused = new WeakSet<Socket>();
  const server = createTlsServer(
    {
      key: tls.key,
      cert: tls.cert,
      // A certificate is asked for but not required: devices without one use a password.
      ...(tls.ca ? { ca: tls.ca, requestCert: true, rejectUnauthorized: false } : {}),
      minVersion: 'TLSv1.2',
    },
    (socket: TLSSocket) => {
      let certificateDeviceId: string | undefined;
      if (tls.ca && socket.authorized) {
        const cn = socket.getPeerCertificate().subject?.CN;
        certificateDeviceId = typeof cn === 'string' ? cn : undefined;
      }
      hooks.accept(socket, socket.remoteAddress, certificateDeviceId);
    },
  );
  // The raw socket, before the TLS server wraps it and starts the handshake.
  server.prependListener('connection', (socket: Socket) => {
    if (!hooks.admit(socket)) refused.add(socket);
  });
  server.on('tlsClientError', (err, socket) => {
    // A refused socket was destroyed before its handshake, and the TLS socket around it
    // (`_parent` is the socket it wraps) reports a hang-up: not a handshake failure.
    if (refused.has((socket as TLSSocket & { _parent?: Socket })._parent ?? socket)) return;
    tls.onHandshakeError(err, socket.remoteAddress);
  });
  return bind(server, b, cleanup);
}

export function listenWebSocket(
  b: Bind,
  maxPayload: number,
  hooks: ListenerHooks,
  cleanup: CleanupStack,
): Promise<number> {
  // An HTTP server of the gateway's own, so its raw sockets go through `admit` before the
  // upgrade; `ws` serves the upgrades on it.
  const server = createHttpServer();
  server.on('connection', (socket: Socket) => {
    hooks.admit(socket);
  });
  // Anything but an upgrade is answered at once (as `ws` does on a server of its own), so a
  // plain HTTP request does not hold its connection.
  server.on('request', (_req, res) => {
    res.writeHead(426, { 'content-type': 'text/plain', connection: 'close' });
    res.end('MQTT over WebSocket only (subprotocol mqtt)\n');
  });
  const wss = new WebSocketServer({
    server,
    // A WebSocket message larger than the packet limit cannot carry an acceptable packet.
    maxPayload,
    handleProtocols: (protocols) => (protocols.has('mqtt') ? 'mqtt' : false),
  });
  wss.on('connection', (ws, req) =>
    hooks.accept(createWebSocketStream(ws), req.socket.remoteAddress),
  );
  // `ws` re-emits the server's errors; binding errors are the server's own to report.
  wss.on('error', () => {});
  cleanup.defer(() => {
    wss.close(); // open WebSocket connections end with the broker
  });
  return bind(server, b, cleanup);
}

/** Where the gateway listens: MQTT over TCP always, over WebSocket and TLS when configured. */
export interface ListenerOptions {
  host: string;
  port: number;
  /** MQTT over WebSocket (subprotocol `mqtt`) on this port, at any path. */
  webSocketPort?: number;
  /** MQTT over TLS; with `ca`, devices may present a client certificate signed by it. */
  tls?: { port: number; key: Buffer; cert: Buffer; ca?: Buffer };
  /** Largest MQTT packet accepted; a WebSocket message cannot be larger either. */
  maxPacketBytes: number;
}

export interface BoundPorts {
  port: number;
  tlsPort: number | undefined;
  webSocketPort: number | undefined;
}

/**
 * Starts every configured listener — TCP, then WebSocket, then TLS — each into the cleanup
 * stack as soon as it is bound, and logs each one up.
 */
export async function startListeners(
  o: ListenerOptions,
  hooks: ListenerHooks & Pick<TlsListenerOptions, 'onHandshakeError'>,
  cleanup: CleanupStack,
  log: Logger,
): Promise<BoundPorts> {
  const { host } = o;
  const port = await listenTcp(
    { host, port: o.port, what: 'MQTT', envVar: 'MQTT_PORT' },
    hooks,
    cleanup,
  );
  log.info({ host, port }, 'MQTT listener up');

  let webSocketPort: number | undefined;
  if (o.webSocketPort !== undefined) {
    webSocketPort = await listenWebSocket(
      { host, port: o.webSocketPort, what: 'MQTT over WebSocket', envVar: 'MQTT_WS_PORT' },
      o.maxPacketBytes,
      hooks,
      cleanup,
    );
    log.info({ host, port: webSocketPort }, 'MQTT over WebSocket listener up');
  }

  let tlsPort: number | undefined;
  if (o.tls) {
    tlsPort = await listenTls(
      { host, port: o.tls.port, what: 'MQTT over TLS', envVar: 'MQTTS_PORT' },
      {
        key: o.tls.key,
        cert: o.tls.cert,
        ...(o.tls.ca ? { ca: o.tls.ca } : {}),
        onHandshakeError: (err, remoteAddress) => hooks.onHandshakeError(err, remoteAddress),
      },
      hooks,
      cleanup,
    );
    log.info({ host, port: tlsPort, mutualTls: !!o.tls.ca }, 'MQTT over TLS listener up');
  }
  return { port, tlsPort, webSocketPort };
}
