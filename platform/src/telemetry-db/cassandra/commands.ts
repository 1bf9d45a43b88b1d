import cassandra from 'cassandra-driver';
import type { CommandQueue, HeldCommand } from '../port/commands.js';
import { eachPage, ROW_PAGE, run } from './io.js';

/** Held commands are kept this long past their expiry (their TTL), then dropped. */
const HELD_COMMAND_GRACE_S = 3600;

/**
 * A device's held commands: one partition per device, each command a row, expiring by TTL an
 * hour after the command itself does.
 */
export class CassandraCommands implements CommandQueue {
  private readonly q;

  constructor(
    private readonly client: cassandra.Client,
    ks: string,
  ) {
    this.q = {
      // An upsert that leaves `acked` alone: holding again never un-acknowledges.
      holdCommand: `INSERT INTO ${ks}.held_commands_by_device (device_id, command_id, payload, expires, logged, log_offset) VALUES (?, ?, ?, ?, ?, ?) USING TTL ?`,
      heldCommands: `SELECT command_id, payload, expires, logged, log_offset, acked FROM ${ks}.held_commands_by_device WHERE device_id = ?`,
      heldCommandExpiry: `SELECT expires FROM ${ks}.held_commands_by_device WHERE device_id = ? AND command_id = ?`,
      acknowledgeCommand: `UPDATE ${ks}.held_commands_by_device USING TTL ? SET acked = ? WHERE device_id = ? AND command_id = ?`,
    };
  }

  async holdCommand(c: HeldCommand): Promise<void> {
    await run(
      () =>
        this.client.execute(this.q.holdCommand, [
          c.deviceId,
          c.commandId,
          Buffer.from(c.payload.buffer, c.payload.byteOffset, c.payload.byteLength),
          new Date(c.expiresMs),
          new Date(c.loggedMs),
          cassandra.types.Long.fromNumber(c.logOffset),
          heldTtlSeconds(c.expiresMs),
        ]),
      'hold a command',
    );
  }

  async pendingCommands(deviceId: string, nowMs: number): Promise<HeldCommand[]> {
    const rows: cassandra.types.Row[] = [];
    await eachPage(
      this.client,
      this.q.heldCommands,
      [deviceId],
      ROW_PAGE,
      'read held commands',
      (page) => {
        rows.push(...page);
      },
    );
    const out: HeldCommand[] = [];
    for (const row of rows) {
      const payload = row.get('payload') as Buffer | null;
      const expires = row.get('expires') as Date | null;
      // A row with an acknowledgement only (the command was never held) is not pending.
      if (row.get('acked') || !payload || !expires || expires.getTime() <= nowMs) continue;
      out.push({
        deviceId,
        commandId: row.get('command_id') as string,
        payload: new Uint8Array(payload),
        expiresMs: expires.getTime(),
        loggedMs: (row.get('logged') as Date).getTime(),
        logOffset: (row.get('log_offset') as cassandra.types.Long).toNumber(),
      });
    }
    return out.sort((a, b) => a.loggedMs - b.loggedMs || a.logOffset - b.logOffset);
  }

  async acknowledgeCommand(deviceId: string, commandId: string, atMs: number): Promise<void> {
    // The acknowledgement lives as long as the held row it marks (or the grace period when
    // none was held), so holding the command again later cannot revive it.
    const held = await run(
      () => this.client.execute(this.q.heldCommandExpiry, [deviceId, commandId]),
      'read a held command',
    );
    const expires = held.first()?.get('expires') as Date | null | undefined;
    await run(
      () =>
        this.client.execute(this.q.acknowledgeCommand, [
          heldTtlSeconds(expires ? expires.getTime() : atMs),
          new Date(atMs),
          deviceId,
          commandId,
        ]),
      'acknowledge a command',
    );
  }
}

function heldTtlSeconds(expiresMs: number): number {
  return Math.max(1, Math.ceil((expiresMs - Date.now()) / 1000) + HELD_COMMAND_GRACE_S);
}
