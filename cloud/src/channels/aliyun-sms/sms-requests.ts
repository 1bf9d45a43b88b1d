import type { AlertMessage, AlertTemplate } from '../alert-message.js';
import { isoTimestamp } from './aliyun-time.js';
import type { RpcParams } from './rpc-signature.js';

/**
 * The parameters of dysmsapi calls (API version 2017-05-25), before signing. Pure.
 */

export const SMS_API_VERSION = '2017-05-25';

/** The common parameters every RPC call carries, `Signature` aside. */
export function commonParams(o: {
  accessKeyId: string;
  regionId: string;
  nonce: string;
  nowMs: number;
}): Record<string, string> {
  return {
    AccessKeyId: o.accessKeyId,
    Format: 'JSON',
    RegionId: o.regionId,
    SignatureMethod: 'HMAC-SHA1',
    SignatureNonce: o.nonce,
    SignatureVersion: '1.0',
    Timestamp: isoTimestamp(o.nowMs),
    Version: SMS_API_VERSION,
  };
}

/**
 * SendSms of one alert message to one number: the template's id is the TemplateCode, its
 * parameters the TemplateParam JSON (every value a string, as Aliyun requires), and the
 * idempotency key the OutId, which Aliyun keeps with the record and echoes in receipts.
 */
export function sendSmsParams(
  m: AlertMessage,
  template: AlertTemplate,
  phoneNumber: string,
  signName: string,
): RpcParams {
  // In the template's order, so the same message always makes the same request.
  const values = Object.fromEntries(template.parameters.map((p) => [p, m.parameters[p] ?? '']));
  return {
    Action: 'SendSms',
    PhoneNumbers: phoneNumber,
    SignName: signName,
    TemplateCode: template.id,
    // Required only when the template has variables.
    ...(template.parameters.length > 0 ? { TemplateParam: JSON.stringify(values) } : {}),
    OutId: m.idempotencyKey,
  };
}

/** QuerySendDetails: one page of what was sent to one number on one (Shanghai) date. */
export function querySendDetailsParams(q: {
  phoneNumber: string;
  sendDate: string;
  currentPage: number;
  pageSize: number;
}): RpcParams {
  return {
    Action: 'QuerySendDetails',
    PhoneNumber: q.phoneNumber,
    SendDate: q.sendDate,
    PageSize: String(q.pageSize),
    CurrentPage: String(q.currentPage),
  };
}
