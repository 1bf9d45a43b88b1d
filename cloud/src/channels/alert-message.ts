import { createHash } from 'node:crypto';
import { AlertMessageError } from '../errors.js';

/**
 * One alert message to one person over one channel, as every vendor needs it: an address on
 * the channel, a template registered with the vendor and its named parameters, and an
 * idempotency key the vendor carries where it takes one (WeChat `client_msg_id`, Aliyun
 * `OutId`, Tencent `SessionContext`). checkAlertMessage is what every adapter refuses before
 * sending. Pure.
 */

/**
 * Where a message goes: an openid of the channel's WeChat account, a phone number, or a WeCom
 * group through its robot.
 */
export type Recipient =
  | { readonly kind: 'wechat'; readonly openid: string }
  /** E.164: `+`, country code and number, no spaces (`+8613800138000`). */
  | { readonly kind: 'phone'; readonly e164: string }
  /**
   * A WeCom (企业微信) group, by the key of the robot added to it (the `key` of its webhook
   * address), and the members to @-mention by their mobile numbers as WeCom has them: a
   * mainland number (`13800001111`), one with its country code (`+852 51234567`), or `@all`.
   */
  | {
      readonly kind: 'wecom-group';
      readonly key: string;
      readonly mentionMobiles?: readonly string[];
    };
export type RecipientKind = Recipient['kind'];

/**
 * A template registered with the vendor: its id there and the names of its parameters, in the
 * vendor's order (Tencent's parameters are positional; WeChat's and Aliyun's are named).
 */
export interface AlertTemplate {
  readonly id: string;
  readonly parameters: readonly string[];
}

export interface AlertMessage {
  /**
   * The same key is never pushed twice (see AlertChannel): notificationKey(alert, person,
   * channel), so a replayed alert or a retried send finds the first delivery.
   */
  readonly idempotencyKey: string;
  /** The alert it pushes, for logs and delivery records. */
  readonly alertId: string;
  readonly recipient: Recipient;
  readonly templateId: string;
  /** Every parameter the template names and no other: name → text. */
  readonly parameters: Readonly<Record<string, string>>;
  /** Where opening the message leads (WeChat's `url`); channels without links ignore it. */
  readonly link?: string;
}

/** What checkAlertMessage needs to know of the channel. */
export interface MessageRules {
  readonly kind: string;
  readonly recipientKinds: readonly RecipientKind[];
  readonly templates: readonly AlertTemplate[];
}

// Short and plain enough to travel unchanged in every vendor's id field.
const KEY = /^[A-Za-z0-9_-]{1,64}$/;
// ITU-T E.164: at most 15 digits, the country code never starting with 0.
const E164 = /^\+[1-9][0-9]{6,14}$/;
// A member's mobile as WeCom keeps it (its member API writes `+86 13800000000`; its robot
// examples `13800001111`), or `@all` for everyone in the group.
const WECOM_MOBILE = /^(@all|1[0-9]{10}|\+[1-9][0-9]{0,3} [0-9]{4,14})$/;

/**
 * The idempotency key of the notification of one alert to one person over one channel: a
 * replay of the alert, or a retry, makes the same key. 22 characters of base64url.
 */
export function notificationKey(alertId: string, personId: string, channelKind: string): string {
  return createHash('sha256')
    .update(`${alertId}\n${personId}\n${channelKind}`)
    .digest('base64url')
    .slice(0, 22);
}

/** Throws AlertMessageError naming the first thing wrong with `m` for this channel. */
export function checkAlertMessage(m: AlertMessage, channel: MessageRules): void {
  const problem =
    keyProblem(m) ??
    recipientProblem(m.recipient, channel.recipientKinds) ??
    templateProblem(m, channel);
  if (problem)
    throw new AlertMessageError(`${channel.kind} alert message: ${problem}`, {
      channel: channel.kind,
      alertId: m.alertId,
    });
}

function keyProblem(m: AlertMessage): string | undefined {
  if (typeof m.idempotencyKey !== 'string' || !KEY.test(m.idempotencyKey))
    return 'idempotencyKey must be 1–64 characters of A–Z, a–z, 0–9, _ and - (see notificationKey)';
  if (typeof m.alertId !== 'string' || m.alertId === '') return 'alertId must not be empty';
  return undefined;
}

function templateProblem(m: AlertMessage, channel: MessageRules): string | undefined {
  const template = channel.templates.find((t) => t.id === m.templateId);
  if (!template) {
    const known = channel.templates.map((t) => t.id).join(', ') || 'none';
    return `template "${String(m.templateId).slice(0, 64)}" is not one the channel has (it has: ${known})`;
  }
  const given: Readonly<Record<string, unknown>> =
    typeof m.parameters === 'object' && m.parameters !== null ? m.parameters : {};
  const named = new Set(template.parameters);
  const unknown = Object.keys(given).filter((p) => !named.has(p));
  if (unknown.length > 0)
    return `template "${template.id}" has no parameter ${quoted(unknown)} (its parameters: ${template.parameters.join(', ')})`;
  const missing = template.parameters.filter(
    (p) => !Object.hasOwn(given, p) || typeof given[p] !== 'string',
  );
  if (missing.length > 0) return `template "${template.id}" needs text for ${quoted(missing)}`;
  return undefined;
}

const quoted = (names: readonly string[]) => names.map((n) => `"${n.slice(0, 64)}"`).join(', ');

function recipientProblem(
  r: Recipient | undefined,
  accepted: readonly RecipientKind[],
): string | undefined {
  if (!r || typeof r !== 'object') return 'recipient is missing';
  if (!accepted.includes(r.kind))
    return `recipient kind "${String(r.kind)}" is not one the channel sends to (${accepted.join(', ')})`;
  switch (r.kind) {
    case 'wechat':
      return typeof r.openid === 'string' && r.openid.trim() !== ''
        ? undefined
        : 'recipient.openid must not be empty';
    case 'phone':
      if (typeof r.e164 !== 'string' || r.e164 === '') return 'recipient.e164 must not be empty';
      return E164.test(r.e164)
        ? undefined
        : `recipient.e164 must be an E.164 number such as +8613800138000 (got "${r.e164.slice(0, 20)}")`;
    case 'wecom-group':
      return wecomGroupProblem(r);
  }
}

function wecomGroupProblem(r: Extract<Recipient, { kind: 'wecom-group' }>): string | undefined {
  if (typeof r.key !== 'string' || r.key.trim() === '') return 'recipient.key must not be empty';
  if (r.key.trim() !== r.key) return 'recipient.key must not start or end with spaces';
  if (r.mentionMobiles === undefined) return undefined;
  if (!Array.isArray(r.mentionMobiles)) return 'recipient.mentionMobiles must be a list';
  const bad = r.mentionMobiles.find((m) => typeof m !== 'string' || !WECOM_MOBILE.test(m));
  return bad === undefined
    ? undefined
    : `recipient.mentionMobiles must be mobiles as WeCom has them (13800001111, +852 51234567) or @all (got "${String(bad).slice(0, 20)}")`;
}
