import { STANDARD_GRAVITY as G } from '@fleetline/proto';
import { clamp } from './clamp.js';
import type { EngineState } from './drive-state.js';
import {
  AIR_FUEL_RATIO,
  FINAL_DRIVE,
  FUEL_DENSITY,
  GEAR_RATIOS,
  IDLE_RPM,
  MASS_KG,
  MAX_POWER_W,
  TANK_L,
  TYRE_CIRCUMFERENCE_M,
} from './vehicle.js';

/**
 * Engine start, road load, gearbox, engine speed, fuel and engine management. Pure: values
 * in, values out; the noise stream is passed in and drawn from only while the engine turns.
 */

/** How long the starter turns the engine before it runs. */
export const CRANKING_MS = 700;

/** The key is turned at `engineStartMs` (not after a crash); the engine runs after cranking. */
export function engineAt(
  engine: EngineState,
  t: number,
  engineStartMs: number,
  crashed: boolean,
): EngineState {
  let next = engine;
  if (next === 'off' && t >= engineStartMs && !crashed) next = 'cranking';
  if (next === 'cranking' && t >= engineStartMs + CRANKING_MS) next = 'running';
  return next;
}

/** Power at the wheels, W: inertia, rolling resistance (0.012) and air drag (ρ 1.2, CdA 0.7). */
export function roadPowerW(v: number, driveAccel: number): number {
  return Math.max(0, MASS_KG * v * driveAccel + MASS_KG * G * 0.012 * v + 0.5 * 1.2 * 0.7 * v ** 3);
}

/** Fuel flow, L/s: 0.9 L/h at idle, plus the power at 22 % efficiency from 34.2 MJ/L. */
export function fuelFlowLps(powerW: number): number {
  return 0.9 / 3600 + powerW / (0.22 * 34.2e6);
}

/** The share of the engine's power asked for, 0…1 (more while accelerating hard). */
export const powerDemand = (powerW: number) => powerW / MAX_POWER_W;

/** Engine speed in gear `gear` (1…6) at `v` m/s, the clutch closed. */
export function rpmInGear(gear: number, v: number): number {
  return (v / TYRE_CIRCUMFERENCE_M) * 60 * (GEAR_RATIOS[gear - 1] as number) * FINAL_DRIVE;
}

/** The gear an automatic holds: up past 2,600 rpm, down under 1,250, neutral at a stop. */
export function gearFor(gear: number, v: number): number {
  if (v < 0.3) return 0;
  let g = gear === 0 ? 1 : gear;
  if (rpmInGear(g, v) > 2600 && g < GEAR_RATIOS.length) g++;
  else if (rpmInGear(g, v) < 1250 && g > 1) g--;
  return g;
}

export interface Powertrain {
  gear: number;
  engineRpm: number;
  fuelPct: number;
  consumptionL100: number;
  loadPct: number;
}

/**
 * The powertrain after a step of `dt` s at `v` m/s with `powerW` at the wheels. A running
 * engine idles (with a flare just after it starts) or follows the wheels in gear and burns
 * fuel; a cranking one turns at about 200 rpm; `noise` is triangular in [-1, 1].
 */
export function powertrainAfter(
  prev: Powertrain,
  at: { engine: EngineState; v: number; powerW: number; runningForMs: number; dt: number },
  noise: () => number,
): Powertrain {
  const { v, powerW } = at;
  if (at.engine !== 'running') {
    return {
      gear: 0,
      engineRpm: at.engine === 'cranking' ? 200 + noise() * 30 : 0,
      fuelPct: prev.fuelPct,
      consumptionL100: 0,
      loadPct: 0,
    };
  }
  const gear = gearFor(prev.gear, v);
  const flare = 450 * Math.exp(-at.runningForMs / 800);
  const wheelRpm = gear === 0 ? 0 : rpmInGear(gear, v);
  const engineRpm = Math.max(IDLE_RPM + flare + noise() * 8, wheelRpm);
  const fuelLps = fuelFlowLps(powerW);
  return {
    gear,
    engineRpm,
    fuelPct: Math.max(0, prev.fuelPct - ((fuelLps * at.dt) / TANK_L) * 100),
    consumptionL100: v < 0.5 ? 0 : Math.min(50, ((fuelLps * 3600) / (v * 3.6)) * 100),
    loadPct: clamp(18 + (powerW / 90_000) * 100, 0, 100),
  };
}

/** What engine management reports: air flow (following fuel flow), throttle and run time. */
export function engineManagement(
  running: boolean,
  powerW: number,
  runningForMs: number,
): { mafGs: number; throttlePct: number; runTimeS: number } {
  const fuelLps = running ? fuelFlowLps(powerW) : 0;
  return {
    mafGs: fuelLps * FUEL_DENSITY * 1000 * AIR_FUEL_RATIO,
    throttlePct: running ? clamp(3.5 + powerDemand(powerW) * 100, 0, 100) : 0,
    runTimeS: running ? runningForMs / 1000 : 0,
  };
}
