import { describe, expect, it } from 'vitest';
import { alertListQuery } from '../../src/api/alert-routes.js';

const now = Date.UTC(2026, 10, 25, 8, 0, 0);
const DAY_MS = 86_400_000;

describe('alertListQuery', () => {
  it('should ask for the last 7 days, at most 100, of every device by default', () => {
    expect(alertListQuery({}, now, 366)).toEqual({
      fromMs: now + 1 - 7 * DAY_MS,
      toMs: now + 1,
      limit: 100,
    });
  });

  it('should pass the device, type, state, range and limit asked for', () => {
    expect(
      alertListQuery(
        {
          deviceId: 'veh-1',
          type: 'overheat',
          state: 'open',
          from: '2026-11-20T00:00:00Z',
          to: '2026-11-21T00:00:00Z',
          limit: 5,
        },
        now,
        366,
      ),
    ).toEqual({
      fromMs: Date.UTC(2026, 10, 20),
      toMs: Date.UTC(2026, 10, 21),
      limit: 5,
      deviceId: 'veh-1',
      type: 'overheat',
      state: 'open',
    });
  });

  it('should say what is wrong with a range it refuses', () => {
    expect(
      alertListQuery({ from: '2026-11-21T00:00:00Z', to: '2026-11-20T00:00:00Z' }, now, 366),
    ).toMatch(/from .* must be before to/);
    expect(
      alertListQuery({ from: '2025-01-01T00:00:00Z', to: '2026-11-20T00:00:00Z' }, now, 30),
    ).toMatch(/at most 30 days/);
  });
});
