export {
  type DateSource,
  DEFAULT_HOST_CLOCK_FLOOR_US,
  DEFAULT_MAX_RECEIVER_SKEW_US,
  EpochClock,
  type EpochClockOptions,
} from './epoch-clock.js';
export { fixReadings } from './fix-readings.js';
export {
  DEFAULT_MAX_EPOCH_SENTENCES,
  FixTracker,
  type FixTrackerOptions,
  type FixTrackerStats,
  type GnssFix,
} from './fix-tracker.js';
export {
  DEFAULT_EPOCH_IDLE_MS,
  DEFAULT_GNSS_BAUD_RATE,
  GnssReplaySource,
  type GnssReplaySourceOptions,
  GnssSerialSource,
  type GnssSerialSourceOptions,
} from './gnss-sources.js';
export { NmeaDecoder, type NmeaDecoderStats } from './nmea-decoder.js';
export { frameLine, frameSentence, type NmeaFrame, type NmeaRefusal } from './nmea-frame.js';
export {
  type GgaSentence,
  type GllSentence,
  type GnsSentence,
  type GsaSentence,
  type ModeIndicator,
  type NavStatus,
  type NmeaSentence,
  parseGga,
  parseGll,
  parseGns,
  parseGsa,
  parseRmc,
  parseSentence,
  parseVtg,
  parseZda,
  type RmcSentence,
  type VtgSentence,
  type ZdaSentence,
} from './nmea-sentences.js';
export type { UtcDate } from './utc.js';
