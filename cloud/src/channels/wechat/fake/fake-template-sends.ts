import { randomInt } from 'node:crypto';
import { WeChatErrcodes as E } from '../wechat-api.js';
import { error, type FakeReply, objectOf, sent } from './fake-answers.js';
import { beijingDayOf, minuteOf, WindowCounter } from './fake-rate-limit.js';

/** A template registered with the account: its id and data keys. */
export interface FakeTemplate {
  readonly id: string;
  readonly keys: readonly string[];
}

/** A template message the fake took for delivery. */
export interface AcceptedPush {
  readonly touser: string;
  readonly templateId: string;
  readonly url?: string;
  readonly clientMsgId?: string;
  /** Each data key's value. */
  readonly data: Readonly<Record<string, string>>;
  /** WeChat's msgid, as exact decimal text. */
  readonly msgid: string;
  readonly at: number;
}

export interface TemplateSenderOptions {
  readonly now: () => number;
  /** How long a client_msg_id is remembered per openid (WeChat: 10 minutes). */
  readonly dedupeWindowMs: number;
  /** The account's template messages a day, counted by the day in Beijing; none when absent. */
  readonly dailyQuota?: number;
  /** Template messages a minute; none when absent. */
  readonly perMinuteQuota?: number;
}

// Openids are 28 characters of base64url for an Official Account (`oVRgD5dDA58Z52rU…`).
const OPENID = /^[A-Za-z0-9_-]{28}$/;

/**
 * message/template/send behind the token check: the request's fields and formats, the
 * template and its data keys (each present with a string value, no other), whether the
 * recipient follows the account, the quotas, and client_msg_id: one message per openid +
 * client_msg_id within the window. A resend inside it is answered as the first was, with the
 * first msgid, and pushes nothing (WeChat documents that only one message is sent, not the
 * answer to the resend; answering the first success is what its "only one message" reads as).
 */
export class FakeTemplateSender {
  readonly followers = new Set<string>();
  readonly templates = new Map<string, readonly string[]>();
  readonly pushes: AcceptedPush[] = [];
  private readonly recent = new Map<string, { msgid: bigint; at: number }>();
  private readonly daily: WindowCounter | undefined;
  private readonly perMinute: WindowCounter | undefined;
  // Real msgids are above 2^53 (3662956322040938501), so a client that rounds them shows.
  private nextMsgId = 3_662_956_322_040_938_501n;

  constructor(private readonly o: TemplateSenderOptions) {
    this.daily =
      o.dailyQuota === undefined ? undefined : new WindowCounter(o.dailyQuota, beijingDayOf);
    this.perMinute =
      o.perMinuteQuota === undefined ? undefined : new WindowCounter(o.perMinuteQuota, minuteOf);
  }

  /** The msgid of the next push. */
  setNextMsgId(id: bigint): void {
    this.nextMsgId = id;
  }

  /** Answers a send whose token was valid, with body `body` (undefined: not JSON). */
  send(body: unknown): FakeReply {
    const request = objectOf(body);
    if (!request) return error(E.dataFormatError);
    const problem = this.problemOf(request);
    if (problem) return problem;
    const now = this.o.now();
    if (this.perMinute && !this.perMinute.take(now)) return error(E.minuteQuota);
    if (this.daily && !this.daily.take(now)) return error(E.dailyQuota);
    const touser = request.touser as string;
    const clientMsgId = request.client_msg_id as string | undefined;
    const first = clientMsgId === undefined ? undefined : this.recentPush(touser, clientMsgId, now);
    if (first !== undefined) return sent(first);
    const msgid = this.takeMsgId();
    if (clientMsgId !== undefined) this.recent.set(`${touser}\n${clientMsgId}`, { msgid, at: now });
    this.pushes.push({
      touser,
      templateId: request.template_id as string,
      ...(request.url === undefined ? {} : { url: request.url as string }),
      ...(clientMsgId === undefined ? {} : { clientMsgId }),
      data: valuesOf(request.data as Record<string, { value: string }>),
      msgid: msgid.toString(),
      at: now,
    });
    return sent(msgid);
  }

  private problemOf(r: Record<string, unknown>): FakeReply | undefined {
    if (typeof r.touser !== 'string' || !OPENID.test(r.touser)) return error(E.invalidOpenid);
    if (typeof r.template_id !== 'string') return error(E.invalidTemplateId);
    const keys = this.templates.get(r.template_id);
    if (!keys) return error(E.invalidTemplateId);
    if (r.url !== undefined && typeof r.url !== 'string') return error(E.dataFormatError);
    if (r.client_msg_id !== undefined && typeof r.client_msg_id !== 'string')
      return error(E.dataFormatError);
    const dataProblem = this.dataProblem(r.data, keys);
    if (dataProblem) return dataProblem;
    if (!this.followers.has(r.touser)) return error(E.requireSubscribe);
    return undefined;
  }

  private dataProblem(data: unknown, keys: readonly string[]): FakeReply | undefined {
    const given = objectOf(data);
    if (!given) return error(E.argumentInvalid, 'argument invalid! data is empty');
    for (const key of keys) {
      const item = objectOf(given[key]);
      if (!item || typeof item.value !== 'string')
        return error(E.argumentInvalid, `argument invalid! data.${key}.value is empty`);
    }
    const extra = Object.keys(given).find((key) => !keys.includes(key));
    if (extra !== undefined)
      return error(E.argumentInvalid, `argument invalid! data.${extra} is not in the template`);
    return undefined;
  }

  private recentPush(touser: string, clientMsgId: string, now: number): bigint | undefined {
    for (const [key, push] of this.recent) {
      if (now - push.at < this.o.dedupeWindowMs) break; // in the order sent: the rest is newer
      this.recent.delete(key);
    }
    return this.recent.get(`${touser}\n${clientMsgId}`)?.msgid;
  }

  private takeMsgId(): bigint {
    const msgid = this.nextMsgId;
    this.nextMsgId += BigInt(randomInt(1, 1 << 20));
    return msgid;
  }
}

function valuesOf(data: Record<string, { value: string }>): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [key, item] of Object.entries(data)) values[key] = item.value;
  return values;
}
