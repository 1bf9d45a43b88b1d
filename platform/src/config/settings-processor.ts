import Type from 'typebox';
import { setting } from './setting.js';

/** The stream processor's settings: its consumer group, detectors and clock. */
export const processorSettings = {
  processorGroup: setting(
    'PROCESSOR_GROUP',
    Type.String({ minLength: 1 }),
    'fleetline-processor',
    'Consumer group of the processors; processors with the same group share the partitions.',
    'cloud',
  ),
  offlineAfterHours: setting(
    'OFFLINE_AFTER_HOURS',
    Type.Number({ exclusiveMinimum: 0, maximum: 8760 }),
    48,
    'A vehicle not heard from for this long raises an offline alert.',
    'cloud',
  ),
  dtcMaxCodeAlerts: setting(
    'DTC_MAX_CODE_ALERTS',
    Type.Integer({ minimum: 1, maximum: 128 }),
    8,
    'Trouble codes of one vehicle with an alert of their own at a time (critical codes first); the codes beyond share one alert, “and K more”.',
    'cloud',
  ),
  dtcAlertsPerDay: setting(
    'DTC_ALERTS_PER_DAY',
    Type.Integer({ minimum: 1, maximum: 10_000 }),
    24,
    'Trouble-code alerts one vehicle may raise a day (growing back evenly over the day): codes that keep coming and going raise no more; every report stays in the vehicle’s events.',
    'cloud',
  ),
  clockTickSeconds: setting(
    'CLOCK_TICK_SECONDS',
    Type.Integer({ minimum: 0, maximum: 86_400 }),
    60,
    'How often the processor checks time-based conditions (offline, maintenance by date) of live vehicles; owned vehicles without a live actor are checked every hour. 0: never.',
    'cloud',
  ),
} as const;
