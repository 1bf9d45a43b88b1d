/**
 * Phone numbers as Aliyun's SendSms and QuerySendDetails write them. Mainland China numbers
 * go as the bare 11-digit number (SendSms also takes `+86`, `0086` and `86` in front, but
 * QuerySendDetails wants the bare number, so one form serves both); every other number goes
 * as country code and number, without `+` or `00` (`85212345678`). Pure.
 */

export type AliyunNumber =
  | { readonly ok: true; readonly number: string }
  | { readonly ok: false; readonly problem: string };

/**
 * The Aliyun form of an E.164 number (`+8613800138000` → `13800138000`). North American
 * numbers (+1 and ten digits) are refused: written Aliyun's way they are eleven digits
 * starting with 1, which Aliyun reads as a mainland mobile number — the message would go to
 * someone else in China. Those recipients need another SMS channel.
 */
export function aliyunNumber(e164: string): AliyunNumber {
  if (e164.startsWith('+86')) return { ok: true, number: e164.slice(3) };
  const digits = e164.replace(/^\+/, '');
  if (/^1\d{10}$/.test(digits))
    return {
      ok: false,
      problem: `recipient.e164 "${e164.slice(0, 4)}…" is a +1 number, which Aliyun would read as a mainland China number`,
    };
  return { ok: true, number: digits };
}

/** Mainland mobile numbers as SendSms takes them: 11 digits from 1, maybe with a prefix. */
const MAINLAND = /^(?:\+86|0086|86|\+)?(1\d{10})$/;
/** Other numbers: country code and number, digits only, as long as E.164 allows. */
const INTERNATIONAL = /^[1-9]\d{6,14}$/;

/**
 * A number as SendSms' PhoneNumbers lists it, in the form records are kept and queried under
 * (mainland numbers bare), or undefined when Aliyun would answer isv.MOBILE_NUMBER_ILLEGAL.
 */
export function recordedNumber(written: string): string | undefined {
  const mainland = MAINLAND.exec(written);
  if (mainland) return mainland[1];
  return INTERNATIONAL.test(written) ? written : undefined;
}

/** The number hidden but for its last four digits, for logs (a number is personal data). */
export const maskedNumber = (n: string) => `…${n.slice(-4)}`;
