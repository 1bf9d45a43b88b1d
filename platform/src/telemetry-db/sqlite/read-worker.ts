import { readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import type { ReadReply, ReadRequest } from './read-pool.js';
import { SqliteReads, sqliteReadOps } from './reads.js';

/**
 * A reader thread of the SQLite telemetry database (see ReadPool): its own read-only
 * connection to the database file, one read at a time. In WAL mode a reader sees every
 * transaction committed before its read began while the main connection goes on writing; the
 * main thread commits a write before its promise resolves, so a read asked for after a write
 * sees it.
 */

const { path, busyTimeoutMs } = workerData as { path: string; busyTimeoutMs: number };
lowerThreadPriority();
const db = new Database(path, { readonly: true, fileMustExist: true });
// A checkpoint or recovery on the writer's side can hold the file briefly.
db.pragma(`busy_timeout = ${Math.max(0, Math.floor(busyTimeoutMs))}`);
const reads = new SqliteReads(db);
const ops = sqliteReadOps as unknown as Record<string, (r: SqliteReads, arg: unknown) => unknown>;

parentPort?.on('message', (request: ReadRequest) => {
  let reply: ReadReply;
  let transfer: ArrayBuffer[] = [];
  try {
    const op = Object.hasOwn(ops, request.op) ? ops[request.op] : undefined;
    if (!op) throw new Error(`unknown read ${JSON.stringify(request.op)}`);
    const result = op(reads, request.arg);
    transfer = buffersOf(result);
    reply = { id: request.id, ok: true, result };
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    reply = {
      id: request.id,
      ok: false,
      message: (err as Error).message,
      ...(typeof code === 'string' ? { code } : {}),
    };
  }
  parentPort?.postMessage(reply, transfer);
});

/**
 * Reads yield the CPU to ingest: on a machine whose cores are all busy, the thread that
 * acknowledges devices' publishes runs first. Linux keeps a nice value per thread, and
 * /proc/thread-self names this thread's id (proc(5)); elsewhere the thread keeps the
 * process's priority. Lowering one's own priority needs no privilege.
 */
function lowerThreadPriority(): void {
  try {
    const tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
    if (Number.isInteger(tid) && tid > 0) setPriority(tid, 10);
  } catch {
    // not Linux, or no /proc: the same priority as the rest of the process
  }
}

/** The buffers of a result's typed-array fields, moved rather than copied to the caller. */
function buffersOf(result: unknown): ArrayBuffer[] {
  if (typeof result !== 'object' || result === null || Array.isArray(result)) return [];
  const out: ArrayBuffer[] = [];
  for (const v of Object.values(result)) {
    if (ArrayBuffer.isView(v) && v.buffer instanceof ArrayBuffer) out.push(v.buffer);
  }
  return out;
}
