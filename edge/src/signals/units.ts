import { STANDARD_GRAVITY } from '@fleetline/proto';

/**
 * Unit transforms for mapping a source's value onto the catalogue's unit. Each is exact
 * where the definition is exact (1 mile = 1.609344 km, 1 g = 9.80665 m/s²).
 */
export const unitTransforms = {
  identity: (v: number) => v,
  mph_to_kmh: (v: number) => v * 1.609344,
  knots_to_kmh: (v: number) => v * 1.852,
  mps_to_kmh: (v: number) => v * 3.6,
  fahrenheit_to_celsius: (v: number) => ((v - 32) * 5) / 9,
  kelvin_to_celsius: (v: number) => v - 273.15,
  miles_to_km: (v: number) => v * 1.609344,
  m_to_km: (v: number) => v / 1000,
  g_to_mps2: (v: number) => v * STANDARD_GRAVITY,
  mv_to_v: (v: number) => v / 1000,
  ratio_to_percent: (v: number) => v * 100,
} as const;

export type UnitTransform = keyof typeof unitTransforms;
export const unitTransformNames = Object.keys(unitTransforms) as UnitTransform[];
