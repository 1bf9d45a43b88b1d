import {
  appendFile,
  type FileHandle,
  mkdir,
  open,
  readdir,
  readFile,
  rename,
  rm,
} from 'node:fs/promises';
import { join } from 'node:path';
import { encodeRecord, type SpoolRecord, scanRecords } from './record.js';

/**
 * One durable FIFO of spooled messages: append-only segment files of length+CRC framed
 * records (see record.ts), plus an acknowledgement log.
 *
 * - append() writes the record and fsyncs the segment before it resolves: a resolved append
 *   survives a power cut.
 * - ack() appends the seq to `acked.log` without fsync: an ack lost to a power cut only means
 *   the message is sent again, and (device, seq) makes the duplicate harmless.
 * - A segment whose records are all acknowledged (or dropped) is deleted, and the ack log is
 *   compacted from time to time to the acks that still refer to a segment on disk.
 * - Opening scans every segment: a torn record (power cut mid-append) or damage ends that
 *   segment's readable records; the damage is reported, the rest of the queue is intact.
 *   New appends always go to a fresh segment, so a damaged tail is never appended to.
 */

export interface QueueStats {
  /** Records not yet acknowledged. */
  depth: number;
  /** Bytes of segment files on disk. */
  bytes: number;
}

interface Segment {
  readonly path: string;
  bytes: number;
  /** Every seq ever written to this segment, ascending. */
  readonly seqs: number[];
  /** Seqs still waiting for an ack. */
  readonly live: Set<number>;
}

export interface OpenReport {
  /** One line per damaged segment: what was wrong and where. */
  damage: string[];
}

const MAX_BODY = 64 * 1024 * 1024;
const SEG = /^(\d{20})\.seg$/;
const COMPACT_AFTER_ACKS = 4096;

export class SegmentQueue {
  private segments: Segment[] = [];
  /** The segment appends go to, with its open file. */
  private active: { seg: Segment; file: FileHandle } | undefined;
  private readonly pending = new Map<number, SpoolRecord>();
  /** Pending seqs in ascending order; `head` skips the acknowledged front. */
  private order: number[] = [];
  private head = 0;
  private acksSinceCompaction = 0;
  private chain: Promise<unknown> = Promise.resolve();

  private constructor(
    readonly dir: string,
    private readonly segmentBytes: number,
    private readonly beforeDelete: (lastSeq: number) => Promise<void>,
  ) {}

  /**
   * beforeDelete runs before a segment file is removed, with the highest seq it held, so the
   * owner can persist its sequence high-water mark first (seq must never go backwards).
   */
  static async open(
    dir: string,
    segmentBytes: number,
    beforeDelete: (lastSeq: number) => Promise<void>,
  ): Promise<{ queue: SegmentQueue; report: OpenReport }> {
    await mkdir(dir, { recursive: true });
    const queue = new SegmentQueue(dir, segmentBytes, beforeDelete);
    const report = await queue.load();
    return { queue, report };
  }

  private get ackLogPath(): string {
    return join(this.dir, 'acked.log');
  }

