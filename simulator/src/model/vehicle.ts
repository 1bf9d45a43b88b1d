/**
 * The simulated car: a 1.5-tonne petrol hatchback with a six-speed gearbox. Every part of the
 * model that needs a dimension of the car reads it here.
 */

export const GEAR_RATIOS = [3.6, 2.1, 1.4, 1.0, 0.8, 0.65];
export const FINAL_DRIVE = 3.9;
export const TYRE_CIRCUMFERENCE_M = 1.95;
export const IDLE_RPM = 780;
export const MASS_KG = 1500;
export const TANK_L = 55;
export const WHEELBASE_M = 2.7;
export const STEERING_RATIO = 15;
/** Maximum engine power, for throttle and pedal position. */
export const MAX_POWER_W = 90_000;
/** Petrol, kg/L, and the stoichiometric air–fuel ratio: mass air flow from fuel flow. */
export const FUEL_DENSITY = 0.745;
export const AIR_FUEL_RATIO = 14.7;
