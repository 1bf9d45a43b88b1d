import type { SignalValue } from './conversion.js';
import type { DecodedSignals } from './decoder.js';

/**
 * JSON text for a signal value, without losing anything JSON can express:
 *   - bigint (integers past 2^53) prints every digit, e.g. 18446744073709551615;
 *   - -0 prints as -0 (JSON.stringify would print 0);
 *   - NaN and ±Infinity (possible for float signals) have no JSON form and print as null.
 */
export function signalValueJson(value: SignalValue): string {
  if (typeof value === 'bigint') return value.toString();
  if (!Number.isFinite(value)) return 'null';
  return Object.is(value, -0) ? '-0' : String(value);
}

/** `{"name":value,...}` in the object's key order (the DBC order). */
export function decodedSignalsJson(signals: DecodedSignals): string {
  let out = '{';
  let first = true;
  for (const name in signals) {
    out += `${first ? '' : ','}${JSON.stringify(name)}:${signalValueJson(signals[name]!)}`;
    first = false;
  }
  return `${out}}`;
}
