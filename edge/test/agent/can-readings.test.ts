import { describe, expect, it } from 'vitest';
import { canFrameReader } from '../../src/agent/can-readings.js';
import { agentMetrics } from '../../src/agent/metrics.js';
import { frame } from '../../src/can/frame.js';
import { DbcCodec } from '../../src/dbc/codec.js';
import { parseDbc } from '../../src/dbc/parser.js';
import type { Reading } from '../../src/signals/reading.js';
import { dbc } from '../dbc/helpers.js';

const codec = new DbcCodec(
  parseDbc(
    dbc(
      'BO_ 256 DYN: 4 ECU',
      ' SG_ SPEED : 0|16@1+ (0.01,0) [0|655.35] "km/h" ECU',
      ' SG_ GEAR : 16|8@1+ (1,0) [0|8] "" ECU',
      '',
      'BO_ 512 MUX: 3 ECU',
      ' SG_ SEL M : 0|8@1+ (1,0) [0|255] "" ECU',
      ' SG_ OIL m0 : 8|16@1+ (1,0) [0|65535] "" ECU',
      ' SG_ FUEL m1 : 8|16@1+ (1,0) [0|65535] "" ECU',
      '',
      'BO_ 768 BODY: 1 ECU',
      ' SG_ DOOR : 0|8@1+ (1,0) [0|255] "" ECU',
    ),
    'test.dbc',
  ),
);

function reader(wanted: string[], withCodec: DbcCodec | 'no DBC' = codec) {
  const readings: Reading[] = [];
  const errors: { input: string; err: Error }[] = [];
  const asked: string[] = [];
  const metrics = agentMetrics();
  const ctx = {
    counts: { canFrames: 0 },
    metrics,
    wants: (name: string) => {
      asked.push(name);
      return wanted.includes(name);
    },
    reading: (r: Reading) => readings.push(r),
    inputError: (input: string, err: Error) => errors.push({ input, err }),
  };
  return {
    onFrame: canFrameReader(withCodec === 'no DBC' ? undefined : withCodec, ctx),
    ctx,
    readings,
    errors,
    asked,
    metrics,
  };
}

describe('canFrameReader', () => {
  it('should turn the wanted signals of a frame into readings named can.<Message>.<Signal>', () => {
    const { onFrame, readings, ctx } = reader(['can.DYN.SPEED']);
    onFrame(frame(256, [0x10, 0x27, 3, 0], { timeUs: 5 }));
    expect(readings).toEqual([{ name: 'can.DYN.SPEED', value: 100, timeUs: 5 }]);
    expect(ctx.counts.canFrames).toBe(1);
  });

  it('should ask about each message once, and not decode one nobody reads', () => {
    const { onFrame, readings, asked } = reader(['can.DYN.SPEED']);
    for (let i = 0; i < 3; i++) onFrame(frame(768, [1]));
    // Too short to decode, but never decoded: no mapping reads BODY.
    onFrame(frame(768, []));
    expect(readings).toEqual([]);
    expect(asked).toEqual(['can.BODY.DOOR']);
  });

  it('should skip signals multiplexed out of a frame', () => {
    const { onFrame, readings } = reader(['can.MUX.OIL', 'can.MUX.FUEL']);
    onFrame(frame(512, [1, 7, 0], { timeUs: 9 }));
    expect(readings).toEqual([{ name: 'can.MUX.FUEL', value: 7, timeUs: 9 }]);
  });

  it('should count frames of unknown ids as bad input without logging them', async () => {
    const { onFrame, errors, metrics, ctx } = reader(['can.DYN.SPEED']);
    onFrame(frame(0x123, [1, 2]));
    onFrame(frame(256, [0, 0, 0, 0], { extended: true }));
    expect(errors).toEqual([]);
    expect((await metrics.inputErrors.get()).values).toEqual([
      expect.objectContaining({ labels: { input: 'can', code: 'UNKNOWN_FRAME_ID' }, value: 2 }),
    ]);
    expect(ctx.counts.canFrames).toBe(2);
  });

  it('should report a frame too short for its message as bad CAN input', () => {
    const { onFrame, errors, readings } = reader(['can.DYN.SPEED']);
    onFrame(frame(256, [1]));
    expect(readings).toEqual([]);
    expect(errors).toEqual([
      { input: 'can', err: expect.objectContaining({ code: 'EDGE_FRAME_TOO_SHORT' }) },
    ]);
  });

  it('should only count remote and error frames, and every frame without a DBC', () => {
    const { onFrame, readings, errors, ctx } = reader(['can.DYN.SPEED']);
    onFrame(frame(256, [], { remote: true, dlc: 4 }));
    onFrame(frame(256, [0, 0, 0, 0], { error: true }));
    const bare = reader(['can.DYN.SPEED'], 'no DBC');
    bare.onFrame(frame(256, [0, 0, 0, 0]));
    expect([...readings, ...bare.readings, ...errors, ...bare.errors]).toEqual([]);
    expect([ctx.counts.canFrames, bare.ctx.counts.canFrames]).toEqual([2, 1]);
  });
});
