import { describe, expect, it } from 'vitest';
import { decodeCommand, encodeCommand } from '../../src/index.js';

const base = 1_764_000_000_000;

describe('encodeCommand / decodeCommand', () => {
  it('should round-trip a command', () => {
    const command = {
      commandId: 'c-1',
      deviceId: 'v',
      issuedAtMs: base,
      expiresAtMs: 0,
      action: { kind: 'setConfig', values: { 'uplink.batchIntervalMs': '5000' } },
    } as const;
    expect(decodeCommand(encodeCommand(command))).toEqual(command);
  });
});
