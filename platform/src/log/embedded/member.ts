import type { ConsumeOptions } from '../port.js';
import {
  advance,
  endsOf,
  fetchSpread,
  type PartitionSource,
  type Position,
  Waiter,
} from './reading.js';

/** What a member needs of its group. */
export interface MemberGroup {
  readonly id: string;
  readonly source: PartitionSource;
  /** True while a rebalance is in progress: no member may fetch. */
  readonly isRebalancing: boolean;
  /** Resolves when no rebalance is in progress. */
  whenStable(): Promise<void>;
}

/**
 * One consumer of an embedded consumer group: it reads the partitions the group assigned it,
 * hands their records over a batch at a time, and commits each batch after its handling.
 */
export class Member {
  readonly topics: readonly string[];
  private assigned: Position[] = [];
  private running = false;
  private busy: Promise<void> | undefined;
  private readonly waiter = new Waiter();
  private loopDone: Promise<void> | undefined;
  private readonly onAppend = () => this.wake();

  constructor(
    private readonly group: MemberGroup,
    private readonly options: ConsumeOptions,
  ) {
    this.topics = [...options.topics];
  }

  start(): void {
    this.running = true;
    this.group.source.appended.on('append', this.onAppend);
    this.loopDone = this.loop();
  }

  get startAt(): 'earliest' | 'latest' {
    return this.options.startAt ?? 'earliest';
  }

  /** Takes the partitions the group gives it, each from the offset to hand over next. */
  assign(assigned: Position[]): void {
    this.assigned = assigned;
    this.options.onAssigned?.(assigned.map(({ topic, partition }) => ({ topic, partition })));
  }

  wake(): void {
    this.waiter.wake();
  }

  /** Resolves when no batch is in hand. */
  idle(): Promise<void> {
    return this.busy ?? Promise.resolve();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.group.source.appended.off('append', this.onAppend);
    this.wake();
    await this.loopDone;
  }

  private async loop(): Promise<void> {
    const max = this.options.maxBatch ?? 500;
    const source = this.group.source;
    while (this.running) {
      // Checked again right before fetching: a rebalance that began while this member was
      // waking up must not find it idle and then see it handle a partition it moved away.
      // From here to marking itself busy nothing awaits.
      while (this.group.isRebalancing) await this.group.whenStable();
      if (!this.running) break;
      const records = fetchSpread(source, this.assigned, max);
      if (records.length === 0) {
        await this.waiter.wait();
        continue;
      }
      let release!: () => void;
      this.busy = new Promise<void>((r) => {
        release = r;
      });
      try {
        await this.options.handle(records);
        const ends = endsOf(records);
        if (source.isClosed) break;
        source.commit(this.group.id, ends.values());
        advance(this.assigned, ends);
      } catch (err) {
        this.running = false;
        this.options.onError?.(err as Error);
      } finally {
        this.busy = undefined;
        release();
      }
    }
  }
}
