import type { CommandQueue, Counter, Logger } from '@fleetline/platform';
import { decodeCommand, mqttTopic } from '@fleetline/proto';
import type { Aedes, Client, PublishPacket, PubrelPacket } from 'aedes';

/**
 * Command delivery to devices connected here, and the held commands of devices that were
 * connected nowhere: when a device subscribes to its commands topic (or comes back with a
 * session that still has the subscription), it is sent every command held for it that it has
 * not acknowledged, in log order. Its PUBACK for a command — held or live — marks the command
 * acknowledged in the telemetry database, so no gateway sends it again.
 *
 * Which command a PUBACK stands for: with a persistent session aedes hands back the packet it
 * stored. With a clean session it stores nothing, so each connection keeps the command ids it
 * was sent, in order, and MQTT's rule that a client acknowledges QoS 1 messages in the order it
 * received them (MQTT 3.1.1 §4.6, MQTT 5 §4.6) pairs each PUBACK with the oldest one. Only the
 * commands topic carries QoS 1 messages to a device (the ACL lets it subscribe to nothing else).
 *
 * Delivery is at least once: a device may see a command twice (live and held, or after a
 * reconnect before its PUBACK arrived) and recognises it by its command id.
 */

export interface CommandDeliveryOptions {
  broker: Aedes;
  /** Where commands wait; without it, commands reach only devices connected when they come. */
  hold: CommandQueue | undefined;
  /** The device behind a connection, once it is authenticated. */
  deviceOf(client: Client): string | undefined;
  /** The device's current connection here, if any. */
  connectionOf(deviceId: string): Client | undefined;
  commands: Counter<'outcome'>;
  logger: Logger;
}

export interface CommandDelivery {
  /** Publishes a command (encoded) to the device, QoS 1; false when it is not connected here. */
  deliver(deviceId: string, payload: Uint8Array): Promise<boolean>;
}

export function startCommandDelivery(o: CommandDeliveryOptions): CommandDelivery {
  const log = o.logger.child({ component: 'commands' });
  const awaitingAck = new AwaitingAck();

  const publish = (client: Client, deviceId: string, payload: Uint8Array) => {
    const topic = mqttTopic(deviceId, 'commands');
    awaitingAck.sent(client, restoredSubscriptions(client)[topic], payload);
    return new Promise<void>((resolve, reject) =>
      o.broker.publish(
        { cmd: 'publish', topic, payload: Buffer.from(payload), qos: 1, retain: false, dup: false },
        (err) => (err ? reject(err) : resolve()),
      ),
    );
  };
  const serveHeld = heldCommands(o, publish, log);

  o.broker.on('subscribe', (subscriptions, client) => {
    const deviceId = client && o.deviceOf(client);
    if (!deviceId) return;
    const topic = mqttTopic(deviceId, 'commands');
    if (subscriptions.some((s) => s.topic === topic)) void serveHeld(client, deviceId);
  });
  // A persistent session brings its subscriptions back without a SUBSCRIBE.
  o.broker.on('clientReady', (client) => {
    const deviceId = o.deviceOf(client);
    if (deviceId && mqttTopic(deviceId, 'commands') in restoredSubscriptions(client)) {
      void serveHeld(client, deviceId);
    }
  });
  o.broker.on('ack', acknowledgements(o, awaitingAck, log));

  return {
    async deliver(deviceId, payload) {
      const client = o.connectionOf(deviceId);
      if (!client) return false;
      await publish(client, deviceId, payload);
      return true;
    },
  };
}

/**
 * Sends a device, once per connection, every command held for it that it has not
 * acknowledged, in log order; a device that subscribes again within the connection gets only
 * live commands.
 */
export function heldCommands(
  o: Pick<CommandDeliveryOptions, 'hold' | 'commands'>,
  publish: (client: Client, deviceId: string, payload: Uint8Array) => Promise<void>,
  log: Logger,
): (client: Client, deviceId: string) => Promise<void> {
  const served = new WeakSet<Client>();
  return async (client, deviceId) => {
    if (!o.hold || served.has(client)) return;
    served.add(client);
    let pending: Awaited<ReturnType<CommandQueue['pendingCommands']>>;
    try {
      pending = await o.hold.pendingCommands(deviceId, Date.now());
    } catch (err) {
      served.delete(client); // the next subscribe tries again
      log.warn({ err, deviceId }, 'held commands could not be read');
      return;
    }
    for (const command of pending) {
      if (client.closed) return;
      try {
        await publish(client, deviceId, command.payload);
        o.commands.inc({ outcome: 'delivered-held' });
        log.info({ deviceId, commandId: command.commandId }, 'held command delivered');
      } catch (err) {
        log.warn({ err, deviceId, commandId: command.commandId }, 'held command not delivered');
        return;
      }
    }
  };
}

/**
 * Which command a PUBACK stands for on a clean-session connection (aedes stores nothing there
 * to hand back): the command ids sent QoS 1 on it, oldest first, each PUBACK taking the oldest
 * (MQTT 3.1.1 §4.6).
 */
export class AwaitingAck {
  private readonly ids = new WeakMap<Client, string[]>();

  /** A command was published to the client on a subscription of its (if it has one). */
  sent(client: Client, subscription: { qos?: number } | undefined, payload: Uint8Array): void {
    // Clean sessions only: a persistent one gets its packet back with the PUBACK. A QoS 0
    // subscription gets no PUBACK at all.
    if (!client.clean || !subscription || (subscription.qos ?? 0) < 1) return;
    let ids = this.ids.get(client);
    if (!ids) {
      ids = [];
      this.ids.set(client, ids);
    }
    // Something that is not a command still takes its place in the PUBACK order.
    ids.push(commandIdOf(payload) ?? '');
  }

  /** The command id the client's next PUBACK stands for. */
  next(client: Client): string | undefined {
    return this.ids.get(client)?.shift();
  }
}

/** The broker's `ack` listener: a device's PUBACK for a command marks it acknowledged. */
function acknowledgements(
  o: Pick<CommandDeliveryOptions, 'deviceOf' | 'hold' | 'commands'>,
  awaitingAck: AwaitingAck,
  log: Logger,
) {
  // aedes's typings say a packet always comes; with a clean session none does.
  return (packet: PublishPacket | PubrelPacket | undefined, client: Client): void => {
    const deviceId = client && o.deviceOf(client);
    if (!deviceId) return;
    let commandId: string | undefined;
    if (packet) {
      if (packet.cmd !== 'publish' || packet.topic !== mqttTopic(deviceId, 'commands')) return;
      commandId = commandIdOf(packet.payload as Buffer);
    } else {
      commandId = awaitingAck.next(client);
    }
    if (!commandId) return;
    o.commands.inc({ outcome: 'acknowledged' });
    o.hold?.acknowledgeCommand(deviceId, commandId, Date.now()).catch((err: Error) => {
      // The command stays pending and comes again at the next subscribe: a duplicate, which
      // the device recognises by its command id.
      log.warn({ err, deviceId, commandId }, 'command acknowledgement could not be stored');
    });
  };
}

function commandIdOf(payload: Uint8Array): string | undefined {
  try {
    return decodeCommand(payload).commandId;
  } catch {
    return undefined;
  }
}

/**
 * The subscriptions of a connection (restored from its session, then kept up to date). aedes
 * keeps them on the client but leaves the field out of its typings.
 */
function restoredSubscriptions(client: Client): Record<string, { qos?: number } | undefined> {
  return (
    (client as Client & { subscriptions?: Record<string, { qos?: number }> }).subscriptions ?? {}
  );
}
