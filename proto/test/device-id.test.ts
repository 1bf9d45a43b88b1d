import { describe, expect, it } from 'vitest';
import { checkDecodedDeviceId } from '../src/device-id.js';
import {
  assertDeviceId,
  BadTopicError,
  DEVICE_ID_PATTERN,
  InvalidMessageError,
  isValidDeviceId,
} from '../src/index.js';

const valid = ['v', '0', 'veh-1', 'sim-0001', 'a.b_c-d', 'A'.repeat(64)];
const invalid = ['', '-veh', '.veh', '_veh', 'a'.repeat(65), 'veh/1', '+', '#', '车辆-1', 'veh 1'];

describe('device ids', () => {
  it('should take 1-64 characters of A-Z a-z 0-9 _ . - starting with a letter or digit', () => {
    for (const id of valid) expect(isValidDeviceId(id), id).toBe(true);
    for (const id of invalid) expect(isValidDeviceId(id), id).toBe(false);
  });

  it('should give JSON schemas the same rule as a pattern string, with or without the u flag', () => {
    // JSON Schema validators compile `pattern` as a Unicode regular expression.
    for (const flags of ['', 'u']) {
      const schema = new RegExp(DEVICE_ID_PATTERN, flags);
      for (const id of [...valid, ...invalid]) {
        expect(schema.test(id), `${id} /${flags}`).toBe(isValidDeviceId(id));
      }
    }
  });

  it('should refuse an invalid id naming it and the alphabet', () => {
    expect(() => assertDeviceId('veh-1')).not.toThrow();
    expect(() => assertDeviceId('veh/1')).toThrow(BadTopicError);
    expect(() => assertDeviceId('veh/1')).toThrow(
      'device id "veh/1" is invalid: use 1-64 characters of A-Z a-z 0-9 _ . - starting with a letter or digit',
    );
  });

  it('should refuse the invalid device_id of a decoded message as InvalidMessageError naming the field', () => {
    expect(() => checkDecodedDeviceId('veh-1', 'Command')).not.toThrow();
    expect(() => checkDecodedDeviceId('', 'Command')).toThrow(InvalidMessageError);
    expect(() => checkDecodedDeviceId('veh/1', 'AlertChange')).toThrow(
      'AlertChange.device_id "veh/1" is invalid',
    );
  });

  it('should quote only the start of a hostile id as long as a packet', () => {
    const id = 'x/'.repeat(50_000);
    for (const check of [() => assertDeviceId(id), () => checkDecodedDeviceId(id, 'Event')]) {
      let message = '';
      try {
        check();
      } catch (err) {
        message = (err as Error).message;
      }
      expect(message).toMatch(/^(device id|Event\.device_id) "x\/x\/.*…" is invalid/);
      expect(message.length).toBeLessThan(250);
    }
  });
});
