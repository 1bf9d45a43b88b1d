import { Worker } from 'node:worker_threads';
import { StoreBusyError, StoreClosedError, StoreUnavailableError } from '../../errors.js';

/**
 * A small pool of reader threads with a bounded queue. Each thread runs one read at a time
 * (better-sqlite3 is synchronous) on its own connection; reads beyond the free threads wait,
 * and reads beyond `maxQueue` waiting ones are refused at once with StoreBusyError, so a
 * flood of expensive reads costs a refusal, not memory and minutes of waiting.
 *
 * The better-sqlite3 maintainers' answer to slow queries is this shape: worker threads, each
 * with its own connection (docs/threads.md). Threads start with the first read, a thread that
 * dies fails only the read it was running and is replaced when reads wait, and idle threads
 * do not keep the process alive.
 */

export interface ReadPoolOptions {
  /** The worker module: answers ReadRequest messages with ReadReply messages. */
  script: URL;
  workerData: unknown;
  /** Reader threads (at least 1). */
  size: number;
  /** Reads that may wait for a free thread (0: none wait); more are refused. */
  maxQueue: number;
  /** What the pool reads, for messages (e.g. the file). */
  name: string;
  /** Told to try again after this long when refused. */
  retryAfterSeconds?: number;
  /**
   * The error a read rejects with when its thread answered a failure (its message and code):
   * the owner knows what the codes mean. Default: an Error with that message and code.
   */
  failure?: (message: string, code: string | undefined) => Error;
}

export interface ReadRequest {
  readonly id: number;
  readonly op: string;
  readonly arg: unknown;
}

export type ReadReply =
  | { readonly id: number; readonly ok: true; readonly result: unknown }
  | { readonly id: number; readonly ok: false; readonly message: string; readonly code?: string };

/** Ops map a name to (reads, arg) → result; the pool types run() from them. */
// biome-ignore lint/suspicious/noExplicitAny: the reads object's type is the worker's business
type OpTable = Record<string, (reads: any, arg: any) => unknown>;

interface Job {
  readonly op: string;
  readonly arg: unknown;
  resolve(value: unknown): void;
  reject(err: Error): void;
}

interface Reader {
  readonly worker: Worker;
  job: (Job & { id: number }) | undefined;
  /** Why the thread failed, when it did (an 'error' comes before its 'exit'). */
  failure: Error | undefined;
}

export class ReadPool<Ops extends OpTable> {
  private readonly readers: Reader[] = [];
  private readonly queue: Job[] = [];
  private nextId = 0;
  private closed = false;

  constructor(private readonly options: ReadPoolOptions) {
    if (!(Number.isInteger(options.size) && options.size >= 1)) {
      throw new RangeError(`read pool size must be a positive integer, not ${options.size}`);
    }
  }

  /** Reads waiting for a thread. */
  get waiting(): number {
    return this.queue.length;
  }

  run<K extends keyof Ops & string>(
    op: K,
    arg: Parameters<Ops[K]>[1],
  ): Promise<ReturnType<Ops[K]>> {
    if (this.closed) return Promise.reject(new StoreClosedError());
    return new Promise((resolve, reject) => {
      const job: Job = { op, arg, resolve: resolve as (v: unknown) => void, reject };
      const reader = this.freeReader();
      if (reader) {
        this.dispatch(reader, job);
      } else if (this.queue.length < this.options.maxQueue) {
        this.queue.push(job);
      } else {
        const { size, maxQueue, name } = this.options;
        const after = this.options.retryAfterSeconds ?? 1;
        reject(
          new StoreBusyError(
            `${name}: too many reads at once — ${size} reader thread(s) busy and ${maxQueue} read(s) waiting; try again in ${after} s (SQLITE_READ_WORKERS, SQLITE_READ_QUEUE)`,
            after,
            { op, readers: size, waiting: maxQueue },
          ),
        );
      }
    });
  }

  /** Refuses reads from now on, fails the waiting ones and stops the threads. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const job of this.queue.splice(0)) job.reject(new StoreClosedError());
    // A running read ends with its thread (exit handler: StoreClosedError).
    await Promise.all(this.readers.map((r) => r.worker.terminate()));
  }

  private freeReader(): Reader | undefined {
    const idle = this.readers.find((r) => r.job === undefined);
    if (idle) return idle;
    if (this.readers.length < this.options.size) return this.spawn();
    return undefined;
  }

  private spawn(): Reader {
    const worker = new Worker(this.options.script, { workerData: this.options.workerData });
    const reader: Reader = { worker, job: undefined, failure: undefined };
    worker.on('message', (reply: ReadReply) => this.settle(reader, reply));
    worker.on('messageerror', (err) => this.fail(reader, err));
    worker.on('error', (err) => {
      reader.failure = err;
    });
    worker.on('exit', (code) => this.exited(reader, code));
    this.readers.push(reader);
    return reader;
  }

  private dispatch(reader: Reader, job: Job): void {
    const id = ++this.nextId;
    reader.job = { ...job, id };
    // A read in progress keeps the process alive (someone awaits it); an idle thread does not.
    reader.worker.ref();
    reader.worker.postMessage({ id, op: job.op, arg: job.arg } satisfies ReadRequest);
  }

  private settle(reader: Reader, reply: ReadReply): void {
    const job = reader.job;
    if (!job || job.id !== reply.id) return;
    if (reply.ok) job.resolve(reply.result);
    else job.reject((this.options.failure ?? plainFailure)(reply.message, reply.code));
    this.next(reader);
  }

  private fail(reader: Reader, err: Error): void {
    const job = reader.job;
    if (!job) return;
    job.reject(
      new StoreUnavailableError(`${this.options.name}: ${job.op} failed: ${err.message}`, {
        cause: err,
      }),
    );
    this.next(reader);
  }

  private next(reader: Reader): void {
    reader.job = undefined;
    const job = this.queue.shift();
    if (job) this.dispatch(reader, job);
    else reader.worker.unref();
  }

  private exited(reader: Reader, code: number): void {
    this.readers.splice(this.readers.indexOf(reader), 1);
    const job = reader.job;
    reader.job = undefined;
    if (job) {
      const why = reader.failure ? reader.failure.message : `exit code ${code}`;
      job.reject(
        this.closed
          ? new StoreClosedError()
          : new StoreUnavailableError(
              `${this.options.name}: reader thread stopped during ${job.op}: ${why}`,
              { cause: reader.failure },
            ),
      );
    }
    // Reads waiting for this thread get a new one.
    if (!this.closed) {
      const waiting = this.queue.shift();
      if (waiting) this.dispatch(this.spawn(), waiting);
    }
  }
}

const plainFailure = (message: string, code: string | undefined): Error =>
  Object.assign(new Error(message), code === undefined ? {} : { code });
