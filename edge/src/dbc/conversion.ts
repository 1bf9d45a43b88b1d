import type { DbcSignal } from './model.js';

/**
 * Raw <-> physical conversion with cantools' arithmetic (database/conversion.py,
 * BaseConversion.factory), so decoded numbers match cantools bit for bit:
 *
 *   identity  scale == 1 and offset == 0: physical = raw, unchanged. A 64-bit raw integer keeps
 *             every digit (cantools returns the Python int).
 *   integer   integral scale and offset on an integer signal (LinearIntegerConversion):
 *             raw * scale + offset in exact integer arithmetic. Doubles are exact while the
 *             result stays within 2^53; beyond that BigInt takes over.
 *   linear    anything else (LinearConversion): raw * scale + offset as IEEE doubles, the raw
 *             integer first rounded to the nearest double (as Python's int * float does).
 *
 * Values are `number` unless an exact integer needs more than 53 bits; then `bigint`.
 */
export type SignalValue = number | bigint;

export type ConversionKind = 'identity' | 'integer' | 'linear';

export function conversionKind(
  signal: Pick<DbcSignal, 'scale' | 'offset' | 'valueType'>,
): ConversionKind {
  if (signal.scale === 1 && signal.offset === 0) return 'identity';
  const integral = Number.isInteger(signal.scale) && Number.isInteger(signal.offset);
  return integral && signal.valueType === 'integer' ? 'integer' : 'linear';
}

const MAX_SAFE = Number.MAX_SAFE_INTEGER;

/** A bigint as a number when that loses nothing. */
export function normalizeInteger(value: bigint): SignalValue {
  return value >= -9007199254740991n && value <= 9007199254740991n ? Number(value) : value;
}

/** raw * scale + offset, exact, for integral scale and offset. */
export function integerToPhysical(raw: SignalValue, scale: number, offset: number): SignalValue {
  if (typeof raw === 'number') {
    const product = raw * scale;
    // A true result beyond 2^53 - 1 rounds to at least 2^53, so these checks catch every
    // inexact step.
    if (product <= MAX_SAFE && product >= -MAX_SAFE) {
      const sum = product + offset;
      if (sum <= MAX_SAFE && sum >= -MAX_SAFE) return sum;
    }
  }
  return normalizeInteger(BigInt(raw) * BigInt(scale) + BigInt(offset));
}

/** The physical value of a raw value (raw is a float for float signals). */
export function toPhysical(
  kind: ConversionKind,
  raw: SignalValue,
  scale: number,
  offset: number,
): SignalValue {
  if (kind === 'identity') return raw;
  if (kind === 'integer') return integerToPhysical(raw, scale, offset);
  return Number(raw) * scale + offset;
}

/**
 * Python's round() of a float: to the nearest integer, ties to even (cantools rounds with it
 * when encoding). The result is an integral number (no -0).
 */
export function roundHalfEven(x: number): number {
  if (Number.isInteger(x)) return x + 0;
  const r = Math.round(x);
  const tie = Math.abs(x - Math.trunc(x)) === 0.5;
  const result = tie ? 2 * Math.round(x / 2) : r;
  return result + 0;
}

/**
 * The raw value cantools' numeric_scaled_to_raw gives for a physical value: for integer
 * signals round((physical - offset) / scale), ties to even; floats are not rounded. With an
 * integral scale and offset, an exactly divisible value is divided without rounding error
 * (LinearIntegerConversion's divmod), which BigInt reproduces for values past 2^53.
 * Returns undefined for NaN/Infinity on an integer signal and for scale 0.
 */
export function toRaw(
  kind: ConversionKind,
  physical: SignalValue,
  scale: number,
  offset: number,
  isFloat: boolean,
): SignalValue | undefined {
  if (scale === 0) return undefined;
  if (typeof physical === 'bigint') {
    if (isFloat) return Number(physical);
    if (kind === 'identity') return normalizeInteger(physical);
    if (kind === 'integer') {
      const shifted = physical - BigInt(offset);
      const divisor = BigInt(scale);
      if (shifted % divisor === 0n) return normalizeInteger(shifted / divisor);
      return integerRaw(Number(shifted) / scale);
    }
    return integerRaw((Number(physical) - offset) / scale);
  }
  if (kind === 'identity') return isFloat ? physical : integerRaw(physical);
  const raw = (physical - offset) / scale;
  return isFloat ? raw : integerRaw(raw);
}

function integerRaw(x: number): SignalValue | undefined {
  if (!Number.isFinite(x)) return undefined;
  const r = roundHalfEven(x);
  return Number.isSafeInteger(r) ? r : BigInt(r);
}
