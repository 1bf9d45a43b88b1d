import { seededRandom } from '@fleetline/proto';
import { describe, expect, it } from 'vitest';
import { drawColdTyres, tyrePressure, tyreWarmthAfter } from '../../src/model/tyres.js';

describe('tyres', () => {
  it('should draw four cold pressures within 3 kPa of the car’s', () => {
    const cold = drawColdTyres(seededRandom(9));
    expect(cold).toHaveLength(4);
    expect(Math.max(...cold) - Math.min(...cold)).toBeLessThanOrEqual(6);
    for (const p of cold) expect(p).toBeGreaterThan(222);
  });

  it('should warm over a quarter of an hour of driving and cool more slowly', () => {
    let warmth = 0;
    for (let i = 0; i < 900; i++) warmth = tyreWarmthAfter(warmth, 30, 1);
    expect(warmth).toBeCloseTo(1 - Math.exp(-1), 2);
    let cooling = warmth;
    for (let i = 0; i < 900; i++) cooling = tyreWarmthAfter(cooling, 0, 1);
    expect(cooling).toBeGreaterThan(warmth * 0.6);
  });

  it('should raise the pressure 7 % when fully warm', () => {
    expect(tyrePressure(230, 0)).toBe(230);
    expect(tyrePressure(230, 1)).toBeCloseTo(246.1, 9);
  });
});