  private async load(): Promise<OpenReport> {
    const report: OpenReport = { damage: [] };
    const acked = new Set<number>();
    try {
      const log = await readFile(this.ackLogPath);
      // 8-byte entries; a torn last entry is ignored.
      for (let i = 0; i + 8 <= log.length; i += 8) acked.add(Number(log.readBigUInt64LE(i)));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
    const names = (await readdir(this.dir)).filter((n) => SEG.test(n)).sort();
    for (const name of names) {
      const path = join(this.dir, name);
      const buf = await readFile(path);
      const scan = scanRecords(buf, MAX_BODY);
      if (scan.damage) report.damage.push(`${name}: ${scan.damage}`);
      const seg: Segment = { path, bytes: buf.length, seqs: [], live: new Set() };
      for (const { record } of scan.records) {
        seg.seqs.push(record.seq);
        if (acked.has(record.seq) || this.pending.has(record.seq)) continue;
        seg.live.add(record.seq);
        this.pending.set(record.seq, record);
        this.order.push(record.seq);
      }
      if (seg.live.size === 0) {
        await this.beforeDelete(seg.seqs.at(-1) ?? 0);
        await rm(path, { force: true });
      } else {
        this.segments.push(seg);
      }
    }
    this.order.sort((a, b) => a - b);
    await this.compactAckLog();
    return report;
  }

  /** Serialises file operations so they land in call order. */
  private serial<T>(op: () => Promise<T>): Promise<T> {
    const run = this.chain.then(op, op);
    this.chain = run.catch(() => {});
    return run;
  }

  /** Appends a record; resolves once it is on disk (fsync). Seqs must ascend. */
  append(record: SpoolRecord): Promise<void> {
    return this.serial(async () => {
      const bytes = encodeRecord(record);
      const active = this.active;
      const target =
        active && (active.seg.bytes === 0 || active.seg.bytes + bytes.length <= this.segmentBytes)
          ? active
          : await this.startSegment(record.seq);
      await target.file.write(bytes);
      await target.file.sync();
      target.seg.bytes += bytes.length;
      target.seg.seqs.push(record.seq);
      target.seg.live.add(record.seq);
      this.pending.set(record.seq, record);
      this.order.push(record.seq);
    });
  }

  private async startSegment(firstSeq: number): Promise<{ seg: Segment; file: FileHandle }> {
    const previous = this.active;
    this.active = undefined;
    if (previous) {
      await previous.file.close();
      if (previous.seg.live.size === 0) await this.deleteSegment(previous.seg);
    }
    const path = join(this.dir, `${String(firstSeq).padStart(20, '0')}.seg`);
    const file = await open(path, 'w');
    const seg: Segment = { path, bytes: 0, seqs: [], live: new Set() };
    this.segments.push(seg);
    this.active = { seg, file };
    return this.active;
  }

  /** The oldest pending record whose seq is not excluded (e.g. already in flight). */
  peek(exclude: ReadonlySet<number>): SpoolRecord | undefined {
    while (this.head < this.order.length && !this.pending.has(this.order[this.head] as number)) {
      this.head++;
    }
    if (this.head > 1024) {
      this.order = this.order.slice(this.head);
      this.head = 0;
    }
    for (let i = this.head; i < this.order.length; i++) {
      const seq = this.order[i] as number;
      if (exclude.has(seq)) continue;
      const record = this.pending.get(seq);
      if (record) return record;
    }
    return undefined;
  }

  has(seq: number): boolean {
    return this.pending.has(seq);
  }

  /** Marks a record delivered; deletes its segment when nothing in it is left to send. */
  ack(seq: number): Promise<void> {
    if (!this.pending.delete(seq)) return Promise.resolve();
    return this.serial(async () => {
      const seg = this.segmentOf(seq);
      if (!seg) return;
      seg.live.delete(seq);
      if (seg.live.size === 0 && seg !== this.active?.seg) {
        await this.deleteSegment(seg);
        return;
      }
      const entry = Buffer.allocUnsafe(8);
      entry.writeBigUInt64LE(BigInt(seq));
      await appendFile(this.ackLogPath, entry);
      if (++this.acksSinceCompaction >= COMPACT_AFTER_ACKS) await this.compactAckLog();
    });
  }

  /** Drops every pending record of the oldest segment that has any; returns their seqs. */
  dropOldestSegment(): Promise<number[]> {
    return this.serial(async () => {
      const seg = this.segments.find((s) => s.live.size > 0);
      if (!seg) return [];
      const dropped = [...seg.live];
      for (const seq of dropped) this.pending.delete(seq);
      seg.live.clear();
      if (seg === this.active?.seg) {
        await this.active.file.close();
        this.active = undefined;
      }
      await this.deleteSegment(seg);
      return dropped;
    });
  }

  private segmentOf(seq: number): Segment | undefined {
    // Segments hold ascending, non-overlapping seq ranges: the last one starting at or
    // before seq holds it.
    let found: Segment | undefined;
    for (const s of this.segments) {
      if ((s.seqs[0] ?? Number.POSITIVE_INFINITY) <= seq) found = s;
      else break;
    }
    return found?.live.has(seq) ? found : undefined;
  }

  private async deleteSegment(seg: Segment): Promise<void> {
    await this.beforeDelete(seg.seqs.at(-1) ?? 0);
    await rm(seg.path, { force: true });
    this.segments = this.segments.filter((s) => s !== seg);
  }

  /** Rewrites the ack log with only the acks that still refer to a segment on disk. */
  private async compactAckLog(): Promise<void> {
    const acked: number[] = [];
    for (const seg of this.segments)
      for (const seq of seg.seqs) if (!seg.live.has(seq)) acked.push(seq);
    const buf = Buffer.allocUnsafe(acked.length * 8);
    for (const [i, seq] of acked.entries()) buf.writeBigUInt64LE(BigInt(seq), i * 8);
    const tmp = `${this.ackLogPath}.tmp`;
    const file = await open(tmp, 'w');
    await file.write(buf);
    await file.sync();
    await file.close();
    await rename(tmp, this.ackLogPath);
    this.acksSinceCompaction = 0;
  }

  /** The highest seq on disk (pending or acknowledged-but-kept), 0 when empty. */
  get maxSeq(): number {
    let max = 0;
    for (const seg of this.segments) max = Math.max(max, seg.seqs.at(-1) ?? 0);
    return max;
  }

  stats(): QueueStats {
    return { depth: this.pending.size, bytes: this.segments.reduce((n, s) => n + s.bytes, 0) };
  }

  async close(): Promise<void> {
    await this.serial(async () => {
      await this.active?.file.close();
      this.active = undefined;
    });
  }
}
