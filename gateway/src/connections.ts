import type { Client } from 'aedes';

/**
 * The gateway's bookkeeping of its connections, from the raw stream a listener accepted to
 * the device it authenticated as: where each connection comes from, which device it is, and
 * which connection is each device's current one here. Every topic check reads the device
 * pinned here at CONNECT, never what a packet claims. No I/O: the hooks and the broker's
 * events tell it what happened.
 */

/** What a listener knows of a connection before its CONNECT. */
export interface ConnectionInfo {
  /** The source address, as limits are kept by it (see addressKey). */
  address: string;
  /** Over mutual TLS: the device id the verified client certificate names. */
  certificateDeviceId?: string;
}

export class Connections {
  /** By the connection's byte stream: aedes makes the Client only once it reads from it. */
  private readonly infoByStream = new WeakMap<object, ConnectionInfo>();
  /** Connections whose CONNECT carried no client id (aedes then makes one up). */
  private readonly withoutClientId = new WeakSet<Client>();
  private readonly deviceByClient = new WeakMap<Client, string>();
  /** The connection of each device connected here (the newest, after a takeover). */
  private readonly clientByDevice = new Map<string, Client>();

  /** A listener accepted a connection's byte stream. */
  accepted(stream: object, info: ConnectionInfo): void {
    this.infoByStream.set(stream, info);
  }

  /** What the listener knew of the client's connection. */
  info(client: Client): ConnectionInfo | undefined {
    return this.infoByStream.get(client.conn);
  }

  /** The client's source address, 'unknown' for a connection no listener reported. */
  addressOf(client: Client): string {
    return this.info(client)?.address ?? 'unknown';
  }

  /** The CONNECT carried no client id. */
  connectedWithoutClientId(client: Client): void {
    this.withoutClientId.add(client);
  }

  hasNoClientId(client: Client): boolean {
    return this.withoutClientId.has(client);
  }

  /** The identity answered: this connection is that device. */
  authenticated(client: Client, deviceId: string): void {
    this.deviceByClient.set(client, deviceId);
  }

  /** The device an authenticated connection is; undefined before (or without) that. */
  deviceOf(client: Client): string | undefined {
    return this.deviceByClient.get(client);
  }

  /** The connection is ready (aedes `client`): it becomes its device's current one here. */
  ready(client: Client): void {
    const deviceId = this.deviceByClient.get(client);
    if (deviceId) this.clientByDevice.set(deviceId, client);
  }

  /** The connection ended (aedes `clientDisconnect`). A newer one of its device stays. */
  disconnected(client: Client): void {
    const deviceId = this.deviceByClient.get(client);
    if (deviceId && this.clientByDevice.get(deviceId) === client) {
      this.clientByDevice.delete(deviceId);
    }
  }

  /** The device's current connection here, if it has one. */
  connectionOf(deviceId: string): Client | undefined {
    return this.clientByDevice.get(deviceId);
  }

  /** Whether this is still the device's connection here (not replaced by a newer one). */
  isCurrent(deviceId: string, client: Client): boolean {
    return this.clientByDevice.get(deviceId) === client;
  }

  /** The devices connected here now, with their connections. */
  devices(): [string, Client][] {
    return [...this.clientByDevice];
  }
}
