import { randomUUID } from 'node:crypto';
import type { Logger } from '@fleetline/platform';
import { AlertChannelClosedError } from '../../errors.js';
import {
  type AlertChannel,
  DeliveryFailureCodes,
  type DeliveryResult,
  delivered,
  deliveryFailed,
} from '../alert-channel.js';
import {
  type AlertMessage,
  type AlertTemplate,
  checkAlertMessage,
  type RecipientKind,
} from '../alert-message.js';
import { exchange } from '../http-exchange.js';
import { IdempotencyWindow } from '../idempotency-window.js';
import { checkTemplateTexts, renderTemplateText, type TemplateTexts } from '../template-text.js';
import { outcomeOfPost } from './robot-answers.js';
import { RobotBudgets } from './robot-budget.js';
import { ROBOT_MESSAGES_PER_MINUTE, robotPost, WECOM_API, webhookUrl } from './robot-wire.js';

/**
 * What a send does for a key whose previous post got no answer (TIMED_OUT, or a connection
 * lost after the request went out). The robot takes no idempotency key and has no query API,
 * so the adapter cannot find out whether that post reached the group.
 * - `assume-posted` (default): answer `delivered` as a duplicate of the unanswered post, and
 *   post nothing. A group chat is the broadcast beside each person's own SMS and WeChat alerts,
 *   where a crash is also pushed; and the robot answers in milliseconds once it has a post,
 *   so a lost answer nearly always follows a post it made. Two crash posts for one crash in a
 *   group read as two crashes.
 * - `post-again-marked`: post again, the text opened with `repeatMarker`; both posts carry the
 *   same reference line, so readers can tell it is the same alert. For groups that would
 *   rather see an alert twice than risk not at all.
 * Either way the first result was TIMED_OUT, on the record for whoever reads the outbox.
 */
export type AfterLostAnswer = 'assume-posted' | 'post-again-marked';

export interface WecomRobotChannelOptions {
  /** The templates it sends, and the markdown text of each with `{parameter}` placeholders. */
  templates: readonly AlertTemplate[];
  texts: TemplateTexts;
  afterLostAnswer?: AfterLostAnswer;
  /** Opens a post made again after a lost answer (default `[Repeat — may already be above]`). */
  repeatMarker?: string;
  /** WeCom's API (default `https://qyapi.weixin.qq.com`); the fake's URL in tests. */
  baseUrl?: string;
  /** How long a post may take before its answer counts as lost (default 5 s). */
  timeoutMs?: number;
  /** Posts a robot may make in any minute (WeCom's limit, 20, by default). */
  messagesPerMinute?: number;
  /** How many delivered keys it remembers to answer repeats as duplicates (default 10,000). */
  rememberedKeys?: number;
  now?: () => number;
  logger?: Logger;
}

/** vendorCode of a post the adapter held back itself: WeCom never saw it. */
export const HELD_BACK = 'HELD_BACK_20_PER_MINUTE';

const MAX_LOST_ANSWERS = 10_000;

/**
 * The WeCom group robot: an alert as one post in a group chat, made from the template's
 * markdown text, with a reference line (`ref <idempotency key>`) at its foot: the robot keeps no
 * id of ours, so the post itself names the notification it belongs to. Members listed in the
 * recipient's `mentionMobiles` are @-mentioned, which only a text post can do: the markdown is
 * then sent flattened to text. Each robot's budget of 20 posts a minute is kept here (a post
 * over it is THROTTLED without reaching WeCom), and a lost answer is handled as AfterLostAnswer
 * says.
 */
export class WecomRobotChannel implements AlertChannel {
  readonly kind = 'wecom-robot';
  readonly recipientKinds: readonly RecipientKind[] = ['wecom-group'];
  readonly templates: readonly AlertTemplate[];
  private readonly texts: TemplateTexts;
  private readonly afterLostAnswer: AfterLostAnswer;
  private readonly repeatMarker: string;
  private readonly baseUrl: string;
  private readonly timeoutMs: number;
  private readonly budgets: RobotBudgets;
  private readonly perMinute: number;
  private readonly window: IdempotencyWindow;
  /** Key → the message id given to its post whose answer was lost. */
  private readonly lostAnswers = new Map<string, string>();
  private readonly log: Logger | undefined;
  private closed = false;

