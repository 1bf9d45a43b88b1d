import { randomBytes } from 'node:crypto';
import { CONTENT_LIMIT_BYTES, type RobotAnswer, utf8Bytes } from './robot-wire.js';

/**
 * What the fake robot checks and answers, as WeCom does: errcodes and their errmsg (WeCom's
 * errmsg carries a hint id, the caller's IP and a link to its error lookup), and the checks of
 * a post body. Pure but for the hint's random id; fake-robot-server.ts does the HTTP.
 */

/** errcode → the start of its errmsg, as WeCom words it. */
export const robotErrors = {
  [-1]: 'system busy',
  40008: 'invalid message type',
  40058: 'content exceed max length',
  43002: 'require POST method',
  44004: 'Warning: wrong json format. empty content',
  45009: 'api freq out of limit',
  93000: 'invalid webhook url',
} as const;
export type RobotErrcode = keyof typeof robotErrors;

export function errorAnswer(errcode: RobotErrcode, detail?: string, ip = '127.0.0.1'): RobotAnswer {
  const hint = `${Date.now()}${randomBytes(6).readUIntBE(0, 6)}`.slice(0, 25);
  return {
    errcode,
    errmsg: `${detail ?? robotErrors[errcode]}, hint: [${hint}], from ip: ${ip}, more info at https://open.work.weixin.qq.com/devtool/query?e=${errcode}`,
  };
}

export const OK: RobotAnswer = { errcode: 0, errmsg: 'ok' };

/** A post the fake robot accepted. */
export interface FakeRobotPost {
  readonly key: string;
  readonly msgtype: 'text' | 'markdown';
  readonly content: string;
  readonly mentionedMobiles: readonly string[];
  readonly mentionedUserids: readonly string[];
  /** When it was posted, ms since the epoch. */
  readonly at: number;
}

export type PostCheck =
  | { readonly error: RobotAnswer }
  | { readonly post: Omit<FakeRobotPost, 'key' | 'at'> };

/**
 * A post body's checks: JSON, a msgtype the fake knows (text and markdown; the robot's image,
 * news, file and card types are not modelled and answer 40008 here), non-empty content within
 * its limit in UTF-8 bytes.
 */
export function checkPost(body: string, ip?: string): PostCheck {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return { error: errorAnswer(44004, undefined, ip) };
  }
  const p = (typeof parsed === 'object' && parsed !== null ? parsed : {}) as Record<
    string,
    unknown
  >;
  const msgtype = p.msgtype;
  if (msgtype !== 'text' && msgtype !== 'markdown')
    return { error: errorAnswer(40008, undefined, ip) };
  const part = p[msgtype];
  const fields = (typeof part === 'object' && part !== null ? part : {}) as Record<string, unknown>;
  const content = fields.content;
  if (typeof content !== 'string' || content === '')
    return { error: errorAnswer(44004, undefined, ip) };
  const limit = CONTENT_LIMIT_BYTES[msgtype];
  if (utf8Bytes(content) > limit)
    return {
      error: errorAnswer(
        40058,
        `${msgtype}.content exceed max length ${limit}. invalid Request Parameter`,
        ip,
      ),
    };
  // Mentions are a text message's alone; the robot ignores them on markdown.
  const mentions = (name: string) =>
    msgtype === 'text' && Array.isArray(fields[name])
      ? (fields[name] as unknown[]).filter((v): v is string => typeof v === 'string')
      : [];
  return {
    post: {
      msgtype,
      content,
      mentionedMobiles: mentions('mentioned_mobile_list'),
      mentionedUserids: mentions('mentioned_list'),
    },
  };
}
