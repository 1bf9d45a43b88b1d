import { seededRandom } from '@fleetline/proto';
import { describe, expect, it } from 'vitest';
import { altitudeAt, baroAt, drawTerrain } from '../../src/model/terrain.js';

describe('terrain', () => {
  const flat = { baseAltitudeM: 100, terrainPhase: 0, weatherKPa: 0 };

  it('should draw the same terrain from the same stream', () => {
    expect(drawTerrain(seededRandom(4))).toEqual(drawTerrain(seededRandom(4)));
  });

  it('should roll within ±21 m of its base along the route', () => {
    const heights = Array.from({ length: 1000 }, (_, i) => altitudeAt(flat, i * 50));
    expect(Math.max(...heights)).toBeLessThanOrEqual(121);
    expect(Math.min(...heights)).toBeGreaterThanOrEqual(79);
    expect(altitudeAt(flat, 0)).toBe(100);
  });

  it('should give the standard atmosphere at sea level, less higher up, plus the weather', () => {
    expect(baroAt(flat, 0)).toBe(101.325);
    expect(baroAt(flat, 1000)).toBeCloseTo(90, 1);
    expect(baroAt({ ...flat, weatherKPa: 1 }, 0)).toBe(102.325);
  });
});
