import type Database from 'better-sqlite3';
import type { CommandQueue, HeldCommand } from '../port/commands.js';

/** Held commands are kept this long past their expiry, then deleted (see RowExpiry). */
export const HELD_COMMAND_GRACE_MS = 3600_000;

interface HeldCommandRow {
  device_id: string;
  command_id: string;
  payload: Buffer;
  expires_ms: number;
  logged_ms: number;
  log_offset: number;
}

/** Commands held for devices, all on the writer's connection (reads by device are small). */
export class SqliteCommands implements CommandQueue {
  private readonly hold;
  private readonly pending;
  private readonly acknowledge;
  /** Deletes at most `slice` held commands that expired before `before`. */
  readonly expire: Database.Statement<[number, number]>;

  constructor(db: Database.Database) {
    this.hold = db.prepare(
      'INSERT INTO held_commands (device_id, command_id, payload, expires_ms, logged_ms, log_offset) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (device_id, command_id) DO NOTHING',
    );
    this.pending = db.prepare<[string, number], HeldCommandRow>(
      'SELECT device_id, command_id, payload, expires_ms, logged_ms, log_offset FROM held_commands WHERE device_id = ? AND acked_ms IS NULL AND expires_ms > ? ORDER BY logged_ms, log_offset',
    );
    // An acknowledgement for a command never held here is kept too, so holding it later
    // (a gateway reading the log late) cannot bring it back.
    this.acknowledge = db.prepare(
      "INSERT INTO held_commands (device_id, command_id, payload, expires_ms, logged_ms, log_offset, acked_ms) VALUES (?, ?, x'', ?, 0, 0, ?) ON CONFLICT (device_id, command_id) DO UPDATE SET acked_ms = coalesce(acked_ms, excluded.acked_ms)",
    );
    this.expire = db.prepare<[number, number]>(
      'DELETE FROM held_commands WHERE (device_id, command_id) IN (SELECT device_id, command_id FROM held_commands WHERE expires_ms < ? LIMIT ?)',
    );
  }

  async holdCommand(c: HeldCommand): Promise<void> {
    this.hold.run(
      c.deviceId,
      c.commandId,
      Buffer.from(c.payload.buffer, c.payload.byteOffset, c.payload.byteLength),
      c.expiresMs,
      c.loggedMs,
      c.logOffset,
    );
  }

  async pendingCommands(deviceId: string, nowMs: number): Promise<HeldCommand[]> {
    return this.pending.all(deviceId, nowMs).map((r) => ({
      deviceId: r.device_id,
      commandId: r.command_id,
      payload: new Uint8Array(r.payload),
      expiresMs: r.expires_ms,
      loggedMs: r.logged_ms,
      logOffset: r.log_offset,
    }));
  }

  async acknowledgeCommand(deviceId: string, commandId: string, atMs: number): Promise<void> {
    // An acknowledgement without a held row expires with the grace period.
    this.acknowledge.run(deviceId, commandId, atMs, atMs);
  }
}
