import { fleetline } from '../../gen/fleetline.js';
import { assertDeviceId, checkDecodedDeviceId } from '../device-id.js';
import { InvalidMessageError } from '../errors.js';
import { checkText, TEXT_LIMITS } from '../text-limits.js';
import { checkWireTime } from '../time-range.js';
import { decodeWith, nameOf } from './protobuf.js';

import v1 = fleetline.telemetry.v1;

/** DeviceStatus (`status.v1`): a device online or offline, retained and its last will. */

export type DeviceState = 'online' | 'offline';

export interface DeviceStatus {
  deviceId: string;
  timeMs: number;
  state: DeviceState;
  agentVersion: string;
}

const states: Record<DeviceState, v1.DeviceState> = {
  online: v1.DeviceState.DEVICE_STATE_ONLINE,
  offline: v1.DeviceState.DEVICE_STATE_OFFLINE,
};

export function encodeStatus(s: DeviceStatus): Uint8Array {
  assertDeviceId(s.deviceId);
  checkWireTime(s.timeMs, 'time_ms');
  checkText(s.agentVersion, TEXT_LIMITS.agentVersion, 'agent_version');
  return v1.DeviceStatus.encode({
    deviceId: s.deviceId,
    timeMs: s.timeMs,
    state: states[s.state],
    agentVersion: s.agentVersion,
  }).finish();
}

export function decodeStatus(bytes: Uint8Array): DeviceStatus {
  const m = decodeWith(v1.DeviceStatus, bytes, 'DeviceStatus');
  checkDecodedDeviceId(m.deviceId, 'DeviceStatus');
  checkWireTime(m.timeMs, 'DeviceStatus.time_ms');
  checkText(m.agentVersion, TEXT_LIMITS.agentVersion, 'DeviceStatus.agent_version');
  const state = nameOf(states, m.state);
  if (!state) throw new InvalidMessageError('DeviceStatus.state must be ONLINE or OFFLINE');
  return { deviceId: m.deviceId, timeMs: m.timeMs, state, agentVersion: m.agentVersion };
}
