import { invalidParameter, missingParameter, type Refusal, refusal } from './fake-answers.js';

/**
 * The fake's checks of a SendSms body, as documented for version 2021-01-11: the parameters
 * and their types, the SdkAppId (it must exist and belong to the caller's account), the
 * template and signature (approved ones only), 1–200 numbers, all in mainland China or all
 * outside it. What is wrong with one number (its format, its template variables) is that
 * number's SendStatusSet entry, decided by the server. Pure.
 */

export interface SmsRegistry {
  /** SmsSdkAppId → the SecretId of the account that owns it. */
  readonly apps: ReadonlyMap<string, string>;
  readonly signNames: ReadonlySet<string>;
  /** TemplateId → how many variables the approved template has. */
  readonly templates: ReadonlyMap<string, number>;
}

/** A SendSms the fake goes on with; per-number checks still to come. */
export interface SendSmsCall {
  /** Each number as given, and as E.164 when it is a number at all. */
  readonly numbers: readonly { readonly given: string; readonly e164: string | undefined }[];
  readonly smsSdkAppId: string;
  readonly signName: string;
  readonly templateId: string;
  readonly parameterCount: number;
  readonly templateParams: readonly string[];
  readonly sessionContext: string;
}

const sendSmsParameters = new Set([
  'PhoneNumberSet',
  'SmsSdkAppId',
  'TemplateId',
  'SignName',
  'TemplateParamSet',
  'ExtendCode',
  'SessionContext',
  'SenderId',
]);

export function checkSendSms(
  body: Readonly<Record<string, unknown>>,
  secretId: string,
  registry: SmsRegistry,
): SendSmsCall | Refusal {
  const unknown = Object.keys(body).find((k) => !sendSmsParameters.has(k));
  if (unknown !== undefined)
    return refusal('UnknownParameter', `The parameter \`${unknown}\` is not recognized.`);
  const numbers = body.PhoneNumberSet;
  if (numbers === undefined) return missingParameter('PhoneNumberSet');
  if (!Array.isArray(numbers) || !numbers.every((n) => typeof n === 'string'))
    return invalidParameter('PhoneNumberSet');
  if (numbers.length === 0) return refusal('MissingParameter.EmptyPhoneNumberSet');
  if (numbers.length > 200) return refusal('LimitExceeded.PhoneNumberCountLimit');
  const fields = stringFields(body, ['SmsSdkAppId', 'TemplateId'], ['SignName', 'SessionContext']);
  if ('code' in fields) return fields;
  const strings = fields.values;
  const params = body.TemplateParamSet ?? [];
  if (!Array.isArray(params) || !params.every((p) => typeof p === 'string'))
    return invalidParameter('TemplateParamSet');
  const app = appRefusal(strings.SmsSdkAppId!, secretId, registry);
  if (app) return app;
  const e164s = (numbers as string[]).map((given) => ({ given, e164: e164Of(given) }));
  const valid = e164s.flatMap((n) => (n.e164 === undefined ? [] : [n.e164]));
  const mainland = valid.filter(isMainland).length;
  if (mainland > 0 && mainland < valid.length)
    return refusal('UnsupportedOperation.ContainDomesticAndInternationalPhoneNumber');
  const parameterCount = registry.templates.get(strings.TemplateId!);
  if (parameterCount === undefined) return refusal('FailedOperation.TemplateIncorrectOrUnapproved');
  const signName = strings.SignName ?? '';
  const signNeeded = mainland > 0 || signName !== '';
  if (signNeeded && !registry.signNames.has(signName))
    return refusal('FailedOperation.SignatureIncorrectOrUnapproved');
  return {
    numbers: e164s,
    smsSdkAppId: strings.SmsSdkAppId!,
    signName,
    templateId: strings.TemplateId!,
    parameterCount,
    templateParams: params as string[],
    sessionContext: strings.SessionContext ?? '',
  };
}

/** The SdkAppId must exist, and be the caller's account's. */
export function appRefusal(
  smsSdkAppId: string,
  secretId: string,
  registry: SmsRegistry,
): Refusal | undefined {
  const owner = registry.apps.get(smsSdkAppId);
  if (owner === undefined) return refusal('InvalidParameterValue.SdkAppIdNotExist');
  if (owner !== secretId) return refusal('UnauthorizedOperation.SmsSdkAppIdVerifyFail');
  return undefined;
}

/** The named string fields: required ones present, every one a string when present. */
export function stringFields(
  body: Readonly<Record<string, unknown>>,
  required: readonly string[],
  optional: readonly string[],
): { readonly values: Record<string, string | undefined> } | Refusal {
  const values: Record<string, string | undefined> = {};
  for (const name of [...required, ...optional]) {
    const value = body[name];
    if (value === undefined || value === null) {
      if (required.includes(name)) return missingParameter(name);
      continue;
    }
    if (typeof value !== 'string') return invalidParameter(name);
    if (required.includes(name) && value === '') return missingParameter(name);
    values[name] = value;
  }
  return { values };
}

/**
 * A number as E.164, or undefined when it is not one. Mainland China numbers may also come as
 * `0086…`, `86…` or the bare 11 digits, as the SendSms documentation allows; they must be
 * mobile numbers (11 digits from 1).
 */
export function e164Of(given: string): string | undefined {
  const mainland = /^(?:\+86|0086|86)?(1\d{10})$/.exec(given);
  if (mainland) return `+86${mainland[1]}`;
  if (given.startsWith('+86')) return undefined;
  return /^\+[1-9]\d{6,14}$/.test(given) ? given : undefined;
}

export const isMainland = (e164: string): boolean => e164.startsWith('+86');
