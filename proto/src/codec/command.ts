import { fleetline } from '../../gen/fleetline.js';
import { assertDeviceId, checkDecodedDeviceId } from '../device-id.js';
import { InvalidMessageError } from '../errors.js';
import { checkEntries, checkText, MAX_SET_CONFIG_ENTRIES, TEXT_LIMITS } from '../text-limits.js';
import { checkExpiry, checkWireTime } from '../time-range.js';
import { decodeWith } from './protobuf.js';

import v1 = fleetline.telemetry.v1;

/** Command (`commands.v1`, then `v1/{deviceId}/commands`): what the cloud asks of a device. */

export type CommandAction =
  | { kind: 'ping' }
  | { kind: 'setConfig'; values: Record<string, string> };

export interface Command {
  commandId: string;
  deviceId: string;
  issuedAtMs: number;
  /** 0: never expires. */
  expiresAtMs: number;
  action: CommandAction;
}

export function encodeCommand(c: Command): Uint8Array {
  assertDeviceId(c.deviceId);
  checkText(c.commandId, TEXT_LIMITS.commandId, 'command_id', { required: true });
  checkWireTime(c.issuedAtMs, 'issued_at_ms');
  checkExpiry(c.expiresAtMs, 'expires_at_ms');
  if (c.action.kind === 'setConfig') checkSetConfig(c.action.values, 'set_config.values');
  return v1.Command.encode({
    commandId: c.commandId,
    deviceId: c.deviceId,
    issuedAtMs: c.issuedAtMs,
    expiresAtMs: c.expiresAtMs,
    ...(c.action.kind === 'ping' ? { ping: {} } : { setConfig: { values: c.action.values } }),
  }).finish();
}

export function decodeCommand(bytes: Uint8Array): Command {
  const m = decodeWith(v1.Command, bytes, 'Command');
  checkText(m.commandId, TEXT_LIMITS.commandId, 'Command.command_id', { required: true });
  checkDecodedDeviceId(m.deviceId, 'Command');
  checkWireTime(m.issuedAtMs, 'Command.issued_at_ms');
  checkExpiry(m.expiresAtMs, 'Command.expires_at_ms');
  let action: CommandAction;
  if (m.ping) action = { kind: 'ping' };
  else if (m.setConfig) {
    const values = { ...(m.setConfig.values ?? {}) };
    checkSetConfig(values, 'Command.set_config.values');
    action = { kind: 'setConfig', values };
  } else throw new InvalidMessageError('Command carries no action');
  return {
    commandId: m.commandId,
    deviceId: m.deviceId,
    issuedAtMs: m.issuedAtMs,
    expiresAtMs: m.expiresAtMs,
    action,
  };
}

/** A setting path and its value per entry, and not too many of them. */
function checkSetConfig(values: Readonly<Record<string, string>>, field: string): void {
  const entries = Object.entries(values);
  checkEntries(entries.length, MAX_SET_CONFIG_ENTRIES, field);
  for (const [key, value] of entries) {
    checkText(key, TEXT_LIMITS.setConfigKey, `${field} key`, { required: true });
    checkText(value, TEXT_LIMITS.setConfigValue, `${field}[${JSON.stringify(key)}]`);
  }
}
