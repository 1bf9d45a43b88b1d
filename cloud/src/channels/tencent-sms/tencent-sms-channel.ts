import type { Logger } from '@fleetline/platform';
import { AlertChannelClosedError } from '../../errors.js';
import {
  type AlertChannel,
  type DeliveryFailure,
  type DeliveryResult,
  delivered,
} from '../alert-channel.js';
import {
  type AlertMessage,
  type AlertTemplate,
  checkAlertMessage,
  type RecipientKind,
} from '../alert-message.js';
import { maskedAddress } from '../console-channel.js';
import { IdempotencyWindow } from '../idempotency-window.js';
import {
  type InDoubtSend,
  type InDoubtSendStore,
  MemoryInDoubtSendStore,
} from './in-doubt-sends.js';
import {
  reportOfPush,
  type SendOutcome,
  sendSmsOutcome,
  statusPullOutcome,
} from './sms-answers.js';
import { SmsActions, sendSmsRequest, smsProductionUrl, statusPullRequest } from './sms-wire.js';
import { TencentCloudApi } from './tencent-cloud-api.js';

export interface TencentSmsChannelOptions {
  /** The API key pair (SecretId, SecretKey) of the account or a sub-account allowed SMS. */
  readonly secretId: string;
  readonly secretKey: string;
  /** The SMS application's SdkAppId, such as `1400006666`. */
  readonly smsSdkAppId: string;
  /** The approved signature (签名) every message carries, such as `腾讯云`. */
  readonly signName: string;
  /** X-TC-Region, such as `ap-guangzhou`. */
  readonly region: string;
  /** The approved templates: their Tencent TemplateId and their variables in order. */
  readonly templates: readonly AlertTemplate[];
  /** Default https://sms.tencentcloudapi.com; the host is signed, so it must be the real one. */
  readonly baseUrl?: string;
  /** How long a call may take before its outcome counts as unknown (default 10 s). */
  readonly timeoutMs?: number;
  /** Where keys in doubt are kept (default: in memory); the outbox will pass its own. */
  readonly inDoubtSends?: InDoubtSendStore;
  /** How many delivered keys it remembers to answer repeats as duplicates (default 10,000). */
  readonly rememberedKeys?: number;
  readonly logger?: Logger;
  /** Epoch milliseconds; signatures are stamped with it (default Date.now). */
  readonly clock?: () => number;
}

/** What looking for an in-doubt push in the status reports came to. */
type Search =
  | { readonly kind: 'found'; readonly serialNo: string }
  | { readonly kind: 'absent' }
  | { readonly kind: 'failed'; readonly failure: DeliveryFailure };

/**
 * Alert messages as Tencent Cloud SMS (SendSms, version 2021-01-11), one number per request,
 * the idempotency key as SessionContext. Tencent echoes SessionContext but does not
 * de-duplicate by it, so a key whose push went unanswered is first looked for in the number's
 * status reports (PullSmsSendStatusByPhoneNumber) and pushed again only if it is not there.
 */
export class TencentSmsAlertChannel implements AlertChannel {
  readonly kind = 'tencent-sms';
  readonly recipientKinds: readonly RecipientKind[] = ['phone'];
  readonly templates: readonly AlertTemplate[];
  private readonly api: TencentCloudApi;
  private readonly window: IdempotencyWindow;
  private readonly inDoubt: InDoubtSendStore;
  private readonly clock: () => number;
  private readonly sender: { readonly smsSdkAppId: string; readonly signName: string };
  private readonly log: Logger | undefined;
  private closed = false;

  constructor(o: TencentSmsChannelOptions) {
    for (const name of ['secretId', 'secretKey', 'smsSdkAppId', 'signName', 'region'] as const)
      if (typeof o[name] !== 'string' || o[name].trim() === '')
        throw new TypeError(`tencent-sms channel: option ${name} must not be empty`);
    this.templates = o.templates;
    this.clock = o.clock ?? Date.now;
    this.sender = { smsSdkAppId: o.smsSdkAppId, signName: o.signName };
    this.api = new TencentCloudApi({
      credentials: { secretId: o.secretId, secretKey: o.secretKey },
      region: o.region,
      baseUrl: o.baseUrl ?? smsProductionUrl,
      timeoutMs: o.timeoutMs ?? 10_000,
      clock: this.clock,
    });
    this.window = new IdempotencyWindow(o.rememberedKeys);
    this.inDoubt = o.inDoubtSends ?? new MemoryInDoubtSendStore();
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
    const earlier = await this.inDoubt.get(key);
    if (earlier) {
      const search = await this.search(key, earlier);
      if (search.kind === 'found') {
        await this.inDoubt.delete(key);
        this.log?.info({ alertId: m.alertId, idempotencyKey: key }, 'alert push found');
        return delivered(search.serialNo, true);
      }
      // Not knowing is not a reason to push: the notifier retries, and the search with it.
      if (search.kind === 'failed') return this.failed(m, search.failure);
    }
    const startedAt = this.clock();
    const outcome = await this.push(m);
    if (outcome.result.outcome === 'delivered') {
      await this.inDoubt.delete(key);
      return outcome.result;
    }
    // The first unanswered push stays the one searched from, whatever happened since.
    if (outcome.inDoubt && !earlier)
      await this.inDoubt.put(key, { phoneNumber: phoneOf(m), since: startedAt });
    return this.failed(m, outcome.result);
  }

  private async push(m: AlertMessage): Promise<SendOutcome> {
    const template = this.templates.find((t) => t.id === m.templateId);
    if (!template) throw new TypeError(`unknown template ${m.templateId}`); // checked before
    const exchange = await this.api.call(
      SmsActions.sendSms,
      sendSmsRequest(m, template, this.sender),
    );
    return sendSmsOutcome(exchange, phoneOf(m), this.clock());
  }

  private async search(key: string, push: InDoubtSend): Promise<Search> {
    const request = statusPullRequest(push, this.sender.smsSdkAppId, this.clock());
    const exchange = await this.api.call(SmsActions.pullSmsSendStatusByPhoneNumber, request);
    const outcome = statusPullOutcome(exchange, this.clock());
    if (outcome.kind === 'failed') return outcome;
    const report = reportOfPush(outcome.records, key);
    return report ? { kind: 'found', serialNo: report.SerialNo } : { kind: 'absent' };
  }

  private failed(m: AlertMessage, failure: DeliveryFailure): DeliveryFailure {
    this.log?.warn(
      {
        alertId: m.alertId,
        idempotencyKey: m.idempotencyKey,
        to: maskedAddress(m.recipient),
        code: failure.code,
        vendorCode: failure.vendorCode,
        vendorMessage: failure.vendorMessage,
      },
      'alert push failed',
    );
    return failure;
  }
}

function phoneOf(m: AlertMessage): string {
  if (m.recipient.kind !== 'phone') throw new TypeError('tencent-sms sends to phone numbers');
  return m.recipient.e164;
}
