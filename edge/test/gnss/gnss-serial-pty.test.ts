import { describe, expect, it } from 'vitest';
import { cleanupAfterEach } from '../../../test-support/cleanup.js';
import { eventually } from '../../../test-support/infra.js';
import { DevicePty, hasSocat } from '../../../test-support/pty.js';
import type { NmeaError } from '../../src/errors.js';
import type { GnssFix } from '../../src/gnss/fix-tracker.js';
import { GnssSerialSource } from '../../src/gnss/gnss-sources.js';
import { withChecksum } from '../../src/serial/xor-checksum.js';
import type { Reading } from '../../src/signals/reading.js';

const two = (n: number) => String(n).padStart(2, '0');

/** An RMC + GGA + GSA epoch at `time`, dated `date` (defaults to the time's own date). */
function epoch(time: Date, date: Date = time, lat = '4808.9993'): string {
  const hhmmss = `${two(time.getUTCHours())}${two(time.getUTCMinutes())}${two(time.getUTCSeconds())}.00`;
  const ddmmyy = `${two(date.getUTCDate())}${two(date.getUTCMonth() + 1)}${two(date.getUTCFullYear() % 100)}`;
  return [
    withChecksum(`GPRMC,${hhmmss},A,${lat},N,01135.0798,E,12.5,271.3,${ddmmyy},,,A`),
    withChecksum(`GPGGA,${hhmmss},${lat},N,01135.0798,E,1,09,0.8,512.4,M,47.0,M,,`),
    withChecksum('GPGSA,A,3,01,02,03,04,05,06,07,08,09,,,,1.6,0.8,1.4'),
  ]
    .map((l) => `${l}\r\n`)
    .join('');
}

/** The start of the current second, so the epoch's time is close to the host clock. */
const nowSecond = (offsetS = 0) => new Date(Math.floor(Date.now() / 1000) * 1000 + offsetS * 1000);

describe.skipIf(!hasSocat)('GnssSerialSource on a real pseudo-terminal', () => {
  const cleanup = cleanupAfterEach();

  async function setup(epochIdleMs?: number) {
    const pty = await DevicePty.create();
    cleanup.defer(() => pty.dispose());
    const fixes: GnssFix[] = [];
    const source = new GnssSerialSource({
      path: pty.b,
      baudRate: 9600,
      backoff: { initialMs: 50, maxMs: 200 },
      epochIdleMs,
      onFix: (f) => fixes.push(f),
    });
    cleanup.defer(() => source.close());
    const readings: Reading[] = [];
    const errors: NmeaError[] = [];
    source.on('reading', (r) => readings.push(r));
    source.on('error', (e) => errors.push(e as NmeaError));
    await source.open();
    return { pty, source, fixes, readings, errors };
  }

  it('reads fixes written into the other end, and counts the bad lines', async () => {
    const { pty, source, fixes, readings, errors } = await setup();
    const t = nowSecond(-1);
    await pty.write(epoch(t));
    await pty.write('line noise\r\n$GPGGA,000000.00,,,,,0,,,,M,,M,,*00\r\n');
    // The epoch is emitted once the line has been quiet for the idle time.
    await eventually(() => fixes.length >= 1, 'a fix from the pty', 5_000);
    expect(fixes[0]).toMatchObject({
      valid: true,
      timeUs: t.getTime() * 1000,
      dateSource: 'receiver',
      latitude: 48.14998833333333,
      satellites: 9,
    });
    const names = readings.filter((r) => r.timeUs === t.getTime() * 1000).map((r) => r.name);
    expect(names).toEqual([
      'gnss.latitude',
      'gnss.longitude',
      'gnss.altitude',
      'gnss.speed',
      'gnss.course',
      'gnss.fix_quality',
      'gnss.satellites',
      'gnss.hdop',
    ]);
    await eventually(() => errors.length >= 2, 'both bad lines refused', 5_000);
    expect(errors.map((e) => e.details.reason)).toEqual(['no-start', 'checksum']);
    expect(source.stats).toMatchObject({ errors: 2 });
    expect(source.stats.lines).toBeGreaterThanOrEqual(5);
  });

  it('replaces a week-rollover date with the host date', async () => {
    const { pty, fixes } = await setup();
    const t = nowSecond(-1);
    const rolledBack = new Date(t.getTime() - 1024 * 7 * 86_400_000);
    await pty.write(epoch(t, rolledBack));
    await eventually(() => fixes.length >= 1, 'a fix from the pty', 5_000);
    expect(fixes[0]).toMatchObject({ timeUs: t.getTime() * 1000, dateSource: 'host', valid: true });
  });

  it('reconnects when the device disappears and comes back, and reads again', async () => {
    const { pty, source, fixes } = await setup();
    const events: string[] = [];
    source.on('disconnect', () => events.push('disconnect'));
    source.on('connect', () => events.push('connect'));
    await pty.write(epoch(nowSecond(-2)));
    await eventually(() => fixes.length >= 1, 'a fix before the disconnect', 5_000);

    await pty.stop();
    await eventually(() => source.state === 'reconnecting', 'the source to notice', 5_000);
    expect(events).toEqual(['disconnect']);

    await pty.start();
    await eventually(() => source.state === 'open', 'the source to reopen the device', 10_000);
    expect(events).toEqual(['disconnect', 'connect']);
    expect(source.stats).toMatchObject({ disconnects: 1, reconnects: 1 });

    const t = nowSecond(-1);
    await pty.write(epoch(t, t, '4809.0000'));
    await eventually(
      () => fixes.find((f) => f.timeUs === t.getTime() * 1000),
      'a fix after reconnecting',
      5_000,
    );
    expect(fixes.at(-1)!.latitude).toBe(48.15);
  });

  it('emits the epoch being assembled when closed', async () => {
    // An idle time far longer than the test, so only close() can emit the epoch.
    const { pty, source, fixes } = await setup(600_000);
    const t = nowSecond(-1);
    await pty.write(epoch(t));
    await eventually(() => source.stats.lines >= 3, 'all three lines read', 5_000);
    expect(fixes).toEqual([]);
    await source.close();
    expect(fixes.map((f) => f.timeUs)).toEqual([t.getTime() * 1000]);
  });
});
