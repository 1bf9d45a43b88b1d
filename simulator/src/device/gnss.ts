import { seededRandom } from '@fleetline/proto';
import type { DriveModel } from '../model/drive.js';
import { type NmeaOptions, nmeaSentences, type SimulatedFix } from '../serial/nmea.js';
import type { TimedSource } from './feeds.js';

/**
 * The vehicle's GPS receiver: an NMEA 0183 epoch (RMC, GGA, GSA, VTG) at a fixed rate from
 * the drive model's position, altitude, speed and heading, stamped with the simulated UTC time. Epochs
 * fall on whole UTC seconds (tenths at 5 and 10 Hz) when the drive starts on a 10-ms boundary,
 * as startVehicleDevices does. The position is the model's, without receiver error, so what an
 * agent stores can be checked against it; satellites and HDOP vary a little. During a scenario's `gnssOutage` the
 * receiver reports no fix.
 */

export interface GnssTrafficOptions {
  readonly model: DriveModel;
  /** Epochs per second: 1, 2, 5 or 10. Default 1. */
  readonly rateHz?: 1 | 2 | 5 | 10;
  /** Talker id and sentences (see nmeaSentences). */
  readonly nmea?: NmeaOptions;
}

export interface SimulatedGnssEpoch {
  /** Epoch ms (UTC) of the fix. */
  readonly timeMs: number;
  readonly fix: SimulatedFix;
  /** The epoch's sentences, checksums included, without line endings. */
  readonly lines: readonly string[];
}

export class GnssTraffic implements TimedSource<SimulatedGnssEpoch> {
  readonly intervalMs: number;
  private readonly model: DriveModel;
  private readonly random: () => number;
  private dueMs = 0;

  constructor(private readonly options: GnssTrafficOptions) {
    const rateHz = options.rateHz ?? 1;
    if (![1, 2, 5, 10].includes(rateHz)) {
      throw new RangeError(`GNSS rate ${rateHz} Hz: receivers send 1, 2, 5 or 10 epochs a second`);
    }
    this.intervalMs = 1000 / rateHz;
    this.model = options.model;
    this.random = seededRandom(options.model.scenario.seed ^ 0x6e55);
    // Receivers send their epochs on whole UTC seconds (or tenths): the first one is the
    // first such time on the model's 10-ms grid.
    const toBoundary = (this.intervalMs - (this.model.startMs % this.intervalMs)) % this.intervalMs;
    this.dueMs = Math.ceil(toBoundary / 10) * 10;
  }

  get nextDueMs(): number {
    return this.dueMs;
  }

  next(): SimulatedGnssEpoch {
    const at = this.dueMs;
    this.dueMs += this.intervalMs;
    this.model.advance(at);
    const s = this.model.state;
    const valid = s.gnssFix;
    const r = this.random();
    const fix: SimulatedFix = {
      timeMs: this.model.startMs + at,
      valid,
      latitude: s.latitude,
      longitude: s.longitude,
      // No geoid model: the ellipsoid height goes out as the height above sea level.
      altitudeM: s.altitudeM,
      speedKmh: s.speedMs * 3.6,
      courseDeg: s.headingDeg,
      satellites: valid ? 8 + Math.floor(r * 5) : Math.floor(r * 3),
      // HDOP × a user range error of about 2.5 m gives the accuracy; without a fix the
      // receiver's placeholder DOP (see nmeaSentences).
      ...(valid
        ? { hdop: Math.max(0.5, Math.round((s.horizontalAccuracyM / 2.5) * 10) / 10) }
        : {}),
    };
    return { timeMs: fix.timeMs, fix, lines: nmeaSentences(fix, this.options.nmea) };
  }
}
