import { describe, expect, it } from 'vitest';
import {
  decodeServiceUpdate,
  encodeServiceUpdate,
  InvalidMessageError,
  kafkaTopics,
  MalformedMessageError,
  pb,
  type ServiceUpdate,
} from '../../src/index.js';

const base = 1_764_000_000_000;

describe('encodeServiceUpdate / decodeServiceUpdate', () => {
  it('should round-trip a plan and a service', () => {
    const plan: ServiceUpdate = {
      deviceId: 'veh-1',
      timeMs: base,
      change: {
        kind: 'plan',
        plan: { intervalKm: 15_000, intervalDays: 365, aheadKm: 750.5, aheadDays: 0 },
      },
    };
    expect(decodeServiceUpdate(encodeServiceUpdate(plan))).toEqual(plan);
    const serviced: ServiceUpdate = {
      deviceId: 'veh-1',
      timeMs: base + 1,
      change: { kind: 'serviced', serviced: { serviceId: 's-ünï-1', odometerKm: 0 } },
    };
    expect(decodeServiceUpdate(encodeServiceUpdate(serviced))).toEqual(serviced);
    expect(kafkaTopics.service).toBe('service.v1');
  });

  it('should refuse to encode an update that breaks the contract', () => {
    const plan = { intervalKm: 10_000, intervalDays: 365, aheadKm: 500, aheadDays: 14 };
    const update =
      (change: ServiceUpdate['change'], over: Partial<ServiceUpdate> = {}) =>
      () =>
        encodeServiceUpdate({ deviceId: 'veh-1', timeMs: base, change, ...over });
    expect(update({ kind: 'plan', plan: { ...plan, aheadKm: 10_000 } })).toThrow(/ahead_km/);
    expect(update({ kind: 'plan', plan: { ...plan, intervalDays: 0 } })).toThrow(
      /interval_days must be a positive number/,
    );
    expect(update({ kind: 'plan', plan: { ...plan, intervalKm: Number.NaN } })).toThrow(
      InvalidMessageError,
    );
    expect(update({ kind: 'serviced', serviced: { serviceId: '', odometerKm: 1 } })).toThrow(
      /service_id must be set/,
    );
    expect(update({ kind: 'serviced', serviced: { serviceId: 's', odometerKm: -1 } })).toThrow(
      /odometer_km/,
    );
    expect(update({ kind: 'plan', plan }, { timeMs: -5 })).toThrow(/time_ms/);
    expect(update({ kind: 'plan', plan }, { deviceId: 'a/b' })).toThrow(/device id/);
  });

  it('should name what is wrong in a bad record', () => {
    const bytes = (over: Partial<pb.telemetry.v1.ServiceUpdate.$Properties>) =>
      pb.telemetry.v1.ServiceUpdate.encode({
        deviceId: 'veh-1',
        timeMs: base,
        plan: { intervalKm: 10_000, intervalDays: 365, aheadKm: 500, aheadDays: 14 },
        ...over,
      }).finish();
    expect(decodeServiceUpdate(bytes({})).change.kind).toBe('plan');
    const cases: [Partial<pb.telemetry.v1.ServiceUpdate.$Properties>, RegExp][] = [
      [{ deviceId: 'no spaces' }, /ServiceUpdate\.device_id/],
      [{ timeMs: -1 }, /ServiceUpdate\.time_ms/],
      [{ plan: null }, /carries no change/],
      [{ plan: { intervalKm: 0, intervalDays: 365 } }, /ServiceUpdate\.plan\.interval_km/],
      [
        { plan: { intervalKm: 100, intervalDays: 30, aheadKm: 10, aheadDays: 30 } },
        /ServiceUpdate\.plan\.ahead_days/,
      ],
      [{ plan: null, serviced: { odometerKm: 5 } }, /ServiceUpdate\.serviced\.service_id/],
      [
        { plan: null, serviced: { serviceId: 's', odometerKm: -2 } },
        /ServiceUpdate\.serviced\.odometer_km/,
      ],
    ];
    for (const [over, message] of cases) {
      expect(() => decodeServiceUpdate(bytes(over))).toThrow(InvalidMessageError);
      expect(() => decodeServiceUpdate(bytes(over))).toThrow(message);
    }
    expect(() => decodeServiceUpdate(Uint8Array.from([0xff, 0xff]))).toThrow(MalformedMessageError);
    expect(() => decodeServiceUpdate(Uint8Array.from([0xff, 0xff]))).toThrow(
      /not a valid ServiceUpdate/,
    );
  });
});
