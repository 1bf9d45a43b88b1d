import { randomInt, randomUUID } from 'node:crypto';
import type { ApiResponse, SendStatus, VendorError } from '../sms-wire.js';

/**
 * The answers of the fake Tencent Cloud SMS server, in the vendor's shapes: every answer is
 * HTTP 200 `{"Response": {…, "RequestId"}}`; a refused request has `Response.Error {Code,
 * Message}`; a SendSms that got through has one `SendStatusSet` entry per number, each `Ok`
 * or its own error code. Messages follow the descriptions in Tencent's error code tables.
 */

/** A refusal of the whole request. */
export interface Refusal {
  readonly code: string;
  readonly message: string;
}

export const refusal = (code: string, message?: string): Refusal => ({
  code,
  message: message ?? vendorMessages[code] ?? `${code}.`,
});

export const missingParameter = (name: string): Refusal =>
  refusal('MissingParameter', `The request is missing a required parameter \`${name}\`.`);

export const invalidParameter = (name: string): Refusal =>
  refusal('InvalidParameter', `The value type of parameter \`${name}\` is not valid.`);

/** The error codes that SendSms reports per number, in SendStatusSet, not as Response.Error. */
export const perNumberCodes: ReadonlySet<string> = new Set([
  'InvalidParameterValue.IncorrectPhoneNumber',
  'FailedOperation.PhoneNumberInBlacklist',
  'FailedOperation.PhoneNumberParseFail',
  'FailedOperation.TemplateParamSetNotMatchApprovedTemplate',
  'InvalidParameterValue.TemplateParameterFormatError',
  'InvalidParameterValue.TemplateParameterLengthLimit',
  'LimitExceeded.PhoneNumberThirtySecondLimit',
  'LimitExceeded.PhoneNumberOneHourLimit',
  'LimitExceeded.PhoneNumberDailyLimit',
  'LimitExceeded.PhoneNumberSameContentDailyLimit',
  'LimitExceeded.AppCountryOrRegionInBlacklist',
]);

const vendorMessages: Readonly<Record<string, string>> = {
  'AuthFailure.InvalidAuthorization': 'Authorization in the request header is invalid.',
  'AuthFailure.SecretIdNotFound':
    'Key does not exist. Check if the key has been deleted or disabled in the console, and if not, check if the key is correctly entered.',
  'AuthFailure.SignatureExpire':
    'Signature expired. Timestamp and server time cannot differ by more than five minutes. Please ensure your current local time matches the standard time.',
  'AuthFailure.SignatureFailure':
    'The provided credentials could not be validated. Please check your signature is correct.',
  'FailedOperation.JsonParseFail': 'Failed to parse the request body.',
  'FailedOperation.PhoneNumberInBlacklist':
    'The mobile number is in the opt-out list: the recipient unsubscribed, or the carrier lists the number.',
  'FailedOperation.SignatureIncorrectOrUnapproved':
    'The signature is not approved or in an incorrect format.',
  'FailedOperation.TemplateIncorrectOrUnapproved':
    'The template has not been approved or its content does not match that of the approved template.',
  'FailedOperation.TemplateParamSetNotMatchApprovedTemplate':
    'request content does not match the template content',
  'InternalError.OtherError':
    'Other error. Contact Tencent Cloud SMS support with the failed mobile number.',
  'InternalError.Timeout': 'The request to deliver an SMS message timed out.',
  'InvalidParameterValue.IncorrectPhoneNumber': 'Incorrect mobile number format',
  'InvalidParameterValue.TemplateParameterFormatError':
    'The parameter format of the verification code template is incorrect.',
  'InvalidParameterValue.SdkAppIdNotExist': 'The `SdkAppId` does not exist.',
  'InvalidParameterValue.LimitVerifyFail': '`Limit` parameter check failed.',
  'InvalidParameterValue.OffsetVerifyFail': '`Offset` parameter check failed.',
  'InvalidParameterValue.BeginTimeVerifyFail': '`BeginTime` parameter check failed.',
  'InvalidParameterValue.InvalidStartTime': 'Invalid start time or end time.',
  'LimitExceeded.PhoneNumberCountLimit': 'The number of mobile numbers in one request exceeds 200.',
  'LimitExceeded.PhoneNumberDailyLimit':
    'The number of SMS messages delivered to a single mobile number on the current day exceeds the set upper limit.',
  'LimitExceeded.PhoneNumberOneHourLimit':
    'The number of SMS messages delivered to a single mobile number within 1 hour exceeds the set upper limit.',
  'LimitExceeded.PhoneNumberSameContentDailyLimit':
    'The number of identical SMS messages delivered to a single mobile number exceeds the set upper limit.',
  'LimitExceeded.PhoneNumberThirtySecondLimit':
    'The number of SMS messages delivered to a single mobile number within 30 seconds exceeds the set upper limit.',
  'MissingParameter.EmptyPhoneNumberSet': 'The list of mobile numbers passed in is empty.',
  'UnauthorizedOperation.SmsSdkAppIdVerifyFail':
    'Failed to verify `SmsSdkAppId`: it is not under the account of the API key.',
  'UnsupportedOperation.ContainDomesticAndInternationalPhoneNumber':
    'The request contains both Chinese mainland numbers and international numbers.',
};

/** An answer body: `{"Response": {...fields, RequestId}}`. */
export function answerBody(fields: Omit<ApiResponse, 'RequestId'>): string {
  return JSON.stringify({ Response: { ...fields, RequestId: randomUUID() } });
}

export function refusalBody(r: Refusal): string {
  const error: VendorError = { Code: r.code, Message: r.message };
  return answerBody({ Error: error });
}

/** A SendStatusSet entry for a number that was not sent to (as Tencent's example shows it). */
export function failedStatus(phoneNumber: string, r: Refusal): SendStatus {
  return {
    SerialNo: '',
    PhoneNumber: phoneNumber,
    Fee: 0,
    SessionContext: '',
    Code: r.code,
    Message: r.message,
    IsoCode: '',
  };
}

/** A SerialNo of Tencent's form: `5000:` and 28 digits. */
export function serialNo(): string {
  let digits = '';
  while (digits.length < 28) digits += String(randomInt(0, 1e9)).padStart(9, '0');
  return `${randomInt(1000, 10_000)}:${digits.slice(0, 28)}`;
}
