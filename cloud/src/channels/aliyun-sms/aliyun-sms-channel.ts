import type { Logger } from '@fleetline/platform';
import { AlertChannelClosedError, AlertMessageError } from '../../errors.js';
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
import { IdempotencyWindow } from '../idempotency-window.js';
import { aliyunNumber, maskedNumber } from './aliyun-phone.js';
import { AliyunRpcClient } from './aliyun-rpc-client.js';
import { shanghaiDatesBetween } from './aliyun-time.js';
import {
  type AttemptedSend,
  type AttemptedSends,
  InMemoryAttemptedSends,
  withDates,
} from './attempted-sends.js';
import { findEarlierPush } from './earlier-push.js';
import { readSendSms } from './sms-answers.js';
import { sendSmsParams } from './sms-requests.js';

/** dysmsapi's endpoint; its RPC calls are region-independent. */
export const ALIYUN_SMS_URL = 'https://dysmsapi.aliyuncs.com/';

export interface AliyunSmsChannelOptions {
  readonly accessKeyId: string;
  /** Signs every call; never logged, never sent. */
  readonly accessKeySecret: string;
  /** The approved signature name (签名) every message goes out under. */
  readonly signName: string;
  /** The approved templates: `id` is the TemplateCode, `parameters` its variables. */
  readonly templates: readonly AlertTemplate[];
  /** Default `https://dysmsapi.aliyuncs.com/`; the fake server's URL in tests and the demo. */
  readonly baseUrl?: string;
  /** Default `cn-hangzhou`, as Aliyun's examples use. */
  readonly regionId?: string;
  /** How long a call may take before it counts as unanswered (default 5 s; Aliyun: ≥ 1 s). */
  readonly timeoutMs?: number;
  /** Keys whose push went unanswered (default: in memory). The outbox can carry them over. */
  readonly attemptedSends?: AttemptedSends;
  /** How many delivered keys it remembers to answer repeats as duplicates (default 10,000). */
  readonly rememberedKeys?: number;
  readonly logger?: Logger;
  readonly now?: () => number;
}

/**
 * The Aliyun SMS channel (dysmsapi SendSms): an alert message becomes one SMS from an
 * approved template to one phone number, its idempotency key the OutId. SendSms does not
 * de-duplicate, so a send whose answer never came leaves its key attempted, and the next send
 * of that key asks QuerySendDetails for a record with that OutId before pushing again.
 */
export class AliyunSmsChannel implements AlertChannel {
  readonly kind = 'aliyun-sms';
  readonly recipientKinds: readonly RecipientKind[] = ['phone'];
  readonly templates: readonly AlertTemplate[];
  private readonly client: AliyunRpcClient;
  private readonly window: IdempotencyWindow;
  private readonly attempts: AttemptedSends;
  private readonly signName: string;
  private readonly now: () => number;
  private readonly log: Logger | undefined;
  private closed = false;

  constructor(o: AliyunSmsChannelOptions) {
    this.templates = o.templates;
    this.signName = o.signName;
    this.now = o.now ?? Date.now;
    this.client = new AliyunRpcClient({
      baseUrl: o.baseUrl ?? ALIYUN_SMS_URL,
      accessKeyId: o.accessKeyId,
      accessKeySecret: o.accessKeySecret,
      regionId: o.regionId ?? 'cn-hangzhou',
      timeoutMs: o.timeoutMs ?? 5_000,
      now: this.now,
    });
    this.window = new IdempotencyWindow(o.rememberedKeys);
    this.attempts = o.attemptedSends ?? new InMemoryAttemptedSends();
    this.log = o.logger?.child({ component: 'alert-channel', channel: this.kind });
  }

  async send(message: AlertMessage): Promise<DeliveryResult> {
    if (this.closed) throw new AlertChannelClosedError(this.kind);
    checkAlertMessage(message, this);
    // checkAlertMessage has made sure of the phone recipient and the template.
    const e164 = message.recipient.kind === 'phone' ? message.recipient.e164 : '';
    const number = aliyunNumber(e164);
    if (!number.ok)
      throw new AlertMessageError(`${this.kind} alert message: ${number.problem}`, {
        channel: this.kind,
        alertId: message.alertId,
      });
    return this.window.once(message.idempotencyKey, () => this.deliver(message, number.number));
  }

  async close(): Promise<void> {
    this.closed = true;
    this.client.close();
  }

  private async deliver(m: AlertMessage, phoneNumber: string): Promise<DeliveryResult> {
    const key = m.idempotencyKey;
    let attempt: AttemptedSend | undefined;
    try {
      attempt = await this.attempts.get(key);
    } catch (err) {
      return attemptStoreFailure(err);
    }
    if (attempt) {
      const earlier = await findEarlierPush((p) => this.client.call(p), key, attempt, this.now);
      this.log?.info(
        {
          idempotencyKey: key,
          alertId: m.alertId,
          to: maskedNumber(phoneNumber),
          earlier: earlier.kind,
        },
        'aliyun-sms reconciled an unanswered push',
      );
      if (earlier.kind === 'unknown') return earlier.failure;
      if (earlier.kind === 'found') {
        await this.settled(() => this.attempts.delete(key));
        return delivered(earlier.messageId, true);
      }
    }
    return this.push(m, phoneNumber, attempt);
  }

  /** One SendSms, its key recorded as attempted until Aliyun's answer settles it. */
  private async push(
    m: AlertMessage,
    phoneNumber: string,
    earlier: AttemptedSend | undefined,
  ): Promise<DeliveryResult> {
    const key = m.idempotencyKey;
    const template = this.templates.find((t) => t.id === m.templateId);
    if (!template) throw new Error(`unreachable: template ${m.templateId} was checked`);
    const started = this.now();
    const attempt = {
      phoneNumber,
      sendDates: withDates(earlier, shanghaiDatesBetween(started, started)),
    };
    try {
      await this.attempts.put(key, attempt);
    } catch (err) {
      return attemptStoreFailure(err);
    }
    const outcome = await this.client.call(sendSmsParams(m, template, phoneNumber, this.signName));
    const ended = this.now();
    const verdict = readSendSms(outcome, ended);
    if (verdict.push === 'unknown') {
      // A push sent just before Shanghai's midnight can be filed under the next day.
      const sendDates = withDates(attempt, shanghaiDatesBetween(started, ended));
      await this.settled(() => this.attempts.put(key, { phoneNumber, sendDates }));
    } else await this.settled(() => this.attempts.delete(key));
    if (verdict.result.outcome === 'failed')
      this.log?.warn(
        {
          idempotencyKey: key,
          alertId: m.alertId,
          to: maskedNumber(phoneNumber),
          code: verdict.result.code,
          vendorCode: verdict.result.vendorCode,
          vendorMessage: verdict.result.vendorMessage,
        },
        'aliyun-sms push failed',
      );
    return verdict.result;
  }

  /**
   * Updates the attempt after Aliyun answered. The answer stands whatever the store does: a
   * failed update leaves at worst an attempt to reconcile, which asks once and finds the push.
   */
  private async settled(update: () => Promise<void>): Promise<void> {
    try {
      await update();
    } catch (err) {
      this.log?.error({ err }, 'aliyun-sms could not update an attempted send');
    }
  }
}

/** A send refused because the attempt could not be recorded first: nothing was pushed. */
function attemptStoreFailure(err: unknown): DeliveryResult {
  const e = err as { name?: string; message?: string };
  return deliveryFailed(DeliveryFailureCodes.vendorUnavailable, {
    code: e.name ?? 'Error',
    message: `the attempted-sends store failed, nothing was sent: ${e.message ?? String(err)}`,
  });
}
