import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger, SqliteTelemetryDb, StoreRejectedError } from '@fleetline/platform';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { eventually } from '../../test-support/infra.js';
import { OutageGate } from '../src/retry.js';

const retryable = (message: string) => Object.assign(new Error(message), { retryable: true });
const logger = createLogger('test', 'silent');

describe('OutageGate', () => {
  it('should wait out retryable failures for as long as they last, then return the result', async () => {
    const gate = new OutageGate('store', logger, 1);
    let calls = 0;
    const result = await gate.run(async () => {
      if (++calls < 8) throw retryable('down');
      return 'stored';
    });
    expect(result).toBe('stored');
    expect(calls).toBe(8);
    expect(gate.waiting).toBe(0);
  });

  it('should throw a failure that is not retryable at once', async () => {
    const gate = new OutageGate('store', logger, 1);
    let calls = 0;
    await expect(
      gate.run(async () => {
        calls++;
        throw new Error('bad row');
      }),
    ).rejects.toThrow('bad row');
    expect(calls).toBe(1);
  });

  it('should count the operations waiting and end every wait on stop with the last error', async () => {
    const gate = new OutageGate('store', logger, 1);
    let down = true;
    const op = async () => {
      if (down) throw retryable('still down');
      return 1;
    };
    const waits = [gate.run(op), gate.run(op)];
    await eventually(() => gate.waiting === 2, 'two operations waiting', 5_000, 5);
    gate.stop();
    for (const w of waits) await expect(w).rejects.toThrow('still down');
    expect(gate.waiting).toBe(0);
    // Once stopped, a new operation is not kept waiting either.
    await expect(gate.run(op)).rejects.toThrow('still down');
    down = false;
    await expect(gate.run(op)).resolves.toBe(1);
  });
});

describe('OutageGate with the SQLite telemetry database', () => {
  it('should wait out the file locked by another process and store the rows once it is free; a row the table refuses is not retried', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fleetline-retry-'));
    const path = join(dir, 'store.sqlite');
    const telemetryDb = new SqliteTelemetryDb({ path, samplesTtlDays: 0, busyTimeoutMs: 50 });
    const other = new Database(path);
    try {
      const gate = new OutageGate('store', logger, 1);
      const row = { deviceId: 'veh', signalId: 7, timeMs: 1000, value: 1 };
      other.exec('BEGIN IMMEDIATE'); // another process's write in progress
      const writing = gate.run(() => telemetryDb.writeSamples([row]));
      await eventually(() => gate.waiting === 1, 'the write to wait for the lock', 10_000, 5);
      other.exec('COMMIT');
      await writing;
      expect(gate.waiting).toBe(0);
      const q = { deviceId: 'veh', signalId: 7, fromMs: 0, toMs: 2000, limit: 10 };
      expect(await telemetryDb.querySamples(q)).toEqual([{ timeMs: 1000, value: 1 }]);
      let calls = 0;
      const refused = gate.run(() => {
        calls++;
        return telemetryDb.writeSamples([{ ...row, value: Number.NaN }]);
      });
      await expect(refused).rejects.toBeInstanceOf(StoreRejectedError);
      expect(calls).toBe(1);
    } finally {
      other.close();
      await telemetryDb.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
