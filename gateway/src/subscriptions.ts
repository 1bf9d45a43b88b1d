import type { EventEmitter } from 'node:events';
import type { Aedes, Client, Subscription } from 'aedes';
import mqttPacket from 'mqtt-packet';

/**
 * Two corrections to how aedes 1.2 handles SUBSCRIBE, both about filters a packet names more
 * than once or that the topic rules refuse.
 *
 * One SUBACK code per filter. MQTT 3.1.1 handles a SUBSCRIBE of several filters as that many
 * SUBSCRIBEs in a row (MQTT-3.8.4-4), answered by one SUBACK with a return code for each
 * filter, in order (MQTT-3.8.4-5, MQTT-3.9.3-1). aedes merges a filter named twice into one
 * subscription before answering, and so answers fewer codes than filters — a client matching
 * codes to its filters then reads the wrong ones. For such a packet the gateway lets aedes
 * subscribe without answering (no packet id) and answers itself once aedes is done: a filter's
 * code is its requested QoS if the filter was granted, 0x80 if refused; the later occurrence
 * of a filter replaces the earlier, as the sequence would (MQTT-3.8.4-3).
 *
 * No refused filter in a session. With a persistent session aedes stores the packet's whole
 * filter list once any filter is granted, refused ones included, and queues messages on them
 * for the session while the device is away: a device could read another device's commands by
 * asking for its topic, being refused, and reconnecting. Only filters the rules allow are
 * stored, and nothing is forwarded to a device outside the rules in any case.
 */

interface SubscribePacket {
  cmd: 'subscribe';
  messageId?: number;
  subscriptions: { topic: string; qos: number }[];
}

/** A SUBSCRIBE the gateway answers itself, until aedes has subscribed its filters. */
interface Pending {
  messageId: number;
  filters: { topic: string; qos: number }[];
  /** The distinct topics, as aedes will report them in its `subscribe` event. */
  distinct: string;
}

export function correctSubscriptions(
  broker: Aedes,
  mayHave: (client: Client, topic: string) => boolean,
): { watch(client: Client): void } {
  const pending = new WeakMap<Client, Pending[]>();

  broker.on('subscribe', (subscriptions: Subscription[], client: Client) => {
    const queue = client && pending.get(client);
    if (!queue) return;
    const distinct = subscriptions.map((s) => s.topic).join('\n');
    const i = queue.findIndex((p) => p.distinct === distinct);
    if (i < 0) return;
    const [p] = queue.splice(i, 1) as [Pending];
    // aedes reports each filter's granted QoS, 0x80 for a refused one, in `qos`.
    const granted = new Map<string, number>(subscriptions.map((s) => [s.topic, s.qos]));
    const codes = p.filters.map((f) => (granted.get(f.topic) === 0x80 ? 0x80 : f.qos));
    client.conn.write(
      mqttPacket.generate({ cmd: 'suback', messageId: p.messageId, granted: codes }),
    );
  });

  // Filters stored with a persistent session: only those the rules allow.
  // The broker's persistence is not in aedes's typings.
  const { persistence } = broker as unknown as {
    persistence: { addSubscriptions(client: Client, subs: Subscription[]): Promise<unknown> };
  };
  const addSubscriptions = persistence.addSubscriptions.bind(persistence);
  persistence.addSubscriptions = (client, subs) =>
    addSubscriptions(
      client,
      subs.filter((s) => mayHave(client, s.topic)),
    );

  return {
    /** Takes the SUBSCRIBEs of a new connection before aedes does (see above). */
    watch(client: Client) {
      // aedes reads packets through the connection's parser; its `packet` listener hands them
      // to the broker. The gateway's goes first.
      const parser = (client as unknown as { _parser?: EventEmitter })._parser;
      // Another aedes may read packets otherwise: then it answers as it does (the SUBSCRIBE
      // tests say so), and a new connection is never failed over it.
      if (typeof parser?.listeners !== 'function') return;
      const handlers = parser.listeners('packet') as ((packet: unknown) => void)[];
      parser.removeAllListeners('packet');
      parser.on('packet', (packet: { cmd: string }) => {
        if (packet.cmd === 'subscribe') answerRepeatsOurselves(client, packet as SubscribePacket);
        for (const handle of handlers) handle.call(parser, packet);
      });
    },
  };

  function answerRepeatsOurselves(client: Client, packet: SubscribePacket): void {
    const topics = packet.subscriptions.map((s) => s.topic);
    const distinct = [...new Set(topics)];
    if (distinct.length === topics.length || packet.messageId === undefined) return;
    // aedes keeps the last occurrence of each filter, in the order of first occurrences.
    const last = new Map(packet.subscriptions.map((s) => [s.topic, s]));
    let queue = pending.get(client);
    if (!queue) {
      queue = [];
      pending.set(client, queue);
    }
    queue.push({
      messageId: packet.messageId,
      filters: packet.subscriptions.map((s) => ({ topic: s.topic, qos: s.qos })),
      distinct: [...last.keys()].join('\n'),
    });
    packet.messageId = undefined;
  }
}
