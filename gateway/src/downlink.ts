import type { CommandQueue, Counter, Log, LogConsumer, Logger } from '@fleetline/platform';
import { type Command, decodeCommand, kafkaTopics } from '@fleetline/proto';

/**
 * Downlink: commands produced to `commands.v1` reach the device on whichever gateway it is
 * connected to. Every gateway reads every command (a consumer group of its own) and delivers
 * those for devices connected to it, QoS 1 on `v1/{deviceId}/commands`; the others skip them.
 *
 * A gateway that starts reads the topic from where its group left off — from the beginning
 * for a new group — so commands are delivered only while they are fresh: before their
 * `expires_at_ms`, or, without one, within `maxAgeMs` of being logged.
 *
 * Every fresh command is also held in the telemetry database until the device acknowledges it: a
 * device connected nowhere when the command came gets it when it next subscribes, on any gateway
 * (see the gateway's held-command delivery).
 */

export type CommandDisposition =
  | { deliver: true; command: Command; expiresMs: number }
  | { deliver: false; reason: 'invalid' | 'expired' };

/** What to do with one record of commands.v1 (pure). */
export function commandDisposition(
  value: Uint8Array,
  loggedAtMs: number,
  nowMs: number,
  maxAgeMs: number,
): CommandDisposition {
  let command: Command;
  try {
    command = decodeCommand(value);
  } catch {
    return { deliver: false, reason: 'invalid' };
  }
  const expiresMs = command.expiresAtMs > 0 ? command.expiresAtMs : loggedAtMs + maxAgeMs;
  return expiresMs > nowMs
    ? { deliver: true, command, expiresMs }
    : { deliver: false, reason: 'expired' };
}

export interface DownlinkOptions {
  log: Log;
  gatewayId: string;
  /** Delivers to a device connected here; false when it is not connected here. */
  deliver(deviceId: string, payload: Uint8Array): Promise<boolean>;
  /** Where commands wait for devices that are connected nowhere. */
  hold: CommandQueue;
  /** Commands without an expiry older than this are not delivered. Default 5 minutes. */
  maxAgeMs?: number;
  logger: Logger;
  commands: Counter<'outcome'>;
}

export function startDownlink(o: DownlinkOptions): Promise<LogConsumer> {
  const log = o.logger.child({ component: 'downlink' });
  const maxAgeMs = o.maxAgeMs ?? 300_000;
  return o.log.consume({
    groupId: `fleetline-gateway-downlink-${o.gatewayId}`,
    topics: [kafkaTopics.commands],
    async handle(records) {
      for (const r of records) {
        const d = commandDisposition(r.value, r.timestampMs, Date.now(), maxAgeMs);
        if (!d.deliver) {
          o.commands.inc({ outcome: d.reason });
          if (d.reason === 'invalid')
            log.warn({ key: r.key, offset: r.offset }, 'invalid command skipped');
          continue;
        }
        try {
          await o.hold.holdCommand({
            deviceId: d.command.deviceId,
            commandId: d.command.commandId,
            payload: r.value,
            expiresMs: d.expiresMs,
            loggedMs: r.timestampMs,
            logOffset: r.offset,
          });
        } catch (err) {
          // Live delivery still goes ahead; only a device offline everywhere misses it.
          o.commands.inc({ outcome: 'not-held' });
          log.warn(
            { err, deviceId: d.command.deviceId, commandId: d.command.commandId },
            'command could not be held for later delivery',
          );
        }
        const delivered = await o.deliver(d.command.deviceId, r.value);
        o.commands.inc({ outcome: delivered ? 'delivered' : 'not-connected-here' });
        if (delivered)
          log.info(
            { deviceId: d.command.deviceId, commandId: d.command.commandId },
            'command delivered',
          );
      }
    },
    onError(err) {
      log.error({ err }, 'downlink consumer stopped');
    },
  });
}
