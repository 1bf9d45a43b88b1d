import type {
  ConsumeOptions,
  Log,
  LogConsumer,
  LogProducer,
  LogRecord,
  TopicSpec,
} from './port.js';

/**
 * A Log whose topic names all carry a prefix, so several Fleetline installations (or test
 * runs) can share one Kafka cluster. Callers keep using the plain names.
 */
export function withTopicPrefix(log: Log, prefix: string): Log {
  if (!prefix) return log;
  const add = (topic: string) => `${prefix}${topic}`;
  const strip = (r: LogRecord): LogRecord =>
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
        handle: (records) => options.handle(records.map(strip)),
        onAssigned:
          options.onAssigned &&
          ((partitions) =>
            options.onAssigned?.(
              partitions.map((p) =>
                p.topic.startsWith(prefix) ? { ...p, topic: p.topic.slice(prefix.length) } : p,
              ),
            )),
      }),
    close: () => log.close(),
  };
}
