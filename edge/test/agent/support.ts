import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  decodeEvent,
  decodeTelemetryBatch,
  type Sample,
  type VehicleEvent,
} from '@fleetline/proto';
import { pino } from 'pino';
import { afterAll } from 'vitest';
import type { Received } from '../../../test-support/broker.js';
import { cleanupAfterEach } from '../../../test-support/cleanup.js';
import { repoRoot } from '../../../test-support/process.js';
import { formatCandumpLine } from '../../src/can/candump-format.js';
import { DbcCodec } from '../../src/dbc/codec.js';
import { loadDbcFile } from '../../src/dbc/load.js';

export const demoDbc = join(repoRoot, 'simulator/dbc/fleetline-demo.dbc');

export const demoMappings = [
  { from: 'can.VEHICLE_DYNAMICS.SPEED', to: 'Vehicle.Speed' },
  { from: 'can.VEHICLE_DYNAMICS.ACCEL_LONG', to: 'Vehicle.Acceleration.Longitudinal' },
  { from: 'can.VEHICLE_DYNAMICS.ACCEL_LAT', to: 'Vehicle.Acceleration.Lateral' },
  { from: 'can.ENGINE.ENGINE_SPEED', to: 'Vehicle.Powertrain.CombustionEngine.Speed' },
  { from: 'can.ENGINE.COOLANT_TEMP', to: 'Vehicle.Powertrain.CombustionEngine.ECT' },
  { from: 'can.BODY.ODOMETER', to: 'Vehicle.TraveledDistance' },
];

const dirs: string[] = [];
export function tempDir(prefix = 'fleetline-agent-'): string {
  const d = mkdtempSync(join(tmpdir(), prefix));
  dirs.push(d);
  return d;
}
export function removeTempDirs(): void {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
}

/**
 * What a test started, stopped after it in reverse order (a failing stop does not keep the
 * others from running), and the temporary folders removed after the file. Call once per file.
 */
export function cleanupAfterEachTest(): (stop: () => Promise<unknown>) => void {
  const cleanup = cleanupAfterEach({ ignoreFailures: true });
  afterAll(removeTempDirs);
  return (stop) => cleanup.defer(stop);
}

export const quietLogger = () => pino({ level: 'silent' });

let codec: DbcCodec | undefined;
export async function demoCodec(): Promise<DbcCodec> {
  codec ??= new DbcCodec(await loadDbcFile(demoDbc));
  return codec;
}

/** Data bytes of a demo message with these signal values. */
export async function encodeDemo(
  messageId: number,
  values: Record<string, number>,
): Promise<Uint8Array> {
  const c = (await demoCodec()).lookup(messageId, false);
  if (!c) throw new Error(`no demo message ${messageId}`);
  return c.encode(values, { strict: false });
}

/**
 * Writes a candump -L log of `seconds` of driving: VEHICLE_DYNAMICS at 100 Hz with a speed
 * that rises and falls, ENGINE at 10 Hz.
 */
export async function writeDriveLog(
  path: string,
  seconds: number,
  extra: string[] = [],
): Promise<void> {
  const lines: string[] = [];
  const t0 = 1_764_000_000_000_000;
  for (let i = 0; i < seconds * 100; i++) {
    const t = t0 + i * 10_000;
    const speed = Math.round((60 + 50 * Math.sin(i / 150)) * 100) / 100;
    const dyn = await encodeDemo(256, {
      SPEED: speed,
      ACCEL_LONG: 0.1,
      ACCEL_LAT: 0,
      ACCEL_VERT: 9.8,
    });
    lines.push(
      formatCandumpLine(
        {
          id: 256,
          extended: false,
          remote: false,
          fd: false,
          error: false,
          data: dyn,
          dlc: 8,
          timeUs: t,
        },
        'can0',
      ),
    );
    if (i % 10 === 0) {
      const eng = await encodeDemo(257, {
        ENGINE_SPEED: 1500 + i,
        COOLANT_TEMP: 90,
        FUEL_LEVEL: 50,
        GEAR: 3,
      });
      lines.push(
        formatCandumpLine(
          {
            id: 257,
            extended: false,
            remote: false,
            fd: false,
            error: false,
            data: eng,
            dlc: 8,
            timeUs: t + 1,
          },
          'can0',
        ),
      );
    }
  }
  writeFileSync(path, `${[...lines, ...extra].join('\n')}\n`);
}

/** One frame of the demo bus: its message id and signal values. */
export interface DemoFrame {
  id: number;
  values: Record<string, number>;
}

/**
 * Writes a candump -L log of `durationMs` from t0, one step every `stepMs`: the frames
 * `framesAt` gives for each step's offset (ms), stamped with the step's time.
 */
export async function writeDemoLog(
  path: string,
  t0Ms: number,
  durationMs: number,
  stepMs: number,
  framesAt: (ms: number) => DemoFrame[],
): Promise<void> {
  const lines: string[] = [];
  for (let ms = 0; ms < durationMs; ms += stepMs) {
    for (const f of framesAt(ms)) {
      lines.push(
        formatCandumpLine(
          {
            id: f.id,
            extended: false,
            remote: false,
            fd: false,
            error: false,
            data: await encodeDemo(f.id, f.values),
            dlc: 8,
            timeUs: (t0Ms + ms) * 1000,
          },
          'can0',
        ),
      );
    }
  }
  writeFileSync(path, `${lines.join('\n')}\n`);
}

export interface DecodedUplink {
  telemetry: { seq: number; samples: Sample[]; index: number; bytes: number }[];
  /** With the size of each payload, as published. */
  events: (VehicleEvent & { index: number; bytes: number })[];
}

/** Decodes what a device published to the broker, in arrival order. */
export function decodeUplink(received: readonly Received[], deviceId: string): DecodedUplink {
  const out: DecodedUplink = { telemetry: [], events: [] };
  received.forEach((r, index) => {
    if (r.topic === `v1/${deviceId}/telemetry`) {
      const b = decodeTelemetryBatch(r.payload);
      out.telemetry.push({ seq: b.seq, samples: b.samples, index, bytes: r.payload.length });
    } else if (r.topic === `v1/${deviceId}/events`) {
      out.events.push({ ...decodeEvent(r.payload), index, bytes: r.payload.length });
    }
  });
  return out;
}

export function writeConfig(dir: string, config: object): string {
  const file = join(dir, 'agent.json');
  writeFileSync(file, JSON.stringify(config, null, 2));
  return file;
}
