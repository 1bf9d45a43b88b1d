import type { Logger } from '@fleetline/platform';
import { AlertChannelClosedError } from '../../errors.js';
import { type AlertChannel, type DeliveryResult, delivered } from '../alert-channel.js';
import {
  type AlertMessage,
  type AlertTemplate,
  checkAlertMessage,
  type RecipientKind,
} from '../alert-message.js';
import { maskedAddress } from '../console-channel.js';
import { exchange } from '../http-exchange.js';
import { IdempotencyWindow } from '../idempotency-window.js';
import { checkTemplateTexts, renderTemplateText, type TemplateTexts } from '../template-text.js';
import { type AttemptStore, MemoryAttemptStore, type UnsettledAttempt } from './attempt-store.js';
import {
  findAttemptMessage,
  type ListOutcome,
  outcomeOfCreate,
  outcomeOfList,
} from './twilio-answers.js';
import {
  basicAuthorization,
  createMessageForm,
  messageListQuery,
  messagesPath,
  type OutgoingSms,
  type Sender,
  SID,
  TWILIO_API,
} from './twilio-wire.js';

export interface TwilioSmsChannelOptions {
  accountSid: string;
  /** The account's Auth Token: only ever sent in the basic-auth header, never logged. */
  authToken: string;
  /** The sender: one of the account's numbers (E.164) or a Messaging Service, not both. */
  from?: string;
  messagingServiceSid?: string;
  /** The templates it sends, and the text of each with `{parameter}` placeholders. */
  templates: readonly AlertTemplate[];
  texts: TemplateTexts;
  /**
   * Where Twilio posts delivery receipts, if anywhere. The message's idempotency key is added
   * to its query (`key=…`), so each receipt names the notification it belongs to.
   */
  statusCallback?: string;
  /** Twilio's API (default `https://api.twilio.com`); the fake's URL in tests. */
  baseUrl?: string;
  /** How long one request may take before its answer counts as lost (default 10 s). */
  timeoutMs?: number;
  /** Where unanswered attempts wait for the next send of their key (default: in memory). */
  attempts?: AttemptStore;
  /** How many delivered keys it remembers to answer repeats as duplicates (default 10,000). */
  rememberedKeys?: number;
  /** How far Twilio's clock may lag ours when matching a lost attempt (default 5 s). */
  clockToleranceMs?: number;
  now?: () => number;
  logger?: Logger;
}

// One page of 100 messages to one number from one sender since the attempt's day covers any
// realistic alert traffic; a few pages more cost little after a lost answer.
const LIST_PAGE_SIZE = 100;
const LIST_MAX_PAGES = 5;

type Search =
  | ListOutcome
  | { readonly kind: 'found'; readonly sid: string }
  | { readonly kind: 'none' };

/**
 * Twilio Programmable Messaging: an alert as one SMS to an international number, its text made
 * from the template's configured text.
 *
 * Twilio has no idempotency key on Messages, so a lost answer is settled by asking: the attempt
 * is kept (AttemptStore), and the next send of its key lists the messages to that number from
 * that sender sent since the attempt's day (`To`, `From`, `DateSent>`), taking one with the
 * same body created since the attempt began as the first push (delivered, duplicate) and
 * pushing only when there is none. If the list cannot be read the send fails and nothing is
 * pushed. Residual risk: a message Twilio still holds queued has no `date_sent` yet and may not
 * match a `DateSent` filter; it is sent within seconds in practice, well inside the notifier's
 * retry delay.
 */
export class TwilioSmsChannel implements AlertChannel {
  readonly kind = 'twilio-sms';
  readonly recipientKinds: readonly RecipientKind[] = ['phone'];
  readonly templates: readonly AlertTemplate[];
  readonly #authorization: string;
  private readonly accountSid: string;
  private readonly sender: Sender;
  private readonly texts: TemplateTexts;
  private readonly statusCallback: string | undefined;
  private readonly baseUrl: string;
  private readonly timeoutMs: number;
  private readonly attempts: AttemptStore;
  private readonly window: IdempotencyWindow;
  private readonly toleranceMs: number;
  private readonly now: () => number;
  private readonly log: Logger | undefined;
  private closed = false;

