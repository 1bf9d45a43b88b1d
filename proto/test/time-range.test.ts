import { describe, expect, it } from 'vitest';
import {
  decodeAlertChange,
  decodeCommand,
  decodeEvent,
  decodeServiceUpdate,
  decodeStatus,
  decodeTelemetryBatch,
  encodeAlertChange,
  encodeCommand,
  encodeEvent,
  encodeServiceUpdate,
  encodeStatus,
  encodeTelemetryBatch,
  InvalidMessageError,
  isWireTime,
  pb,
  signalId,
  WIRE_TIME_END_MS,
} from '../src/index.js';
import { checkExpiry, checkWireTime } from '../src/time-range.js';

/**
 * Every time on the wire lies in [1970-01-01, 2100-01-01) UTC: what every store and a
 * JavaScript Date hold, and far from their limits. A time outside it is refused by encoders
 * and decoders alike, with a message naming the field.
 */

const v1 = pb.telemetry.v1;
const speed = signalId('Vehicle.Speed');
const base = 1_764_000_000_000;
/** Past what a Date holds (8.64e15 ms): `new Date(farFuture).toISOString()` throws. */
const farFuture = 9e15;
const justPast = WIRE_TIME_END_MS;

/** A decoder given each kind of time out of the range, and how it must name the field. */
const outOfRangeDecodes: [string, () => unknown, RegExp][] = [
  [
    'event time',
    () =>
      decodeEvent(
        v1.Event.encode({
          deviceId: 'v',
          seq: 1,
          timeMs: farFuture,
          troubleCodes: { codes: ['P0301'] },
        }).finish(),
      ),
    /Event\.time_ms/,
  ],
  [
    'collision window base',
    () =>
      decodeEvent(
        v1.Event.encode({
          deviceId: 'v',
          seq: 1,
          timeMs: base,
          collision: {
            severity: v1.Severity.SEVERITY_SEVERE,
            windowBaseTimeMs: farFuture,
            window: [{ signalId: speed, timeDeltaMs: [0], valueDelta: [1] }],
          },
        }).finish(),
      ),
    /Event\.collision\.window_base_time_ms/,
  ],
  [
    'trigger time',
    () =>
      decodeEvent(
        v1.Event.encode({
          deviceId: 'v',
          seq: 1,
          timeMs: base,
          triggerCapture: { name: 'brake', triggeredAtMs: farFuture, windowBaseTimeMs: base },
        }).finish(),
      ),
    /Event\.trigger_capture\.triggered_at_ms/,
  ],
  [
    'status time',
    () =>
      decodeStatus(
        v1.DeviceStatus.encode({
          deviceId: 'v',
          timeMs: justPast,
          state: v1.DeviceState.DEVICE_STATE_ONLINE,
        }).finish(),
      ),
    /DeviceStatus\.time_ms/,
  ],
  [
    'command issued',
    () =>
      decodeCommand(
        v1.Command.encode({
          commandId: 'c',
          deviceId: 'v',
          issuedAtMs: farFuture,
          ping: {},
        }).finish(),
      ),
    /Command\.issued_at_ms/,
  ],
  [
    'command expiry',
    () =>
      decodeCommand(
        v1.Command.encode({
          commandId: 'c',
          deviceId: 'v',
          issuedAtMs: base,
          expiresAtMs: farFuture,
          ping: {},
        }).finish(),
      ),
    /Command\.expires_at_ms/,
  ],
  [
    'alert time',
    () =>
      decodeAlertChange(
        v1.AlertChange.encode({
          alertId: 'a',
          deviceId: 'v',
          type: v1.AlertType.ALERT_TYPE_DTC,
          severity: v1.AlertSeverity.ALERT_SEVERITY_WARNING,
          transition: v1.AlertTransition.ALERT_TRANSITION_RAISED,
          conditionKey: 'P0301',
          timeMs: farFuture,
        }).finish(),
      ),
    /AlertChange\.time_ms/,
  ],
  [
    'service time',
    () =>
      decodeServiceUpdate(
        v1.ServiceUpdate.encode({
          deviceId: 'v',
          timeMs: -86_400_000,
          serviced: { serviceId: 's', odometerKm: 1 },
        }).finish(),
      ),
    /ServiceUpdate\.time_ms -86400000 is outside/,
  ],
];

