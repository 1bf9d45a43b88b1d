import { type Socket, connect as tcpConnect } from 'node:net';
import mqttPacket, { type IConnackPacket, type Packet } from 'mqtt-packet';
import { eventually } from '../../test-support/infra.js';

/**
 * A raw MQTT connection for hostile-input tests, byte for byte: it writes whatever bytes it is
 * given (well-formed or not) and keeps every packet it reads back.
 */
export class Raw {
  readonly packets: Packet[] = [];
  closed = false;
  readonly socket: Socket;
  private readonly parser = mqttPacket.parser({ protocolVersion: 4 });

  private constructor(socket: Socket) {
    this.socket = socket;
    socket.setNoDelay(true);
    this.parser.on('packet', (p) => this.packets.push(p));
    this.parser.on('error', () => {});
    socket.on('data', (d) => this.parser.parse(d));
    socket.on('close', () => {
      this.closed = true;
    });
    socket.on('error', () => {});
  }

  static async open(port: number): Promise<Raw> {
    const socket = tcpConnect(port, '127.0.0.1');
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('error', reject);
    });
    return new Raw(socket);
  }

  send(bytes: Uint8Array): Promise<void> {
    return new Promise((resolve) => {
      if (this.closed || this.socket.destroyed) return resolve();
      this.socket.write(bytes, () => resolve());
    });
  }

  /** One byte per write, each handed to the kernel before the next. */
  async sendByteByByte(bytes: Uint8Array): Promise<void> {
    for (const b of bytes) await this.send(Uint8Array.of(b));
  }

  connack(): IConnackPacket | undefined {
    return this.packets.find((p): p is IConnackPacket => p.cmd === 'connack');
  }

  async closedByGateway(what: string): Promise<void> {
    await eventually(
      () => this.closed,
      `the gateway to close the connection (${what})`,
      10_000,
      10,
    );
  }

  destroy(): void {
    this.socket.destroy();
  }
}

/** A packet's bytes, from mqtt-packet's object form (any fields, to build broken ones). */
export const gen = (p: Record<string, unknown>) => mqttPacket.generate(p as unknown as Packet);
