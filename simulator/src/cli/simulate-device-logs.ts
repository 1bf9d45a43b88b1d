import { createWriteStream } from 'node:fs';
import type { DbcDatabase } from '@fleetline/edge';
import type { CanSignalMapping } from '../can/mapping.js';
import { CanTraffic, candumpLines } from '../can/traffic.js';
import type { TimedSource } from '../device/feeds.js';
import { GnssTraffic } from '../device/gnss.js';
import { ImuTraffic } from '../device/imu.js';
import { DriveModel } from '../model/drive.js';
import type { Scenario } from '../model/scenario.js';
import type { SimulateIo } from './simulate.js';
import type { SimulateDeviceArgs } from './simulate-device-args.js';

/**
 * `fleetline simulate device` with log outputs: the drive's CAN bus, GPS receiver and IMU
 * board written as the edge agent's replay files, as fast as they can be written.
 */

/** Writes every item a source produces before `durationMs`, as lines, in chunks. */
async function writeLines<T>(
  file: string,
  source: TimedSource<T>,
  durationMs: number,
  lines: (items: T[]) => string[],
): Promise<number> {
  const out = createWriteStream(file);
  const failed = new Promise<never>((_, reject) => out.once('error', reject));
  let count = 0;
  for (let until = 0; until < durationMs; ) {
    until = Math.min(durationMs, until + 10_000);
    const items: T[] = [];
    while (source.nextDueMs < until) items.push(source.next());
    const text = lines(items);
    count += text.length;
    if (text.length > 0 && !out.write(`${text.join('\n')}\n`)) {
      await Promise.race([new Promise<void>((r) => out.once('drain', () => r())), failed]);
    }
  }
  await Promise.race([new Promise<void>((r) => out.end(() => r())), failed]);
  return count;
}

export async function writeLogs(
  args: SimulateDeviceArgs,
  scenario: Scenario,
  dbc: DbcDatabase | undefined,
  mapping: CanSignalMapping[] | undefined,
  io: SimulateIo,
): Promise<number> {
  const durationMs = Math.round((args.durationS as number) * 1000);
  // Each log reads its own model of the same drive: the same seed gives the same drive.
  const drive = { ...scenario, startMs: Math.ceil(Date.now() / 1000) * 1000 };
  const model = () => new DriveModel(drive, { samples: false });
  const summary: Record<string, unknown> = {
    scenario: args.scenario,
    seed: scenario.seed,
    durationMs,
  };
  try {
    if (args.candump && dbc) {
      const traffic = new CanTraffic({ dbc, model: model(), ...(mapping ? { mapping } : {}) });
      summary.canFrames = await writeLines(args.candump, traffic, durationMs, (frames) =>
        candumpLines(frames),
      );
    }
    if (args.nmeaLog) {
      const gnss = new GnssTraffic({ model: model(), rateHz: args.gnssRateHz });
      summary.gnssEpochs = 0;
      await writeLines(args.nmeaLog, gnss, durationMs, (epochs) => {
        summary.gnssEpochs = (summary.gnssEpochs as number) + epochs.length;
        return epochs.flatMap((e) => e.lines);
      });
    }
    if (args.imuLog) {
      const imu = new ImuTraffic({ model: model(), rateHz: args.imuRateHz });
      summary.imuLines = await writeLines(args.imuLog, imu, durationMs, (lines) =>
        lines.map((l) => l.line),
      );
    }
  } catch (err) {
    io.stderr.write(`fleetline simulate device: ${(err as Error).message}\n`);
    return 1;
  }
  io.stdout.write(`${JSON.stringify(summary)}\n`);
  return 0;
}
