import type { Reading } from '../signals/reading.js';
import type { GnssFix } from './fix-tracker.js';

/**
 * The readings of one fix, all stamped with the fix's time:
 *
 * | name                 | unit                            | when                          |
 * | -------------------- | ------------------------------- | ----------------------------- |
 * | `gnss.latitude`      | degrees, north positive (WGS-84) | valid fix                     |
 * | `gnss.longitude`     | degrees, east positive (WGS-84)  | valid fix                     |
 * | `gnss.altitude`      | metres above mean sea level     | valid fix with GGA/GNS altitude |
 * | `gnss.speed`         | km/h over ground                | valid fix with RMC/VTG speed  |
 * | `gnss.course`        | degrees true, 0–360             | valid fix, field not empty    |
 * | `gnss.fix_quality`   | GGA quality, 0 = no fix         | every fix                     |
 * | `gnss.satellites`    | satellites in use               | when reported                 |
 * | `gnss.hdop`          | horizontal dilution of precision | valid fix                     |
 *
 * An invalid fix yields `gnss.fix_quality` 0 (and the satellite count, if reported), so a
 * consumer sees the fix being lost; nothing that depends on the position is reported, since
 * receivers fill those fields with stale or placeholder values (HDOP 99.99, 0.0).
 */
export function fixReadings(fix: GnssFix): Reading[] {
  const timeUs = fix.timeUs;
  const out: Reading[] = [];
  const add = (name: string, value: number | undefined) => {
    if (value !== undefined) out.push({ name, value, timeUs });
  };
  if (fix.valid) {
    add('gnss.latitude', fix.latitude);
    add('gnss.longitude', fix.longitude);
    add('gnss.altitude', fix.altitudeM);
    add('gnss.speed', fix.speedKmh);
    add('gnss.course', fix.courseDeg);
  }
  add('gnss.fix_quality', fix.valid ? fix.fixQuality : 0);
  add('gnss.satellites', fix.satellites);
  if (fix.valid) add('gnss.hdop', fix.hdop);
  return out;
}
