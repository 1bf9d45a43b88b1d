import { randomInt } from 'node:crypto';
import { mkdir, open, readFile, rename } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { SpoolRecord } from './record.js';
import { type OpenReport, SegmentQueue } from './segment-queue.js';

/**
 * The agent's store-and-forward spool: every uplink message is written here (and fsynced)
 * before it is sent, and removed only after its PUBACK.
 *
 * Two queues share one sequence: `events` (collisions, trouble codes, trigger captures) and
 * `telemetry` (routine batches). Events are always sent first and are never dropped; when the
 * spool is over its byte budget, the oldest telemetry segment is dropped (and counted).
 *
 * Sequence numbers: the next seq is one past the highest ever spooled. It is recovered on open
 * from the segments on disk and from `seq` (the high-water mark, written and fsynced before a
 * segment file is deleted), so seq only grows across restarts and power cuts, and spooled
 * messages carry consecutive seqs.
 *
 * Seq epoch: a random non-zero uint32 chosen when the counter is created, kept in the same
 * file as the mark (one atomic write holds both, so neither survives without the other), and
 * carried by every message beside its seq. A spool whose state is gone — first start, the
 * folder wiped, the agent reinstalled — numbers from 1 again, in a new epoch: the cloud knows
 * those messages from the ones it handled under the same seqs before (it would otherwise take
 * them for redeliveries and drop them).
 *
 * What a power cut can cost: samples not yet in a spooled batch (at most one batch interval),
 * and — because acks are not fsynced — a re-send of messages already acknowledged, which the
 * cloud drops by (device, seq). A resolved add() is on disk.
 */

export type SpoolKind = 'event' | 'telemetry';

export interface SpoolOptions {
  dir: string;
  /** Budget for all segment files; telemetry is dropped oldest-first beyond it. */
  maxBytes: number;
  /** Size at which a segment file is closed and a new one started. */
  segmentBytes?: number;
}

export interface SpoolStats {
  eventDepth: number;
  telemetryDepth: number;
  bytes: number;
  /** Telemetry batches dropped because the spool was full. */
  dropped: number;
}

export interface SpooledMessage extends SpoolRecord {
  readonly kind: SpoolKind;
}

export class Spool {
  private next: number;
  private persistedMark: number;
  /** The epoch of this spool's seqs (see above). */
  readonly seqEpoch: number;
  private dropped = 0;
  private adding: Promise<unknown> = Promise.resolve();
  private markWrites: Promise<unknown> = Promise.resolve();
  private readonly listeners = new Set<() => void>();

  private constructor(
    private readonly options: SpoolOptions,
    private readonly events: SegmentQueue,
    private readonly telemetry: SegmentQueue,
    mark: number,
    seqEpoch: number,
    readonly openReport: OpenReport,
  ) {
    this.persistedMark = mark;
    this.seqEpoch = seqEpoch;
    this.next = Math.max(mark, events.maxSeq, telemetry.maxSeq) + 1;
  }

