/**
 * The ground under the route and the day's weather: altitude rolls in two slow undulations,
 * air pressure follows the barometric formula. Pure.
 */

export interface Terrain {
  baseAltitudeM: number;
  /** Phase of the shorter undulation, rad. */
  terrainPhase: number;
  /** The day's weather on top of the standard atmosphere, kPa. */
  weatherKPa: number;
}

/** A terrain from three draws of `random` (uniform in [0, 1)), in this order. */
export function drawTerrain(random: () => number): Terrain {
  const baseAltitudeM = 5 + random() * 300;
  const terrainPhase = random() * 2 * Math.PI;
  const weatherKPa = (random() - 0.5) * 3;
  return { baseAltitudeM, terrainPhase, weatherKPa };
}

/** Metres above the ellipsoid at `distanceM` along the route. */
export function altitudeAt(terrain: Terrain, distanceM: number): number {
  return (
    terrain.baseAltitudeM +
    15 * Math.sin(distanceM / 1500) +
    6 * Math.sin(distanceM / 430 + terrain.terrainPhase)
  );
}

/** Air pressure at `altitudeM`, kPa: the barometric formula, with the day's weather. */
export function baroAt(terrain: Terrain, altitudeM: number): number {
  return 101.325 * Math.exp(-altitudeM / 8434) + terrain.weatherKPa;
}
