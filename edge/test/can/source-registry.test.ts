import Type from 'typebox';
import Value from 'typebox/value';
import { describe, expect, it } from 'vitest';
import { CandumpReplaySource } from '../../src/can/candump-replay-source.js';
import { SlcanSource } from '../../src/can/slcan-source.js';
import { SocketCanSource } from '../../src/can/socketcan-source.js';
import {
  type CanSourceConfig,
  canSourceConfigSchema,
  canSourceType,
  canSourceTypes,
  createCanSource,
  resolveCanSourceFiles,
  restartsAtEnd,
  transmittingCanSourceTypes,
} from '../../src/can/source-registry.js';

/**
 * The registry is the one list of CAN source kinds: every registered kind must appear in this
 * table, so a kind added without a test fails here.
 */
const examples: Record<string, { config: CanSourceConfig; makes: new (...a: never[]) => unknown }> =
  {
    slcan: { config: { type: 'slcan', path: 'dev/ttyACM0' }, makes: SlcanSource },
    socketcan: { config: { type: 'socketcan', interface: 'can0' }, makes: SocketCanSource },
    candump: { config: { type: 'candump', file: 'drive.log' }, makes: CandumpReplaySource },
  };

const schema = canSourceConfigSchema(Type);

describe('the CAN source registry', () => {
  it('should have a distinct type per kind, each one in the test table', () => {
    const types = canSourceTypes.map((k) => k.type);
    expect(new Set(types).size).toBe(types.length);
    expect(types.sort()).toEqual(Object.keys(examples).sort());
  });

  it('should build the schema of can.source as one closed object per kind, in registration order', () => {
    expect(schema.anyOf.map((s) => s.properties.type.const)).toEqual(
      canSourceTypes.map((k) => k.type),
    );
    for (const branch of schema.anyOf) {
      // Set by the registry's options, which the schema's static type does not carry.
      expect((branch as { additionalProperties?: unknown }).additionalProperties).toBe(false);
      expect(branch.required).toContain('type');
    }
  });

  it.each(Object.entries(examples))(
    'should accept a %s source and refuse unknown settings',
    (_type, e) => {
      expect(Value.Check(schema, e.config)).toBe(true);
      expect(Value.Check(schema, { ...e.config, surprise: 1 })).toBe(false);
    },
  );

  it('should refuse a type nobody registered', () => {
    expect(Value.Check(schema, { type: 'warp', path: 'x' })).toBe(false);
    expect(() => canSourceType('warp')).toThrow(/no CAN source type "warp"/);
  });

  it.each(Object.entries(examples))(
    'should make a %s source that sends as its kind says',
    async (type, e) => {
      const source = await createCanSource(e.config);
      expect(source).toBeInstanceOf(e.makes);
      expect(source.canSend).toBe(canSourceType(type).transmits);
      await source.close();
    },
  );

  it('should name the kinds that transmit, for the OBD-II check', () => {
    expect(transmittingCanSourceTypes()).toEqual(['slcan', 'socketcan']);
  });

  it('should resolve only the settings that name files, in a copy', () => {
    const resolve = (p: string) => `/etc/fleetline/${p}`;
    const slcan: CanSourceConfig = { type: 'slcan', path: 'dev/ttyACM0', bitrate: undefined };
    expect(resolveCanSourceFiles(slcan, resolve)).toEqual({
      type: 'slcan',
      path: '/etc/fleetline/dev/ttyACM0',
      bitrate: undefined,
    });
    expect(slcan.path).toBe('dev/ttyACM0');
    expect(resolveCanSourceFiles({ type: 'candump', file: 'd.log', loop: true }, resolve)).toEqual({
      type: 'candump',
      file: '/etc/fleetline/d.log',
      loop: true,
    });
    expect(resolveCanSourceFiles({ type: 'socketcan', interface: 'can0' }, resolve)).toEqual({
      type: 'socketcan',
      interface: 'can0',
    });
  });

  it('should start again at its end only a replay in a loop', () => {
    expect(restartsAtEnd({ type: 'candump', file: 'd.log', loop: true })).toBe(true);
    expect(restartsAtEnd({ type: 'candump', file: 'd.log' })).toBe(false);
    expect(restartsAtEnd({ type: 'slcan', path: '/dev/ttyACM0' })).toBe(false);
    expect(restartsAtEnd({ type: 'socketcan', interface: 'can0' })).toBe(false);
  });
});
