import { AlertChannelClosedError } from '../../errors.js';
import type { AlertChannel, DeliveryResult } from '../alert-channel.js';
import {
  type AlertMessage,
  type AlertTemplate,
  checkAlertMessage,
  type RecipientKind,
} from '../alert-message.js';
import { IdempotencyWindow } from '../idempotency-window.js';
import type { WeChatClient } from './wechat-client.js';
import { templateSendRequest } from './wechat-requests.js';

export interface WeChatTemplateChannelOptions {
  /** The Official Account's client (it holds the credentials and the access token). */
  client: WeChatClient;
  /** The account's templates, with their data keys, as registered with WeChat. */
  templates: readonly AlertTemplate[];
  /** How many delivered keys it remembers to answer repeats as duplicates (default 10,000). */
  rememberedKeys?: number;
}

/**
 * Alert messages as WeChat template messages to the people following the Official Account.
 *
 * A key is pushed at most once: keys delivered lately are answered from the IdempotencyWindow
 * without asking WeChat, and every push carries the key as `client_msg_id`. WeChat has no API
 * to look a template message up, so after a lost answer (TIMED_OUT) the send of the same key
 * again is the reconciliation: WeChat sends one message per openid + client_msg_id within 10
 * minutes and answers the resend as a success, so the push that may have gone out is not
 * repeated. Past those 10 minutes WeChat no longer promises that: a resend may push a second
 * copy, and nothing can tell (the msgid that would match WeChat's delivery event was in the
 * lost answer). The notifier therefore retries a timed-out key within minutes; a person who
 * gets a crash alert twice is better off than one who gets none.
 */
export class WeChatTemplateChannel implements AlertChannel {
  readonly kind = 'wechat-template';
  readonly recipientKinds: readonly RecipientKind[] = ['wechat'];
  readonly templates: readonly AlertTemplate[];
  private readonly client: WeChatClient;
  private readonly window: IdempotencyWindow;
  private closed = false;

  constructor(o: WeChatTemplateChannelOptions) {
    this.client = o.client;
    this.templates = o.templates;
    this.window = new IdempotencyWindow(o.rememberedKeys);
  }

  async send(message: AlertMessage): Promise<DeliveryResult> {
    if (this.closed) throw new AlertChannelClosedError(this.kind);
    checkAlertMessage(message, this);
    return this.window.once(message.idempotencyKey, () =>
      this.client.sendTemplateMessage(templateSendRequest(message)),
    );
  }

  /** The client holds no connections of its own (fetch pools them): nothing else to let go. */
  async close(): Promise<void> {
    this.closed = true;
  }
}
