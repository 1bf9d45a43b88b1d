import { InvalidMessageError, LimitExceededError } from './errors.js';

/**
 * Diagnostic trouble codes as the wire carries them: SAE J2012's five characters — the system
 * (P powertrain, C chassis, B body, U network), then the two bits of the first digit (0–3),
 * then three hex digits — which is what two bytes of an OBD-II service 03 answer decode to
 * (the edge's obd/dtc.ts). The three-byte form with a failure-type byte (ISO 14229) is not
 * sent by the edge and not taken.
 */
const TROUBLE_CODE = /^[PCBU][0-3][0-9A-F]{3}$/;

/**
 * The most codes one TroubleCodes event may carry. A vehicle's stored codes are a handful, a
 * few dozen when a network fault makes every module log one; each new code opens an alert, so
 * a message of thousands would flood the alert streams.
 */
export const MAX_TROUBLE_CODES = 128;

export function isTroubleCode(code: string): boolean {
  return TROUBLE_CODE.test(code);
}

/** Throws, naming the field and the offending code, unless the list is within the contract. */
export function checkTroubleCodes(codes: readonly string[], where: string): void {
  if (codes.length > MAX_TROUBLE_CODES) {
    throw new LimitExceededError(
      `${where} carries ${codes.length} codes; at most ${MAX_TROUBLE_CODES} are allowed`,
    );
  }
  codes.forEach((code, i) => {
    if (!isTroubleCode(code)) {
      throw new InvalidMessageError(
        `${where}.codes[${i}] ${JSON.stringify(code.slice(0, 32))} is not a trouble code (SAE J2012: P, C, B or U, then 0–3, then three hex digits, e.g. "P0301")`,
      );
    }
  });
}