  constructor(o: WecomRobotChannelOptions) {
    checkOptions(o);
    checkTemplateTexts(this.kind, o.templates, o.texts);
    this.templates = o.templates;
    this.texts = o.texts;
    this.afterLostAnswer = o.afterLostAnswer ?? 'assume-posted';
    this.repeatMarker = o.repeatMarker ?? '[Repeat — may already be above]';
    this.baseUrl = o.baseUrl ?? WECOM_API;
    this.timeoutMs = o.timeoutMs ?? 5_000;
    this.perMinute = o.messagesPerMinute ?? ROBOT_MESSAGES_PER_MINUTE;
    this.budgets = new RobotBudgets(this.perMinute, o.now);
    this.window = new IdempotencyWindow(o.rememberedKeys);
    this.log = o.logger?.child({ component: 'alert-channel', channel: this.kind });
  }

  async send(message: AlertMessage): Promise<DeliveryResult> {
    if (this.closed) throw new AlertChannelClosedError(this.kind);
    checkAlertMessage(message, this);
    return this.window.once(message.idempotencyKey, () => this.deliver(message));
  }

  async close(): Promise<void> {
    this.closed = true;
  }

  private async deliver(m: AlertMessage): Promise<DeliveryResult> {
    if (m.recipient.kind !== 'wecom-group')
      throw new Error('unreachable: checked by checkAlertMessage');
    const key = m.idempotencyKey;
    const lostId = this.lostAnswers.get(key);
    if (lostId !== undefined && this.afterLostAnswer === 'assume-posted') {
      this.lostAnswers.delete(key);
      return delivered(lostId, true);
    }
    const waitMs = this.budgets.take(m.recipient.key);
    if (waitMs > 0)
      return deliveryFailed(DeliveryFailureCodes.throttled, {
        code: HELD_BACK,
        message: `held back: this robot posted ${this.perMinute} times in the last minute (WeCom would answer 45009)`,
        retryAfterMs: waitMs,
      });
    const messageId = randomUUID();
    const content = this.contentOf(m, lostId !== undefined);
    const post = robotPost(content, m.recipient.mentionMobiles);
    const x = await exchange(
      webhookUrl(this.baseUrl, m.recipient.key),
      {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(post),
      },
      this.timeoutMs,
    );
    const outcome = outcomeOfPost(x, messageId);
    if (outcome.result.outcome === 'failed' && outcome.result.vendorCode === '45009')
      this.budgets.exhaust(m.recipient.key);
    this.noteLostAnswer(key, messageId, outcome.posted === 'unknown', m.alertId);
    return outcome.result;
  }

  /** The template's markdown, marked as a repeat if it is posted again, and its reference. */
  private contentOf(m: AlertMessage, repeat: boolean): string {
    const text = renderTemplateText(this.texts[m.templateId] ?? '', m.parameters);
    const marked = repeat ? `**${this.repeatMarker}**\n${text}` : text;
    return `${marked}\n<font color="comment">ref ${m.idempotencyKey}</font>`;
  }

  private noteLostAnswer(key: string, messageId: string, lost: boolean, alertId: string): void {
    if (!lost) {
      this.lostAnswers.delete(key);
      return;
    }
    this.lostAnswers.set(key, messageId);
    if (this.lostAnswers.size > MAX_LOST_ANSWERS) {
      const oldest = this.lostAnswers.keys().next().value;
      if (oldest !== undefined) this.lostAnswers.delete(oldest);
    }
    this.log?.warn(
      { idempotencyKey: key, alertId, afterLostAnswer: this.afterLostAnswer },
      'wecom robot answer lost: it cannot be asked whether the post arrived',
    );
  }
}

function checkOptions(o: WecomRobotChannelOptions): void {
  let problem: string | undefined;
  if (o.timeoutMs !== undefined && !(o.timeoutMs > 0)) problem = 'timeoutMs must be above 0';
  else if (
    o.messagesPerMinute !== undefined &&
    !(Number.isInteger(o.messagesPerMinute) && o.messagesPerMinute > 0)
  )
    problem = 'messagesPerMinute must be a whole number above 0';
  else if (
    o.afterLostAnswer !== undefined &&
    o.afterLostAnswer !== 'assume-posted' &&
    o.afterLostAnswer !== 'post-again-marked'
  )
    problem = 'afterLostAnswer must be assume-posted or post-again-marked';
  if (problem) throw new Error(`wecom-robot options: ${problem}`);
}