/** An encoder given each kind of time out of the range, and how it must name the field. */
const sample = (timeMs: number) => [{ signalId: speed, timeMs, value: 1 }];
const outOfRangeEncodes: [string, () => unknown, RegExp][] = [
  [
    'sample',
    () =>
      encodeTelemetryBatch({
        deviceId: 'v',
        seq: 1,
        baseTimeMs: justPast - 5,
        samples: sample(justPast),
      }),
    /sample time 4102444800000 of signal/,
  ],
  [
    'base',
    () => encodeTelemetryBatch({ deviceId: 'v', seq: 1, samples: sample(farFuture) }),
    /base_time_ms/,
  ],
  [
    'event',
    () =>
      encodeEvent({
        deviceId: 'v',
        seq: 1,
        timeMs: justPast,
        payload: { kind: 'troubleCodes', codes: [] },
      }),
    /time_ms/,
  ],
  [
    'collision window',
    () =>
      encodeEvent({
        deviceId: 'v',
        seq: 1,
        timeMs: base,
        payload: {
          kind: 'collision',
          collision: {
            severity: 'minor',
            peakG: 3,
            deltaVKmh: 9,
            direction: 'front',
            speedBeforeKmh: 30,
            window: sample(farFuture),
          },
        },
      }),
    /window_base_time_ms/,
  ],
  [
    'status',
    () => encodeStatus({ deviceId: 'v', timeMs: -1, state: 'online', agentVersion: '1' }),
    /time_ms -1 is outside/,
  ],
  [
    'command expiry',
    () =>
      encodeCommand({
        commandId: 'c',
        deviceId: 'v',
        issuedAtMs: base,
        expiresAtMs: farFuture,
        action: { kind: 'ping' },
      }),
    /expires_at_ms/,
  ],
  [
    'alert',
    () =>
      encodeAlertChange({
        alertId: 'a',
        deviceId: 'v',
        type: 'dtc',
        severity: 'warning',
        transition: 'raised',
        conditionKey: 'k',
        timeMs: farFuture,
        evidence: {},
        clearsWhen: '',
      }),
    /time_ms/,
  ],
  [
    'service',
    () =>
      encodeServiceUpdate({
        deviceId: 'v',
        timeMs: justPast,
        change: { kind: 'serviced', serviced: { serviceId: 's', odometerKm: 1 } },
      }),
    /time_ms/,
  ],
];

