import { describe, expect, it } from 'vitest';
import { headingFilter, steeringWheelDeg, yawRateDps } from '../../src/model/chassis.js';

describe('headingFilter', () => {
  it('should follow the route’s heading over a few seconds, the short way round', () => {
    let filtered = 350;
    for (let i = 0; i < 2000; i++) filtered = headingFilter(filtered, 10, 0.01).filteredHeading;
    expect(filtered).toBeGreaterThan(0);
    expect(filtered).toBeLessThan(10);
    expect(headingFilter(350, 10, 0.01).yawRate).toBeGreaterThan(0);
  });

  it('should have no yaw rate on a straight', () => {
    expect(headingFilter(90, 90, 0.01)).toEqual({ filteredHeading: 90, yawRate: 0 });
  });
});

describe('steering', () => {
  it('should turn the wheel left for a counter-clockwise yaw, within one and a half turns', () => {
    const leftTurn = -0.2; // rad/s clockwise: turning left
    expect(yawRateDps(leftTurn)).toBeCloseTo(11.459, 3);
    expect(steeringWheelDeg(leftTurn, 10, 0)).toBeGreaterThan(0);
    expect(steeringWheelDeg(-10, 2, 0)).toBe(540);
  });

  it('should leave the wheel straight below walking pace, but for the noise', () => {
    expect(steeringWheelDeg(0.5, 0.5, 0)).toBe(0);
    expect(steeringWheelDeg(0, 10, 1)).toBeCloseTo(0.3, 12);
  });
});
