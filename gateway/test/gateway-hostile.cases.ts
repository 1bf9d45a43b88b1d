import { gen, type Raw } from './raw-connection.js';

/**
 * The malformed and hostile inputs of gateway-hostile.test.ts, one refusal each: what is
 * sent, and what the gateway must answer and log. Each is built from the suite's tools, so it
 * reads as the bytes it sends.
 */

export interface Refusal {
  what: string;
  /** Sends the hostile bytes; resolves with the connection to watch. */
  act(): Promise<Raw>;
  /** The CONNACK code MQTT 3.1.1 prescribes, when the refusal is one; else the connection closes. */
  connack?: number;
  /** Refused at CONNECT: the connection is never accepted (no CONNACK 0). */
  atConnect?: true;
  /** What the log line must say. */
  log: RegExp;
}

/** What the cases send with, from the suite's fixture. */
export interface HostileTools {
  /** A raw connection to the gateway, nothing sent yet. */
  open(): Promise<Raw>;
  /** The bad device's own connection, connected (CONNACK 0). */
  connectedBad(): Promise<Raw>;
  connectPacket(clientId: string, extra?: Record<string, unknown>): Buffer;
  publishPacket(topic: string, payload: Uint8Array, messageId?: number): Buffer;
  /** The bad device's topic `v1/{bad device}/{suffix}`. */
  bad(suffix: string): string;
  /** A valid telemetry batch of the bad device. */
  telemetry(): Uint8Array;
  badDeviceId: string;
  /** The gateway's packet limit. */
  maxPacketBytes: number;
}

export function hostileCases(t: HostileTools): Refusal[] {
  const { open, connectedBad, connectPacket, publishPacket, bad, telemetry } = t;
  const BAD = t.badDeviceId;
  const MAX_PACKET = t.maxPacketBytes;
  return [
    {
      what: 'a remaining length of five bytes (MQTT §2.2.3 allows four)',
      act: async () => {
        const raw = await connectedBad();
        await raw.send(Uint8Array.of(0x30, 0xff, 0xff, 0xff, 0xff, 0x01));
        return raw;
      },
      log: /remaining length/,
    },
    {
      what: 'a packet over the size limit',
      act: async () => {
        const raw = await connectedBad();
        await raw.send(publishPacket(bad('telemetry'), new Uint8Array(MAX_PACKET * 2)));
        return raw;
      },
      log: /exceeds the limit/,
    },
    {
      what: 'ill-formed UTF-8 in the PUBLISH topic (MQTT-1.5.3-1)',
      act: async () => {
        const raw = await connectedBad();
        // The topic's bytes: "v1/bad-1/telemetry" with its "e" replaced by 0xFF.
        const topic = Buffer.from(bad('telemetry'));
        const packet = Buffer.from(publishPacket(bad('telemetry'), telemetry()));
        packet[packet.indexOf(topic) + topic.indexOf('e')] = 0xff;
        await raw.send(packet);
        return raw;
      },
      log: /utf-?8|own topics/i,
    },
    {
      what: 'ill-formed UTF-8 in the client id (MQTT-1.5.3-1)',
      act: async () => {
        const raw = await open();
        const packet = Buffer.from(connectPacket(BAD));
        packet[packet.indexOf(Buffer.from(BAD))] = 0xc0; // "bad-1" → 0xC0 "ad-1": an overlong lead byte
        await raw.send(packet);
        return raw;
      },
      atConnect: true,
      log: /utf-?8|client.?id|identifier/i,
    },
    {
      what: 'a PUBLISH with QoS 3 (MQTT-3.3.1-4)',
      act: async () => {
        const raw = await connectedBad();
        const packet = Buffer.from(publishPacket(bad('telemetry'), telemetry()));
        packet[0] = 0x36; // QoS bits 11
        await raw.send(packet);
        return raw;
      },
      log: /qos/i,
    },
    {
      what: 'a SUBSCRIBE with reserved flags 0000 instead of 0010 (MQTT-3.8.1-1)',
      act: async () => {
        const raw = await connectedBad();
        const packet = Buffer.from(
          gen({
            cmd: 'subscribe',
            messageId: 7,
            subscriptions: [{ topic: bad('commands'), qos: 1 }],
          }),
        );
        packet[0] = 0x80;
        await raw.send(packet);
        return raw;
      },
      log: /flag|reserved|header/i,
    },
    {
      what: 'a CONNECT with its reserved flag set (MQTT-3.1.2-3)',
      act: async () => {
        const raw = await open();
        const packet = Buffer.from(connectPacket(BAD));
        const flags = packet.indexOf(Buffer.from('MQTT')) + 5; // after the name and the level
        packet[flags] = (packet[flags] as number) | 0x01; // reserved bit 0
        await raw.send(packet);
        return raw;
      },
      atConnect: true,
      log: /flag|reserved|connect/i,
    },
    {
      what: 'a PUBLISH before CONNECT (MQTT-3.1.0-1)',
      act: async () => {
        const raw = await open();
        await raw.send(publishPacket(bad('telemetry'), telemetry()));
        return raw;
      },
      atConnect: true,
      log: /protocol|connect/i,
    },
    {
      what: 'a second CONNECT (MQTT-3.1.0-2)',
      act: async () => {
        const raw = await connectedBad();
        await raw.send(connectPacket(BAD));
        return raw;
      },
      log: /protocol|connect/i,
    },
    {
      what: 'a wildcard in a PUBLISH topic (MQTT-3.3.2-2)',
      act: async () => {
        const raw = await connectedBad();
        await raw.send(publishPacket(`v1/${BAD}/+`, telemetry()));
        return raw;
      },
      log: /wildcard|\+ is not allowed/i,
    },
    {
      what: 'a huge PUBLISH topic',
      act: async () => {
        const raw = await connectedBad();
        await raw.send(publishPacket(bad('x'.repeat(MAX_PACKET - 200)), telemetry()));
        return raw;
      },
      log: /topic/,
    },
    {
      what: 'a zero-length client id with clean session 0 (MQTT-3.1.3-8)',
      act: async () => {
        const raw = await open();
        // mqtt-packet will not build it: built with clean session 1, then the flag cleared.
        const packet = Buffer.from(connectPacket(BAD, { clientId: '' }));
        const flags = packet.indexOf(Buffer.from('MQTT')) + 5;
        packet[flags] = (packet[flags] as number) & ~0x02;
        await raw.send(packet);
        return raw;
      },
      connack: 2,
      atConnect: true,
      log: /client.?id|identifier/i,
    },
  ];
}