  static async open(options: SpoolOptions): Promise<Spool> {
    await mkdir(options.dir, { recursive: true });
    const markPath = join(options.dir, 'seq');
    let saved: SeqState = { mark: 0, seqEpoch: 0 };
    try {
      saved = parseSeqState(await readFile(markPath, 'utf8'));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
    // No epoch: a new counter (or an older agent's mark, which goes on in an epoch of its
    // own). It is on disk before any message is built with it.
    const seqEpoch = saved.seqEpoch || randomInt(1, 2 ** 32);
    if (seqEpoch !== saved.seqEpoch) await writeMark(markPath, saved.mark, seqEpoch);
    // The queues call back before deleting a segment; the spool object does not exist yet
    // while they load, so the mark is kept in this closure and handed over afterwards.
    const state = { mark: saved.mark, spool: undefined as Spool | undefined };
    const beforeDelete = async (lastSeq: number) => {
      if (state.spool) return state.spool.persistMark(lastSeq);
      if (lastSeq > state.mark) {
        await writeMark(markPath, lastSeq, seqEpoch);
        state.mark = lastSeq;
      }
    };
    const segmentBytes = options.segmentBytes ?? 1024 * 1024;
    const events = await SegmentQueue.open(join(options.dir, 'events'), segmentBytes, beforeDelete);
    const telemetry = await SegmentQueue.open(
      join(options.dir, 'telemetry'),
      segmentBytes,
      beforeDelete,
    );
    const spool = new Spool(options, events.queue, telemetry.queue, state.mark, seqEpoch, {
      damage: [...events.report.damage, ...telemetry.report.damage],
    });
    state.spool = spool;
    return spool;
  }

  /**
   * Mark writes one at a time, in call order. Each queue serialises only its own work, so an
   * ack that deletes a segment of one queue runs while an add rotates the other, or while
   * close() writes the mark: two writes at once share `seq.tmp`, and then one's rename fails
   * (failing that ack or add) or the file keeps the lower mark (a restart hands seqs out again).
   */
  private persistMark(seq: number): Promise<void> {
    const run = this.markWrites.then(async () => {
      if (seq <= this.persistedMark) return;
      await writeMark(join(this.options.dir, 'seq'), seq, this.seqEpoch);
      this.persistedMark = seq;
    });
    this.markWrites = run.catch(() => {});
    return run;
  }

  /**
   * Allocates the next seq, builds the message with it (and the spool's seq epoch) and spools
   * it durably. Adds are serialised, so seqs land on disk in order. Resolves with the seq, or
   * undefined when a telemetry batch had to be dropped because events fill the whole budget.
   */
  add(
    kind: SpoolKind,
    build: (seq: number, seqEpoch: number) => Uint8Array,
    createdMs = Date.now(),
  ): Promise<number | undefined> {
    const run = this.adding.then(async () => {
      const seq = this.next;
      const payload = build(seq, this.seqEpoch);
      const queue = kind === 'event' ? this.events : this.telemetry;
      // Make room: the oldest routine telemetry goes first, events never.
      while (this.bytes + payload.length + 24 > this.options.maxBytes) {
        const gone = await this.telemetry.dropOldestSegment();
        if (gone.length === 0) break;
        this.dropped += gone.length;
      }
      if (kind === 'telemetry' && this.bytes + payload.length + 24 > this.options.maxBytes) {
        this.dropped++;
        return undefined;
      }
      this.next = seq + 1;
      await queue.append({ seq, createdMs, payload });
      for (const l of this.listeners) l();
      return seq;
    });
    this.adding = run.catch(() => {});
    return run;
  }

  /** The next message to send that is not in `inFlight`: events before telemetry, oldest first. */
  peek(inFlight: ReadonlySet<number>): SpooledMessage | undefined {
    const event = this.events.peek(inFlight);
    if (event) return { ...event, kind: 'event' };
    const batch = this.telemetry.peek(inFlight);
    return batch ? { ...batch, kind: 'telemetry' } : undefined;
  }

  /** Whether seq is still waiting to be sent (false once acked or dropped). */
  has(seq: number): boolean {
    return this.events.has(seq) || this.telemetry.has(seq);
  }

  async ack(seq: number): Promise<void> {
    await Promise.all([this.events.ack(seq), this.telemetry.ack(seq)]);
  }

  /** Called after each add; returns an unsubscribe function. */
  onAdd(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private get bytes(): number {
    return this.events.stats().bytes + this.telemetry.stats().bytes;
  }

  stats(): SpoolStats {
    return {
      eventDepth: this.events.stats().depth,
      telemetryDepth: this.telemetry.stats().depth,
      bytes: this.bytes,
      dropped: this.dropped,
    };
  }

  /** The seq the next add() will get. */
  get nextSeq(): number {
    return this.next;
  }

  async close(): Promise<void> {
    await this.adding;
    await this.persistMark(this.next - 1);
    await Promise.all([this.events.close(), this.telemetry.close()]);
  }
}

interface SeqState {
  /** The highest seq handed out (as far as recorded). */
  mark: number;
  /** 0: none recorded. */
  seqEpoch: number;
}

/**
 * The `seq` file: "<mark> <epoch>\n". An older agent wrote the mark alone; anything that does
 * not read as numbers counts as no state (its seqs then go on in a new epoch).
 */
function parseSeqState(text: string): SeqState {
  const [mark, epoch] = text.trim().split(/\s+/).map(Number);
  return {
    mark: Number.isSafeInteger(mark) && (mark as number) > 0 ? (mark as number) : 0,
    seqEpoch:
      Number.isInteger(epoch) && (epoch as number) > 0 && (epoch as number) < 2 ** 32
        ? (epoch as number)
        : 0,
  };
}

async function writeMark(path: string, seq: number, seqEpoch: number): Promise<void> {
  const tmp = `${path}.tmp`;
  const file = await open(tmp, 'w');
  await file.write(`${seq} ${seqEpoch}\n`);
  await file.sync();
  await file.close();
  await rename(tmp, path);
  // The rename itself is durable only once the directory entry is on disk.
  const dir = await open(dirname(path), 'r');
  await dir.sync();
  await dir.close();
}
