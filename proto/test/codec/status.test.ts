import { describe, expect, it } from 'vitest';
import { decodeStatus, encodeStatus } from '../../src/index.js';

const base = 1_764_000_000_000;

describe('encodeStatus / decodeStatus', () => {
  it('should round-trip a status', () => {
    const status = {
      deviceId: 'v',
      timeMs: base,
      state: 'offline',
      agentVersion: '0.1.0',
    } as const;
    expect(decodeStatus(encodeStatus(status))).toEqual(status);
  });
});
