#!/usr/bin/env node
// Writes drive.log: 60 s of a vehicle on the demo DBC (simulator/dbc/fleetline-demo.dbc) as a
// candump -L log — dynamics at 100 Hz, engine at 10 Hz, body at 1 Hz: pulling away, cruising,
// braking to a stop. `node make-drive-log.mjs` regenerates it (the output is deterministic).
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DbcCodec, formatCandumpLine, loadDbcFile } from '@fleetline/edge';

const here = dirname(fileURLToPath(import.meta.url));
const codec = new DbcCodec(await loadDbcFile(join(here, '../../simulator/dbc/fleetline-demo.dbc')));
const t0 = 1_764_000_000_000_000; // µs
const lines = [];
const frame = (id, values, timeUs) =>
  lines.push(
    formatCandumpLine(
      {
        id,
        extended: false,
        remote: false,
        fd: false,
        error: false,
        dlc: 8,
        timeUs,
        data: codec.lookup(id, false).encode(values),
      },
      'can0',
    ),
  );

let speed = 0; // km/h
let odometer = 48_211.3; // km
for (let i = 0; i < 6000; i++) {
  const s = i / 100;
  // 0–15 s: accelerate at ~1.6 m/s²; 15–45 s: cruise near 85 km/h; 45–55 s: brake to a stop.
  const accel = s < 15 ? 1.6 : s < 45 ? 0.15 * Math.sin(s / 3) : s < 55 ? -2.4 : 0;
  speed = Math.max(0, speed + accel * 3.6 * 0.01);
  odometer += speed / 3600 / 100;
  const t = t0 + i * 10_000;
  frame(
    256,
    {
      SPEED: Math.round(speed * 100) / 100,
      ACCEL_LONG: Math.round(accel * 100) / 100,
      ACCEL_LAT: 0,
      ACCEL_VERT: 9.81,
    },
    t,
  );
  if (i % 10 === 0) {
    const rpm = speed === 0 ? 800 : 1200 + (speed % 30) * 60;
    frame(
      257,
      {
        ENGINE_SPEED: rpm,
        COOLANT_TEMP: Math.min(90, 70 + s),
        FUEL_LEVEL: 62.4,
        GEAR: speed === 0 ? 0 : Math.min(6, 1 + Math.floor(speed / 20)),
      },
      t + 100,
    );
  }
  if (i % 100 === 0)
    frame(258, { BATTERY_VOLTAGE: 14.1, ODOMETER: Math.round(odometer * 10) / 10 }, t + 200);
}
writeFileSync(join(here, 'drive.log'), `${lines.join('\n')}\n`);
console.log(`wrote ${lines.length} frames to drive.log`);
