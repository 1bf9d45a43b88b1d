import type { LogTail, TailOptions, TopicPartition } from '../port.js';
import {
  advance,
  endsOf,
  fetchSpread,
  type PartitionSource,
  type Position,
  Waiter,
} from './reading.js';

/**
 * The embedded log's tail: every partition of the topics from its end offset when the tail
 * starts, read like a group member's (a batch at a time, the next after the handling) but in
 * no group — nothing is committed, so nothing is kept of it in the file.
 */
export class EmbeddedTail implements LogTail {
  readonly partitions: readonly TopicPartition[];
  private readonly positions: Position[];
  private running = true;
  private readonly waiter = new Waiter();
  private readonly loopDone: Promise<void>;
  private readonly onAppend = () => this.waiter.wake();

  constructor(
    private readonly source: PartitionSource,
    private readonly options: TailOptions,
  ) {
    this.positions = options.topics.flatMap((topic) =>
      Array.from({ length: source.partitionsOf(topic) }, (_, partition) => ({
        topic,
        partition,
        position: source.endOffset(topic, partition),
      })),
    );
    this.partitions = this.positions.map(({ topic, partition }) => ({ topic, partition }));
    source.appended.on('append', this.onAppend);
    this.loopDone = this.loop();
  }

  async close(): Promise<void> {
    this.running = false;
    this.source.appended.off('append', this.onAppend);
    this.waiter.wake();
    await this.loopDone;
  }

  private async loop(): Promise<void> {
    const max = this.options.maxBatch ?? 500;
    while (this.running && !this.source.isClosed) {
      const records = fetchSpread(this.source, this.positions, max);
      if (records.length === 0) {
        await this.waiter.wait();
        continue;
      }
      try {
        await this.options.handle(records);
        advance(this.positions, endsOf(records));
      } catch (err) {
        this.running = false;
        this.options.onError?.(err as Error);
      }
    }
  }
}
