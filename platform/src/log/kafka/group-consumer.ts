import {
  Consumer,
  MessagesStreamFallbackModes,
  MessagesStreamModes,
  stringDeserializer,
} from '@platformatic/kafka';
import { kafkaLogError } from '../../failures/kafka.js';
import type { ConsumeOptions } from '../port.js';
import { Assignment, coPartitionedAssigner } from './assignment.js';
import { BatchPump } from './batch-pump.js';
import { commitHandled } from './commit.js';
import type { ConnectionOptions } from './connection.js';
import { type KafkaMessage, toRecord } from './records.js';

/**
 * A member of a Kafka consumer group, as the Log port's consume() promises it: records in
 * partition order, in batches (BatchPump: `inFlight` at a time, urgent topics apart), each
 * batch committed after its handling and that of every batch before it (commitHandled), only records of the partitions the group assigned (Assignment). Offsets
 * are committed by hand, never automatically.
 */
export async function joinKafkaGroup(
  connection: ConnectionOptions,
  options: ConsumeOptions,
): Promise<{ close(): Promise<void> }> {
  const consumer = new Consumer({
    ...connection,
    groupId: options.groupId,
    autocommit: false,
    sessionTimeout: 10_000,
    heartbeatInterval: 1_000,
    rebalanceTimeout: 30_000,
    maxWaitTime: 200,
    partitionAssigner: coPartitionedAssigner,
    deserializers: {
      key: stringDeserializer,
      headerKey: stringDeserializer,
      headerValue: stringDeserializer,
    },
  });
  let stream: Awaited<ReturnType<typeof consumer.consume>>;
  try {
    stream = await consumer.consume({
      topics: [...options.topics],
      mode: MessagesStreamModes.COMMITTED,
      fallbackMode:
        options.startAt === 'latest'
          ? MessagesStreamFallbackModes.LATEST
          : MessagesStreamFallbackModes.EARLIEST,
    });
  } catch (err) {
    await Promise.resolve(consumer.close(true)).catch(() => {});
    throw kafkaLogError(err, `cannot join Kafka group ${options.groupId}`);
  }
  const urgent = new Set(options.urgentTopics ?? []);
  const pump = new BatchPump<KafkaMessage>({
    source: stream,
    maxBatch: options.maxBatch ?? 500,
    inFlight: options.inFlight ?? 1,
    ...(urgent.size > 0 ? { isUrgent: (m: KafkaMessage) => urgent.has(m.topic) } : {}),
    handle: (batch) => options.handle(batch.map(toRecord)),
    commit: (batch) => commitHandled(batch),
    onError: (err) => options.onError?.(err),
  });
  const assignment = new Assignment();
  const onJoin = () => {
    const partitions = assignment.update(consumer.assignments);
    // Buffered records of a partition that moved away are dropped, as are late arrivals.
    pump.retain((m) => assignment.has(m.topic, m.partition));
    options.onAssigned?.(partitions);
  };
  consumer.on('consumer:group:join', onJoin);
  onJoin();
  stream.on('data', (m: KafkaMessage) => {
    if (assignment.has(m.topic, m.partition)) pump.push(m);
  });
  stream.on('error', (err: Error) => pump.fail(kafkaLogError(err, 'Kafka consumer failed')));
  return {
    close: async () => {
      await pump.stop();
      await stream.close().catch(() => {});
      await consumer.close(true);
    },
  };
}
