import { describe, expect, it } from 'vitest';
import { addressKey, ConnectionGate } from '../src/connection-gate.js';
import { openFileLimit } from '../src/open-file-limit.js';

describe('ConnectionGate', () => {
  it('should bound open connections in all and per address, and free places on release', () => {
    const gate = new ConnectionGate({
      maxConnections: 3,
      maxConnectionsPerAddress: 2,
      ratePerAddress: 100,
    });
    const a1 = gate.enter('10.0.0.1');
    const a2 = gate.enter('10.0.0.1');
    expect(gate.enter('10.0.0.1')).toEqual({ refused: 'max-connections-per-address' });
    const b1 = gate.enter('10.0.0.2');
    expect(gate.enter('10.0.0.3')).toEqual({ refused: 'max-connections' });
    expect(gate.open).toBe(3);
    if (!('release' in a1) || !('release' in a2) || !('release' in b1)) throw new Error('refused');
    a1.release();
    a1.release(); // once only
    expect(gate.open).toBe(2);
    expect('release' in gate.enter('10.0.0.1')).toBe(true);
  });

  it('should refuse an address past its rate before counting it', () => {
    const gate = new ConnectionGate({
      maxConnections: 100,
      maxConnectionsPerAddress: 100,
      ratePerAddress: 1,
      now: () => 0,
    });
    expect('release' in gate.enter('10.0.0.1')).toBe(true);
    expect('release' in gate.enter('10.0.0.1')).toBe(true); // a burst of two
    expect(gate.enter('10.0.0.1')).toEqual({ refused: 'rate' });
    expect(gate.open).toBe(2);
  });

  it('should keep IPv4 addresses arriving as IPv6-mapped under the IPv4 address', () => {
    expect(addressKey('::ffff:10.1.2.3')).toBe('10.1.2.3');
    expect(addressKey('2001:db8::1')).toBe('2001:db8::1');
    expect(addressKey(undefined)).toBe('unknown');
  });
});

describe('openFileLimit', () => {
  const limits = (soft: string) =>
    [
      'Limit                     Soft Limit           Hard Limit           Units     ',
      'Max processes             95436                95436                processes ',
      `Max open files            ${soft.padEnd(20)} 20000                files     `,
    ].join('\n');

  it('should read the soft limit on open files', () => {
    expect(openFileLimit(() => limits('20000'))).toBe(20_000);
    expect(openFileLimit(() => limits('unlimited'))).toBeUndefined();
    expect(
      openFileLimit(() => {
        throw new Error('ENOENT');
      }),
    ).toBeUndefined();
  });
});
