import { describe, expect, it } from 'vitest';
import { decodeWith, nameOf } from '../../src/codec/protobuf.js';
import { MalformedMessageError, pb } from '../../src/index.js';

const v1 = pb.telemetry.v1;

describe('decodeWith', () => {
  it('should return what the generated decoder returns', () => {
    const bytes = v1.DeviceStatus.encode({ deviceId: 'veh-1', timeMs: 5 }).finish();
    expect(decodeWith(v1.DeviceStatus, bytes, 'DeviceStatus')).toMatchObject({
      deviceId: 'veh-1',
      timeMs: 5,
    });
  });

  it('should turn a protobuf error into MalformedMessageError naming the message and the size, with the cause', () => {
    const garbage = new Uint8Array([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x0f]);
    let error: unknown;
    try {
      decodeWith(v1.DeviceStatus, garbage, 'DeviceStatus');
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(MalformedMessageError);
    expect((error as Error).message).toMatch(/^payload \(7 bytes\) is not a valid DeviceStatus: /);
    expect((error as Error).cause).toBeInstanceOf(Error);
  });
});

describe('nameOf', () => {
  const states = {
    online: v1.DeviceState.DEVICE_STATE_ONLINE,
    offline: v1.DeviceState.DEVICE_STATE_OFFLINE,
  };

  it('should name a listed wire enum value', () => {
    expect(nameOf(states, v1.DeviceState.DEVICE_STATE_OFFLINE)).toBe('offline');
  });

  it('should give undefined for UNSPECIFIED and for a value from a newer schema', () => {
    expect(nameOf(states, v1.DeviceState.DEVICE_STATE_UNSPECIFIED)).toBeUndefined();
    expect(nameOf(states, 99 as pb.telemetry.v1.DeviceState)).toBeUndefined();
  });
});
