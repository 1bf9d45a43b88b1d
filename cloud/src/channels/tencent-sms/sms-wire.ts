import type { AlertMessage, AlertTemplate } from '../alert-message.js';
import { tc3Authorization, tc3Sign } from './tc3-signing.js';

/**
 * The wire shapes of the Tencent Cloud SMS API (version 2021-01-11) that the channel uses, and
 * the pure building of its requests. Every API 3.0 answer is `{"Response": {…, "RequestId"}}`,
 * HTTP 200 even for errors, which come as `Response.Error {Code, Message}`.
 */

export const smsService = 'sms';
export const smsApiVersion = '2021-01-11';
/** The production endpoint; the nearest region's servers answer it. */
export const smsProductionUrl = 'https://sms.tencentcloudapi.com';
export const jsonContentType = 'application/json; charset=utf-8';

export const SmsActions = {
  sendSms: 'SendSms',
  pullSmsSendStatusByPhoneNumber: 'PullSmsSendStatusByPhoneNumber',
} as const;
export type SmsAction = (typeof SmsActions)[keyof typeof SmsActions];

export interface SendSmsRequest {
  /** E.164 numbers, at most 200, all in mainland China or all outside it. */
  PhoneNumberSet: string[];
  SmsSdkAppId: string;
  /** An approved signature; needed for mainland China numbers. */
  SignName: string;
  TemplateId: string;
  /** Positional: as many as the approved template has variables, in its order. */
  TemplateParamSet: string[];
  /** Returned as given, in the answer and in status reports: the idempotency key. */
  SessionContext: string;
}

export interface PullSmsSendStatusByPhoneNumberRequest {
  /** Unix seconds; at most 7 days back. */
  BeginTime: number;
  /** Documented as fixed at 0. */
  Offset: number;
  /** At most 100. */
  Limit: number;
  PhoneNumber: string;
  SmsSdkAppId: string;
  /** Unix seconds; optional. */
  EndTime?: number;
}

/** One number's outcome in a SendSms answer. */
export interface SendStatus {
  SerialNo: string;
  PhoneNumber: string;
  Fee: number;
  SessionContext: string;
  /** `Ok`, or an error code such as `LimitExceeded.PhoneNumberThirtySecondLimit`. */
  Code: string;
  Message: string;
  IsoCode: string;
}

/** One status report (receipt) in a PullSmsSendStatus… answer. */
export interface PullSmsSendStatus {
  UserReceiveTime: number;
  CountryCode: string;
  SubscriberNumber: string;
  PhoneNumber: string;
  SerialNo: string;
  /** `SUCCESS` or `FAIL`. */
  ReportStatus: string;
  Description: string;
  SessionContext: string;
}

export interface VendorError {
  Code: string;
  Message: string;
}

/** The `Response` object of an answer, whatever the action. */
export interface ApiResponse {
  RequestId?: string;
  Error?: VendorError;
  SendStatusSet?: SendStatus[];
  PullSmsSendStatusSet?: PullSmsSendStatus[];
}

/** What the channel's account sends with every SendSms. */
export interface SmsSender {
  readonly smsSdkAppId: string;
  readonly signName: string;
}

/** The SendSms body for one message: parameters in the template's order, the key as context. */
export function sendSmsRequest(
  message: AlertMessage,
  template: AlertTemplate,
  sender: SmsSender,
): SendSmsRequest {
  if (message.recipient.kind !== 'phone')
    throw new TypeError('Tencent Cloud SMS sends to phone numbers only');
  return {
    PhoneNumberSet: [message.recipient.e164],
    SmsSdkAppId: sender.smsSdkAppId,
    SignName: sender.signName,
    TemplateId: template.id,
    TemplateParamSet: template.parameters.map((name) => message.parameters[name] ?? ''),
    SessionContext: message.idempotencyKey,
  };
}

export interface SignedCall {
  readonly action: SmsAction;
  readonly region: string;
  /** The host the request goes to: what the `host` header carries and is signed with. */
  readonly host: string;
  readonly timestamp: number;
  readonly body: string;
}

export interface Credentials {
  readonly secretId: string;
  readonly secretKey: string;
}

/**
 * The headers of one signed API call. Host is not among them: fetch sets it from the URL, and
 * the signature covers the same value. `x-tc-action` is signed too, as Tencent's current
 * example does, so a captured request cannot be replayed as another action.
 */
export function signedHeaders(call: SignedCall, credentials: Credentials): Record<string, string> {
  const signed = tc3Sign(
    {
      service: smsService,
      timestamp: call.timestamp,
      headers: { 'content-type': jsonContentType, host: call.host, 'x-tc-action': call.action },
      body: call.body,
    },
    credentials.secretKey,
  );
  return {
    Authorization: tc3Authorization(credentials.secretId, signed),
    'Content-Type': jsonContentType,
    'X-TC-Action': call.action,
    'X-TC-Version': smsApiVersion,
    'X-TC-Region': call.region,
    'X-TC-Timestamp': String(call.timestamp),
  };
}

/** The answer's `Response` object, or undefined when the body is not an API 3.0 answer. */
export function apiResponseOf(body: unknown): ApiResponse | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const response = (body as { Response?: unknown }).Response;
  if (typeof response !== 'object' || response === null || Array.isArray(response))
    return undefined;
  return response as ApiResponse;
}

/** How far back the status reports go: Tencent keeps 7 days. */
const reportsKeptSeconds = 7 * 86_400;
/** Signatures pass within 5 minutes of Tencent's clock, so a push may be stamped that early. */
const clockMarginSeconds = 300;

/**
 * The status pull that finds a push made since `since` to `phoneNumber`: from a clock margin
 * before it (but within the 7 days Tencent keeps), up to 100 reports (the most it gives;
 * Offset is documented as fixed at 0). No EndTime: up to now.
 */
export function statusPullRequest(
  push: { readonly phoneNumber: string; readonly since: number },
  smsSdkAppId: string,
  now: number,
): PullSmsSendStatusByPhoneNumberRequest {
  const earliest = Math.floor(now / 1000) - reportsKeptSeconds + clockMarginSeconds;
  return {
    BeginTime: Math.max(Math.floor(push.since / 1000) - clockMarginSeconds, earliest),
    Offset: 0,
    Limit: 100,
    PhoneNumber: push.phoneNumber,
    SmsSdkAppId: smsSdkAppId,
  };
}
