/**
 * Engine temperatures: coolant (warm-up, the thermostat at about 90 °C, or a failed fan), oil
 * lagging the coolant, intake air soaked by under-bonnet heat. Pure first-order lags.
 */

export interface Temperatures {
  coolantC: number;
  oilC: number;
  intakeC: number;
}

export interface ThermalConditions {
  running: boolean;
  /** A scenario's fan failure is on. */
  fanFailed: boolean;
  /** Engine load, 0…1. */
  load: number;
  /** Vehicle speed, m/s. */
  v: number;
  ambientC: number;
  dt: number;
}

/** Coolant after a step: cools to ambient when off, boils over with a failed fan. */
export function coolantAfter(coolantC: number, c: ThermalConditions): number {
  if (!c.running) return coolantC + ((c.ambientC - coolantC) * c.dt) / 1800;
  if (c.fanFailed) {
    const hot = 120 + 10 * c.load - 18 * Math.min(1, (c.v * 3.6) / 90);
    return coolantC + ((hot - coolantC) * c.dt) / 90;
  }
  if (coolantC < 88) return coolantC + (0.15 + 0.3 * c.load) * c.dt;
  return coolantC + ((90 + 4 * c.load - coolantC) * c.dt) / 30;
}

/** Oil follows the coolant (a little hotter under load), slowly; it cools slower still. */
export function oilAfter(oilC: number, coolantC: number, c: ThermalConditions): number {
  const target = c.running ? coolantC + 5 * c.load : c.ambientC;
  return oilC + ((target - oilC) * c.dt) / (c.running ? 180 : 2400);
}

/** Under-bonnet heat soaks the intake air when the car is slow. */
export function intakeAfter(intakeC: number, c: ThermalConditions): number {
  const target = c.ambientC + (c.running ? 4 + 14 * (1 - Math.min(1, c.v / 15)) : 0);
  return intakeC + ((target - intakeC) * c.dt) / 40;
}

/** All three after a step; the oil follows the coolant's new temperature. */
export function temperaturesAfter(t: Temperatures, c: ThermalConditions): Temperatures {
  const coolantC = coolantAfter(t.coolantC, c);
  return { coolantC, oilC: oilAfter(t.oilC, coolantC, c), intakeC: intakeAfter(t.intakeC, c) };
}
