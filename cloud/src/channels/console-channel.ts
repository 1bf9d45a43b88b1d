import { randomUUID } from 'node:crypto';
import type { Logger } from '@fleetline/platform';
import { AlertChannelClosedError } from '../errors.js';
import {
  type AlertChannel,
  DeliveryFailureCodes,
  type DeliveryResult,
  delivered,
  deliveryFailed,
} from './alert-channel.js';
import {
  type AlertMessage,
  type AlertTemplate,
  checkAlertMessage,
  type Recipient,
  type RecipientKind,
} from './alert-message.js';
import { IdempotencyWindow } from './idempotency-window.js';

export interface ConsoleAlertChannelOptions {
  logger: Logger;
  /** The templates it accepts: those of the channels it stands in for. */
  templates: readonly AlertTemplate[];
  /** How many delivered keys it remembers to answer repeats as duplicates (default 10,000). */
  rememberedKeys?: number;
}

/**
 * The console channel: each alert message becomes one structured log line (`alert push`),
 * with the same checks and idempotency as a vendor's channel. It is the notifier's channel in
 * the all-in-one process, beside any configured one, so a newcomer sees what would be pushed.
 * A log write that throws (its stream is gone) is the console's vendor being down: a
 * VENDOR_UNAVAILABLE result, as an outage of a vendor would be.
 */
export class ConsoleAlertChannel implements AlertChannel {
  readonly kind = 'console';
  readonly recipientKinds: readonly RecipientKind[] = ['wechat', 'phone'];
  readonly templates: readonly AlertTemplate[];
  private readonly log: Logger;
  private readonly window: IdempotencyWindow;
  private closed = false;

  constructor(o: ConsoleAlertChannelOptions) {
    this.templates = o.templates;
    this.log = o.logger.child({ component: 'alert-channel', channel: this.kind });
    this.window = new IdempotencyWindow(o.rememberedKeys);
  }

  async send(message: AlertMessage): Promise<DeliveryResult> {
    if (this.closed) throw new AlertChannelClosedError(this.kind);
    checkAlertMessage(message, this);
    return this.window.once(message.idempotencyKey, async () => this.write(message));
  }

  async close(): Promise<void> {
    this.closed = true;
  }

  private write(m: AlertMessage): DeliveryResult {
    const messageId = randomUUID();
    try {
      this.log.info(
        {
          messageId,
          alertId: m.alertId,
          idempotencyKey: m.idempotencyKey,
          to: maskedAddress(m.recipient),
          templateId: m.templateId,
          parameters: m.parameters,
          ...(m.link === undefined ? {} : { link: m.link }),
        },
        'alert push',
      );
    } catch (err) {
      const e = err as NodeJS.ErrnoException;
      return deliveryFailed(DeliveryFailureCodes.vendorUnavailable, {
        code: e.code ?? e.name ?? 'Error',
        message: e.message ?? String(err),
      });
    }
    return delivered(messageId);
  }
}

/**
 * The recipient as the log shows it: enough to tell people apart, not the whole address (a
 * phone number or openid is personal data, and logs travel further than the outbox).
 */
export function maskedAddress(r: Recipient): string {
  switch (r.kind) {
    case 'phone':
      return `phone:…${r.e164.slice(-4)}`;
    case 'wechat':
      return `wechat:${r.openid.slice(0, 6)}…`;
    case 'wecom-group':
      // The robot's key is a credential: whoever has it can post into the group.
      return `wecom-group:${r.key.slice(0, 4)}…`;
  }
}