describe('the wire time range', () => {
  it('should run from the epoch up to, not including, 2100-01-01T00:00:00Z', () => {
    expect(new Date(WIRE_TIME_END_MS).toISOString()).toBe('2100-01-01T00:00:00.000Z');
    expect(isWireTime(0)).toBe(true);
    expect(isWireTime(WIRE_TIME_END_MS - 1)).toBe(true);
    for (const t of [-1, WIRE_TIME_END_MS, farFuture, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(isWireTime(t), String(t)).toBe(false);
    }
  });
});

describe('checkWireTime and checkExpiry', () => {
  it('should refuse a time outside the range as InvalidMessageError naming the field', () => {
    expect(() => checkWireTime(base, 'time_ms')).not.toThrow();
    expect(() => checkWireTime(justPast, 'Command.issued_at_ms')).toThrow(InvalidMessageError);
    expect(() => checkWireTime(-1, 'Command.issued_at_ms')).toThrow(
      /^Command\.issued_at_ms -1 is outside the wire's time range/,
    );
  });

  it('should take 0 as an expiry that never comes, and hold any other expiry to the range', () => {
    expect(() => checkExpiry(0, 'expires_at_ms')).not.toThrow();
    expect(() => checkExpiry(base, 'expires_at_ms')).not.toThrow();
    expect(() => checkExpiry(farFuture, 'expires_at_ms')).toThrow(
      /^expires_at_ms 9000000000000000 /,
    );
  });
});

describe('decoders', () => {
  it('should refuse a batch whose base time is out of range, naming base_time_ms', () => {
    for (const baseTimeMs of [farFuture, justPast]) {
      const bytes = v1.TelemetryBatch.encode({ deviceId: 'veh-1', seq: 1, baseTimeMs }).finish();
      expect(() => decodeTelemetryBatch(bytes)).toThrow(InvalidMessageError);
      expect(() => decodeTelemetryBatch(bytes)).toThrow(/TelemetryBatch\.base_time_ms/);
    }
  });

  it('should refuse a sample whose time (base + offsets) is out of range, naming the series', () => {
    // The base is fine; the offsets carry the sample past the range.
    const bytes = v1.TelemetryBatch.encode({
      deviceId: 'veh-1',
      seq: 1,
      baseTimeMs: justPast - 10,
      series: [{ signalId: speed, timeDeltaMs: [0, 20], valueDelta: [1, 1] }],
    }).finish();
    expect(() => decodeTelemetryBatch(bytes)).toThrow(InvalidMessageError);
    expect(() => decodeTelemetryBatch(bytes)).toThrow(
      /TelemetryBatch\.series\[0\]: sample 1 time 4102444800010 is outside/,
    );
    // A regular series adds interval_ms per sample.
    const regular = v1.TelemetryBatch.encode({
      deviceId: 'veh-1',
      seq: 1,
      baseTimeMs: justPast - 1000,
      series: [{ signalId: speed, timeDeltaMs: [0], intervalMs: 600, valueDelta: [1, 1, 1] }],
    }).finish();
    expect(() => decodeTelemetryBatch(regular)).toThrow(/series\[0\]: sample 2 time/);
  });

  it('should refuse the 9e15 ms sample that a Date cannot hold', () => {
    const bytes = v1.TelemetryBatch.encode({
      deviceId: 'veh-1',
      seq: 1,
      baseTimeMs: farFuture,
      series: [{ signalId: speed, timeDeltaMs: [0], valueDelta: [5000] }],
    }).finish();
    expect(() => decodeTelemetryBatch(bytes)).toThrow(/base_time_ms 9000000000000000 is outside/);
  });

  it('should refuse out-of-range event, window, trigger, status, command, alert and service times', () => {
    for (const [what, decode, message] of outOfRangeDecodes) {
      expect(decode, what).toThrow(InvalidMessageError);
      expect(decode, what).toThrow(message);
    }
  });

  it('should keep accepting small times (1970) and the last millisecond before 2100', () => {
    const early = v1.TelemetryBatch.encode({
      deviceId: 'veh-1',
      seq: 1,
      baseTimeMs: 0,
      series: [{ signalId: speed, timeDeltaMs: [1000], valueDelta: [1] }],
    }).finish();
    expect(decodeTelemetryBatch(early).samples[0]?.timeMs).toBe(1000);
    const late = v1.TelemetryBatch.encode({
      deviceId: 'veh-1',
      seq: 1,
      baseTimeMs: justPast - 1,
      series: [{ signalId: speed, timeDeltaMs: [0], valueDelta: [1] }],
    }).finish();
    expect(decodeTelemetryBatch(late).samples[0]?.timeMs).toBe(justPast - 1);
  });
});

describe('encoders', () => {
  it('should refuse out-of-range times with the field named', () => {
    for (const [what, encode, message] of outOfRangeEncodes) {
      expect(encode, what).toThrow(InvalidMessageError);
      expect(encode, what).toThrow(message);
    }
  });

  it('should still encode a command that never expires (expires_at_ms 0)', () => {
    const command = {
      commandId: 'c',
      deviceId: 'v',
      issuedAtMs: base,
      expiresAtMs: 0,
      action: { kind: 'ping' },
    } as const;
    expect(decodeCommand(encodeCommand(command))).toEqual(command);
  });
});
