import type { AlertMessage } from '../alert-message.js';
import {
  type QrCodeCreateRequest,
  qrCodeLimits,
  type StableTokenRequest,
  type TemplateSendRequest,
} from './wechat-api.js';

/** The bodies the client sends, built from what the notifier has. Pure. */

/** The template message of an alert message (checked by checkAlertMessage before). */
export function templateSendRequest(m: AlertMessage): TemplateSendRequest {
  if (m.recipient.kind !== 'wechat')
    throw new TypeError(`a WeChat template message goes to an openid, not a ${m.recipient.kind}`);
  const data: Record<string, { value: string }> = {};
  for (const [name, value] of Object.entries(m.parameters)) data[name] = { value };
  return {
    touser: m.recipient.openid,
    template_id: m.templateId,
    ...(m.link === undefined ? {} : { url: m.link }),
    // WeChat sends one message per openid + client_msg_id for 10 minutes: the key makes a
    // resend after a lost answer find the first push instead of repeating it.
    client_msg_id: m.idempotencyKey,
    data,
  };
}

/**
 * A request for the account's current token, never forcing a refresh: a forced refresh
 * invalidates the token of every process sharing the account (see WeChatClient).
 */
export function stableTokenRequest(appid: string, secret: string): StableTokenRequest {
  return { grant_type: 'client_credential', appid, secret };
}

export interface QrCodeOptions {
  /** Up to 64 characters; comes back in the scan event's EventKey. */
  sceneStr: string;
  /** Seconds, 1 to 2,592,000 (30 days). */
  expireSeconds: number;
}

/** A temporary QR code with a string scene; throws RangeError on what WeChat would refuse. */
export function qrCodeCreateRequest(o: QrCodeOptions): QrCodeCreateRequest {
  if (o.sceneStr.length < 1 || o.sceneStr.length > qrCodeLimits.maxSceneLength)
    throw new RangeError(
      `a QR code scene is 1 to ${qrCodeLimits.maxSceneLength} characters (got ${o.sceneStr.length})`,
    );
  if (
    !Number.isInteger(o.expireSeconds) ||
    o.expireSeconds < 1 ||
    o.expireSeconds > qrCodeLimits.maxExpireSeconds
  )
    throw new RangeError(
      `a temporary QR code lives 1 to ${qrCodeLimits.maxExpireSeconds} seconds (got ${o.expireSeconds})`,
    );
  return {
    expire_seconds: o.expireSeconds,
    action_name: 'QR_STR_SCENE',
    action_info: { scene: { scene_str: o.sceneStr } },
  };
}
