import type { LineSource } from '../serial/line-source.js';
import { canInput } from './can-input.js';
import type { AgentConfig } from './config.js';
import type { InputContext, InputFactory, ReadingInput } from './input.js';

type SerialInput = NonNullable<AgentConfig['gnss']>;

/**
 * A line-based serial input (GNSS receiver, IMU board) or its replay: readings go to the
 * pipeline, each refused line to the error counter.
 */
function lineInput(
  name: 'gnss' | 'imu',
  source: LineSource,
  ctx: InputContext,
  replay: boolean,
): ReadingInput {
  if (replay) {
    // A replayed capture stands in for a live receiver, as a replayed CAN log does: its
    // times are shifted so that its first reading is now, keeping the recorded spacing.
    let shiftUs: number | undefined;
    source.on('reading', (r) => {
      shiftUs ??= Date.now() * 1000 - r.timeUs;
      ctx.reading({ ...r, timeUs: r.timeUs + shiftUs });
    });
  } else {
    source.on('reading', (r) => ctx.reading(r));
  }
  source.on('error', (err) => ctx.inputError(name, err));
  return {
    name,
    start: () => source.open(),
    stop: () => source.close(),
  };
}

async function gnssSource(c: SerialInput): Promise<LineSource> {
  const { GnssReplaySource, GnssSerialSource } = await import('../gnss/gnss-sources.js');
  return 'path' in c
    ? new GnssSerialSource({
        path: c.path,
        ...(c.baudRate === undefined ? {} : { baudRate: c.baudRate }),
      })
    : new GnssReplaySource({ file: c.replay, pace: c.realtime ? 1 : 0 });
}

async function imuSource(c: SerialInput): Promise<LineSource> {
  const { ImuReplaySource, ImuSerialSource } = await import('../imu/imu-sources.js');
  return 'path' in c
    ? new ImuSerialSource({
        path: c.path,
        ...(c.baudRate === undefined ? {} : { baudRate: c.baudRate }),
      })
    : new ImuReplaySource({ file: c.replay, pace: c.realtime ? 1 : 0 });
}

/** Builds the inputs the config asks for. */
export const buildInputs: InputFactory = async (config, ctx) => {
  const inputs: ReadingInput[] = [];
  if (config.can) inputs.push(await canInput(config, ctx));
  // Inputs are loaded only when configured (see CanSourceType.load).
  if (config.gnss)
    inputs.push(lineInput('gnss', await gnssSource(config.gnss), ctx, 'replay' in config.gnss));
  if (config.imu)
    inputs.push(lineInput('imu', await imuSource(config.imu), ctx, 'replay' in config.imu));
  return inputs;
};
