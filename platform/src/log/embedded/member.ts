import { Handover } from '../handover.js';
import type { ConsumeOptions, LogRecord } from '../port.js';
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
 * hands their records over in batches (Handover: `inFlight` at a time, urgent topics apart),
 * and commits each batch after its handling and that of every batch before it.
 */
export class Member {
  readonly topics: readonly string[];
  private assigned: Position[] = [];
  private running = false;
  private readonly waiter = new Waiter();
  private readonly urgent: ReadonlySet<string>;
  private readonly handover: Handover<LogRecord[]>;
  private loopDone: Promise<void> | undefined;
  private readonly onAppend = () => this.wake();

  constructor(
    private readonly group: MemberGroup,
    private readonly options: ConsumeOptions,
  ) {
    this.topics = [...options.topics];
    this.urgent = new Set(options.urgentTopics ?? []);
    this.handover = new Handover<LogRecord[]>({
      inFlight: options.inFlight ?? 1,
      handle: (records) => options.handle(records),
      commit: (records) => {
        if (!group.source.isClosed) group.source.commit(group.id, endsOf(records).values());
      },
      onError: (err) => {
        this.running = false;
        this.wake();
        options.onError?.(err);
      },
      onSettled: () => this.wake(),
    });
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

  /** Resolves when no batch is in hand (each handled and committed, or failed). */
  idle(): Promise<void> {
    return this.handover.settled();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.group.source.appended.off('append', this.onAppend);
    this.wake();
    await this.loopDone;
    await this.handover.settled();
  }

  private async loop(): Promise<void> {
    const max = this.options.maxBatch ?? 500;
    while (this.running) {
      // Checked again right before fetching: a rebalance that began while this member was
      // waking up must not find it idle and then see it handle a partition it moved away.
      // From here to handing the batch over nothing awaits.
      while (this.group.isRebalancing) await this.group.whenStable();
      if (!this.running) break;
      const batch = this.nextBatch(max);
      if (!batch) {
        await this.waiter.wait();
        continue;
      }
      advance(this.assigned, endsOf(batch.records));
      this.handover.start(batch.records, batch.routine);
    }
  }

  /** Urgent records first; routine ones when a slot is free. Undefined: nothing to hand over. */
  private nextBatch(max: number): { records: LogRecord[]; routine: boolean } | undefined {
    const source = this.group.source;
    const urgent = this.assigned.filter((p) => this.urgent.has(p.topic));
    const records = urgent.length > 0 ? fetchSpread(source, urgent, max) : [];
    let routine = false;
    if (this.handover.routineSlotFree && records.length < max) {
      const rest = this.assigned.filter((p) => !this.urgent.has(p.topic));
      const more = fetchSpread(source, rest, max - records.length);
      routine = more.length > 0;
      records.push(...more);
    }
    return records.length > 0 ? { records, routine } : undefined;
  }
}