  constructor(o: TwilioSmsChannelOptions) {
    checkOptions(o);
    checkTemplateTexts(this.kind, o.templates, o.texts);
    this.templates = o.templates;
    this.texts = o.texts;
    this.accountSid = o.accountSid;
    this.#authorization = basicAuthorization(o.accountSid, o.authToken);
    this.sender =
      o.from !== undefined
        ? { from: o.from }
        : { messagingServiceSid: o.messagingServiceSid ?? '' };
    this.statusCallback = o.statusCallback;
    this.baseUrl = (o.baseUrl ?? TWILIO_API).replace(/\/+$/, '');
    this.timeoutMs = o.timeoutMs ?? 10_000;
    this.attempts = o.attempts ?? new MemoryAttemptStore();
    this.window = new IdempotencyWindow(o.rememberedKeys);
    this.toleranceMs = o.clockToleranceMs ?? 5_000;
    this.now = o.now ?? Date.now;
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
    const key = m.idempotencyKey;
    const prior = await this.attempts.get(key);
    if (prior) {
      const search = await this.search(prior);
      if (search.kind === 'failed') return search.result;
      if (search.kind === 'found') {
        await this.attempts.delete(key);
        this.log?.info(
          { idempotencyKey: key, sid: search.sid },
          'twilio lost answer: message found',
        );
        return delivered(search.sid, true);
      }
    }
    const sms = this.smsOf(m);
    const startedAt = prior?.startedAt ?? this.now();
    const outcome = outcomeOfCreate(await this.create(sms), this.now());
    if (outcome.unsettled) {
      await this.attempts.set(key, { startedAt, sms });
      this.log?.warn(
        { idempotencyKey: key, alertId: m.alertId, to: maskedAddress(m.recipient) },
        'twilio answer lost: the next send of this key looks for the message first',
      );
    } else await this.attempts.delete(key);
    return outcome.result;
  }

  private smsOf(m: AlertMessage): OutgoingSms {
    if (m.recipient.kind !== 'phone') throw new Error('unreachable: checked by checkAlertMessage');
    const body = renderTemplateText(this.texts[m.templateId] ?? '', m.parameters);
    let statusCallback: string | undefined;
    if (this.statusCallback !== undefined) {
      const url = new URL(this.statusCallback);
      url.searchParams.set('key', m.idempotencyKey);
      statusCallback = url.toString();
    }
    return {
      to: m.recipient.e164,
      sender: this.sender,
      body,
      ...(statusCallback === undefined ? {} : { statusCallback }),
    };
  }

  private create(sms: OutgoingSms) {
    return exchange(
      `${this.baseUrl}${messagesPath(this.accountSid)}`,
      {
        method: 'POST',
        headers: { ...this.headers(), 'content-type': 'application/x-www-form-urlencoded' },
        body: createMessageForm(sms).toString(),
      },
      this.timeoutMs,
    );
  }

  /** Looks through Twilio's list for the message an unanswered attempt may have made. */
  private async search(attempt: UnsettledAttempt): Promise<Search> {
    const { sms } = attempt;
    const query = messageListQuery({
      to: sms.to,
      ...('from' in sms.sender ? { from: sms.sender.from } : {}),
      sentOnOrAfter: attempt.startedAt - this.toleranceMs,
      pageSize: LIST_PAGE_SIZE,
    });
    let path: string | null = `${messagesPath(this.accountSid)}?${query}`;
    for (let n = 0; path !== null && n < LIST_MAX_PAGES; n++) {
      const x = await exchange(
        `${this.baseUrl}${path}`,
        { headers: this.headers() },
        this.timeoutMs,
      );
      const listed = outcomeOfList(x, this.now());
      if (listed.kind === 'failed') return listed;
      const found = findAttemptMessage(listed.page.messages, attempt, this.toleranceMs);
      if (found) return { kind: 'found', sid: found.sid };
      path = listed.page.next_page_uri;
    }
    return { kind: 'none' };
  }

  private headers(): Record<string, string> {
    return { authorization: this.#authorization, accept: 'application/json' };
  }
}

function checkOptions(o: TwilioSmsChannelOptions): void {
  const problem = (() => {
    if (typeof o.accountSid !== 'string' || !SID.account.test(o.accountSid))
      return 'accountSid must be AC and 32 hex digits';
    if (typeof o.authToken !== 'string' || o.authToken === '') return 'authToken must not be empty';
    if ((o.from === undefined) === (o.messagingServiceSid === undefined))
      return 'give one sender: from or messagingServiceSid';
    if (o.from !== undefined && (typeof o.from !== 'string' || o.from.trim() === ''))
      return 'from must not be empty';
    if (o.messagingServiceSid !== undefined && !SID.messagingService.test(o.messagingServiceSid))
      return 'messagingServiceSid must be MG and 32 hex digits';
    if (o.timeoutMs !== undefined && !(o.timeoutMs > 0)) return 'timeoutMs must be above 0';
    if (o.statusCallback !== undefined && !URL.canParse(o.statusCallback))
      return 'statusCallback must be a URL';
    return undefined;
  })();
  if (problem) throw new Error(`twilio-sms options: ${problem}`);
}
