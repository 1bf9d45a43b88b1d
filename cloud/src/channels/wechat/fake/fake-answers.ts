import { randomBytes } from 'node:crypto';
import { WeChatErrcodes as E } from '../wechat-api.js';

/**
 * The fake server's answers, in WeChat's shape: HTTP 200 and a JSON body, `{errcode, errmsg}`
 * for an error, with WeChat's error texts and the request id it appends (`rid: …`).
 */

/** What a handler answers: an error code (with WeChat's text unless given one), or a body. */
export type FakeReply =
  | { readonly kind: 'error'; readonly errcode: number; readonly errmsg?: string }
  | { readonly kind: 'ok'; readonly text: string };

const errmsgs: ReadonlyMap<number, string> = new Map([
  [E.systemBusy, 'system error'],
  [E.invalidCredential, 'invalid credential, access_token is invalid or not latest'],
  [E.invalidGrantType, 'invalid grant_type'],
  [E.invalidOpenid, 'invalid openid'],
  [E.invalidAppid, 'invalid appid'],
  [E.invalidAccessToken, 'invalid access_token'],
  [E.invalidTemplateId, 'invalid template_id'],
  [E.invalidActionName, 'invalid action name'],
  [E.invalidActionInfo, 'invalid action info, please check document'],
  [E.invalidAppsecret, 'invalid appsecret'],
  [E.ipNotWhitelisted, 'invalid ip, not in whitelist'],
  [E.accessTokenMissing, 'access_token missing'],
  [E.appidMissing, 'appid missing'],
  [E.appsecretMissing, 'appsecret missing'],
  [E.accessTokenExpired, 'access_token expired'],
  [E.requirePost, 'require POST method'],
  [E.requireSubscribe, 'require subscribe'],
  [E.userRefused, 'user refuse to accept the msg'],
  [E.templateBanned, 'This template_id is banned'],
  [E.dailyQuota, 'reach max api daily quota limit'],
  [E.minuteQuota, 'api minute-quota reach limit, must slower, retry next minute'],
  [E.dataFormatError, 'data format error'],
  [E.argumentInvalid, 'argument invalid!'],
]);

export const error = (errcode: number, errmsg?: string): FakeReply =>
  errmsg === undefined ? { kind: 'error', errcode } : { kind: 'error', errcode, errmsg };

export const ok = (body: Record<string, unknown>): FakeReply => ({
  kind: 'ok',
  text: JSON.stringify(body),
});

/**
 * A template send's success. The msgid is written as a bare 64-bit integer, as WeChat does:
 * JSON.stringify cannot write a bigint, and a JavaScript number would round it.
 */
export const sent = (msgid: bigint): FakeReply => ({
  kind: 'ok',
  text: `{"errcode":0,"errmsg":"ok","msgid":${msgid.toString()}}`,
});

/** The body of `reply` as WeChat writes it. */
export function replyText(reply: FakeReply): string {
  if (reply.kind === 'ok') return reply.text;
  const errmsg = reply.errmsg ?? errmsgs.get(reply.errcode) ?? 'unknown error';
  return JSON.stringify({ errcode: reply.errcode, errmsg: `${errmsg} rid: ${requestId()}` });
}

/** WeChat's request id: three groups of 8 hex digits (`64d20329-254dc72d-4b59c863`). */
function requestId(): string {
  const hex = randomBytes(12).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 16)}-${hex.slice(16)}`;
}

/** The object in a parsed body, or undefined when it is not one. */
export function objectOf(body: unknown): Record<string, unknown> | undefined {
  return typeof body === 'object' && body !== null && !Array.isArray(body)
    ? (body as Record<string, unknown>)
    : undefined;
}
