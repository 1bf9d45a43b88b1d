import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uniqueName } from '../../../../test-support/infra.js';
import type { HeldCommand, TelemetryDb } from '../../../src/telemetry-db/port/index.js';
import { type Adapter, each, openedPerTest, PAGE_PLUS } from './support.js';

/** The contract of the CommandQueue part (held commands), registered for one adapter. */
export function commandQueueContract(adapter: Adapter): void {
  describe('held commands', () => {
    const openTelemetryDb = openedPerTest(adapter);

    const t0 = Date.now();
    const held = (deviceId: string, n: number, over: Partial<HeldCommand> = {}): HeldCommand => ({
      deviceId,
      commandId: `cmd-${n}`,
      payload: Uint8Array.from([n, 0xff, 0x00, n]),
      expiresMs: t0 + 600_000,
      loggedMs: t0 - 1000 + n,
      logOffset: n,
      ...over,
    });

    it('should hand out a device’s held commands in log order, payload intact, across a reopen', async () => {
      const telemetryDb = await openTelemetryDb();
      const id = uniqueName('dev');
      const other = uniqueName('dev');
      // Held out of order, and one for another device.
      for (const n of [3, 1, 2]) await telemetryDb.holdCommand(held(id, n));
      await telemetryDb.holdCommand(held(other, 9));
      // Same log time: the offset decides.
      await telemetryDb.holdCommand(held(id, 4, { loggedMs: t0 - 1000 + 3, logOffset: 7 }));
      const pending = await telemetryDb.pendingCommands(id, Date.now());
      expect(pending.map((c) => c.commandId)).toEqual(['cmd-1', 'cmd-2', 'cmd-3', 'cmd-4']);
      expect(pending[0]).toEqual(held(id, 1));
      expect([...(pending[2]?.payload ?? [])]).toEqual([3, 0xff, 0x00, 3]);
      await telemetryDb.close();
      const again = await openTelemetryDb();
      expect((await again.pendingCommands(id, Date.now())).map((c) => c.commandId)).toEqual([
        'cmd-1',
        'cmd-2',
        'cmd-3',
        'cmd-4',
      ]);
      expect((await again.pendingCommands(other, Date.now())).map((c) => c.commandId)).toEqual([
        'cmd-9',
      ]);
    });

    it('should never hand out an acknowledged command again, even when it is held again', async () => {
      const telemetryDb = await openTelemetryDb();
      const id = uniqueName('dev');
      await telemetryDb.holdCommand(held(id, 1));
      await telemetryDb.holdCommand(held(id, 2));
      await telemetryDb.acknowledgeCommand(id, 'cmd-1', Date.now());
      await telemetryDb.acknowledgeCommand(id, 'cmd-1', Date.now()); // a second PUBACK
      // A gateway reading the log late holds it again: it stays acknowledged.
      await telemetryDb.holdCommand(held(id, 1));
      expect((await telemetryDb.pendingCommands(id, Date.now())).map((c) => c.commandId)).toEqual([
        'cmd-2',
      ]);
      // Acknowledged before any gateway held it: holding it afterwards does not revive it.
      await telemetryDb.acknowledgeCommand(id, 'cmd-3', Date.now());
      await telemetryDb.holdCommand(held(id, 3));
      expect((await telemetryDb.pendingCommands(id, Date.now())).map((c) => c.commandId)).toEqual([
        'cmd-2',
      ]);
    });

    it('should not hand out an expired command', async () => {
      const telemetryDb = await openTelemetryDb();
      const id = uniqueName('dev');
      const now = Date.now();
      await telemetryDb.holdCommand(held(id, 1, { expiresMs: now + 5_000 }));
      await telemetryDb.holdCommand(held(id, 2, { expiresMs: now + 60_000 }));
      expect((await telemetryDb.pendingCommands(id, now)).map((c) => c.commandId)).toEqual([
        'cmd-1',
        'cmd-2',
      ]);
      expect((await telemetryDb.pendingCommands(id, now + 10_000)).map((c) => c.commandId)).toEqual(
        ['cmd-2'],
      );
      expect(await telemetryDb.pendingCommands(uniqueName('nobody'), now)).toEqual([]);
    });
  });

  describe('held commands, more than one page', () => {
    let telemetryDb: TelemetryDb;
    beforeAll(async () => {
      telemetryDb = await adapter.open();
    });
    afterAll(async () => {
      await telemetryDb?.close();
    });

    it('should hand out every held command of a device holding more than a page', async () => {
      const device = uniqueName('dev');
      const now = Date.now();
      const commands = Array.from(
        { length: PAGE_PLUS },
        (_, n): HeldCommand => ({
          deviceId: device,
          commandId: `cmd-${n}`,
          payload: Uint8Array.from([n & 0xff]),
          expiresMs: now + 600_000,
          loggedMs: now - 10_000 + n,
          logOffset: n,
        }),
      );
      await each(commands, 32, (c) => telemetryDb.holdCommand(c));
      const pending = await telemetryDb.pendingCommands(device, now);
      expect(pending.map((c) => c.commandId)).toEqual(commands.map((c) => c.commandId));
    }, 120_000);
  });
}
