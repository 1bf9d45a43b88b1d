import type {
  ConsumeOptions,
  Log,
  LogConsumer,
  LogProducer,
  LogTail,
  TailOptions,
  TopicPartition,
  TopicSpec,
} from './port.js';

/**
 * A Log whose topic names all carry a prefix, so several Fleetline installations (or test
 * runs) can share one Kafka cluster. Callers keep using the plain names.
 */
export function withTopicPrefix(log: Log, prefix: string): Log {
  if (!prefix) return log;
  const add = (topic: string) => `${prefix}${topic}`;
  const strip = <T extends { readonly topic: string }>(r: T): T =>
    r.topic.startsWith(prefix) ? { ...r, topic: r.topic.slice(prefix.length) } : r;
  return {
    kind: log.kind,
    ensureTopics: (topics: readonly TopicSpec[]) =>
      log.ensureTopics(topics.map((t) => ({ ...t, name: add(t.name) }))),
    async createProducer(): Promise<LogProducer> {
      const producer = await log.createProducer();
      return {
        send: (records) => producer.send(records.map((r) => ({ ...r, topic: add(r.topic) }))),
        close: () => producer.close(),
      };
    },
    consume: (options: ConsumeOptions): Promise<LogConsumer> =>
      log.consume({
        ...options,
        topics: options.topics.map(add),
        ...(options.urgentTopics ? { urgentTopics: options.urgentTopics.map(add) } : {}),
        handle: (records) => options.handle(records.map(strip)),
        onAssigned:
          options.onAssigned &&
          ((partitions: readonly TopicPartition[]) => options.onAssigned?.(partitions.map(strip))),
      }),
    async tail(options: TailOptions): Promise<LogTail> {
      const tail = await log.tail({
        ...options,
        topics: options.topics.map(add),
        handle: (records) => options.handle(records.map(strip)),
      });
      return { partitions: tail.partitions.map(strip), close: () => tail.close() };
    },
    close: () => log.close(),
  };
}
