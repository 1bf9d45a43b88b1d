import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AlertTemplate } from '../../alert-message.js';
import { type SendStatus, SmsActions } from '../sms-wire.js';
import {
  answerBody,
  failedStatus,
  perNumberCodes,
  type Refusal,
  refusal,
  refusalBody,
  serialNo,
} from './fake-answers.js';
import { authenticate, type Caller, type IncomingRequest } from './fake-auth.js';
import { checkSendSms, isMainland, type SendSmsCall, type SmsRegistry } from './fake-send-sms.js';
import { checkStatusPull, type FakeSmsRecord, reportsFor } from './fake-status-pull.js';

export interface FakeTencentSmsOptions {
  /** The API keys it knows: SecretId → SecretKey. */
  readonly accounts: readonly { readonly secretId: string; readonly secretKey: string }[];
  /** The SMS applications, each owned by the account of one SecretId. */
  readonly apps: readonly { readonly smsSdkAppId: string; readonly secretId: string }[];
  /** Approved signatures (签名). */
  readonly signNames: readonly string[];
  /** Approved templates: the TemplateId and its variables (only their number is checked). */
  readonly templates: readonly AlertTemplate[];
  /** Regions it answers for (default the mainland ones: ap-beijing, ap-guangzhou, ap-nanjing). */
  readonly regions?: readonly string[];
  readonly port?: number;
  readonly host?: string;
  /**
   * Tencent's 30-second limit per number, as set in the console (its default policy is one
   * message): further pushes to the number within 30 s get
   * LimitExceeded.PhoneNumberThirtySecondLimit. Off when absent.
   */
  readonly thirtySecondLimit?: number;
  /** How long after a push its carrier receipt, and so its status report, arrives (default 0). */
  readonly receiptDelayMs?: number;
  /** Server time, epoch milliseconds (default Date.now). */
  readonly clock?: () => number;
}

type InjectedFailure = { readonly refusal: Refusal } | { readonly httpStatus: number };

/**
 * A contract-true stand-in for Tencent Cloud SMS (API 3.0, version 2021-01-11): SendSms and
 * PullSmsSendStatusByPhoneNumber over node:http, with the vendor's checks (TC3 signature,
 * timestamp, SecretId, parameters, app, signature name, template and its variable count,
 * number format) and the vendor's answers (HTTP 200, `Response.Error` or per-number
 * `SendStatusSet`). It keeps every push it took; tests and the demo steer it: fail the next
 * push with a vendor code, delay answers, take a push and lose its answer, or lose the push.
 */
export class FakeTencentSmsServer {
  private readonly server: Server;
  private readonly keys: ReadonlyMap<string, string>;
  private readonly registry: SmsRegistry;
  private readonly regions: ReadonlySet<string>;
  private readonly clock: () => number;
  private readonly records: FakeSmsRecord[] = [];
  private readonly actionLog: string[] = [];
  private readonly timers = new Set<NodeJS.Timeout>();
  private nextFailure: InjectedFailure | undefined;
  private nextLoss: 'hang' | 'reset' | undefined;
  private swallowNext = false;
  private delayMs = 0;
  private closing: Promise<void> | undefined;

  constructor(private readonly o: FakeTencentSmsOptions) {
    this.keys = new Map(o.accounts.map((a) => [a.secretId, a.secretKey]));
    this.registry = {
      apps: new Map(o.apps.map((a) => [a.smsSdkAppId, a.secretId])),
      signNames: new Set(o.signNames),
      templates: new Map(o.templates.map((t) => [t.id, t.parameters.length])),
    };
    this.regions = new Set(o.regions ?? ['ap-beijing', 'ap-guangzhou', 'ap-nanjing']);
    this.clock = o.clock ?? Date.now;
    this.server = createServer((req, res) => {
      this.handle(req, res).catch(() => res.destroy());
    });
  }

  async listen(): Promise<this> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.o.port ?? 0, this.o.host ?? '127.0.0.1', () => resolve());
    });
    return this;
  }

  /** Where it listens: the channel's baseUrl. */
  get url(): string {
    const { address, port } = this.server.address() as AddressInfo;
    return `http://${address.includes(':') ? `[${address}]` : address}:${port}`;
  }

  /** Every push it took, in order, answered or not. */
  get sends(): readonly FakeSmsRecord[] {
    return this.records;
  }

  /** The action of every request that passed the signature check, in order. */
  get actions(): readonly string[] {
    return this.actionLog;
  }

  /** The next valid SendSms fails with this vendor code, where Tencent reports it. */
  failNextSend(code: string, message?: string): void {
    this.nextFailure = { refusal: refusal(code, message) };
  }

  /** The next valid SendSms gets this HTTP status from "a gateway", and no API answer. */
  failNextSendWithHttpStatus(status: number): void {
    this.nextFailure = { httpStatus: status };
  }

  /** The next valid SendSms is taken, and its answer never comes (`reset`: the socket drops). */
  loseNextAnswer(how: 'hang' | 'reset' = 'hang'): void {
    this.nextLoss = how;
  }

  /** The next SendSms never reaches Tencent: not taken, not answered. */
  swallowNextSend(): void {
    this.swallowNext = true;
  }

  /** Every answer from now on waits this long (0: none). */
  delayAnswers(ms: number): void {
    this.delayMs = ms;
  }

  /** Stops listening and drops every connection, held answers included; idempotent. */
  close(): Promise<void> {
    this.closing ??= new Promise<void>((resolve) => {
      for (const t of this.timers) clearTimeout(t);
      this.timers.clear();
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
    return this.closing;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await bodyOf(req);
    if (body === undefined)
      return this.answer(res, refusalBody(refusal('RequestSizeLimitExceeded')));
    const incoming: IncomingRequest = {
      method: req.method ?? '',
      headers: flatHeaders(req),
      body,
    };
    const caller = authenticate(incoming, {
      keys: this.keys,
      actions: new Set(Object.values(SmsActions)),
      regions: this.regions,
      now: this.clock(),
    });
    if ('code' in caller) return this.answer(res, refusalBody(caller));
    const params = jsonObjectOf(body);
    if (!params) return this.answer(res, refusalBody(refusal('FailedOperation.JsonParseFail')));
    this.actionLog.push(caller.action);
    if (caller.action === SmsActions.sendSms) return this.sendSms(caller, params, res);
    const pull = checkStatusPull(params, caller.secretId, this.registry, this.clock());
    if ('code' in pull) return this.answer(res, refusalBody(pull));
    const reports = reportsFor(this.records, pull, this.clock());
    this.answer(res, answerBody({ PullSmsSendStatusSet: reports }));
  }

  private sendSms(caller: Caller, params: Record<string, unknown>, res: ServerResponse): void {
    if (this.swallowNext) {
      this.swallowNext = false;
      return; // held open until the client gives up or the server closes
    }
    const call = checkSendSms(params, caller.secretId, this.registry);
    if ('code' in call) {
      this.answer(res, refusalBody(call));
      return;
    }
    const injected = this.nextFailure;
    this.nextFailure = undefined;
    if (injected && 'httpStatus' in injected) {
      res.writeHead(injected.httpStatus, { 'Content-Type': 'text/html' });
      res.end(`<html><body>${injected.httpStatus}</body></html>`);
      return;
    }
    if (injected && !perNumberCodes.has(injected.refusal.code)) {
      this.answer(res, refusalBody(injected.refusal));
      return;
    }
    const statuses = call.numbers.map((n) => this.statusFor(n, call, injected?.refusal));
    const loss = this.nextLoss;
    this.nextLoss = undefined;
    if (loss === 'reset') res.socket?.destroy();
    if (loss) return;
    this.answer(res, answerBody({ SendStatusSet: statuses }));
  }

  /** One number's entry: refused for itself, or taken and recorded. */
  private statusFor(
    n: SendSmsCall['numbers'][number],
    call: SendSmsCall,
    injected: Refusal | undefined,
  ): SendStatus {
    if (n.e164 === undefined)
      return failedStatus(n.given, refusal('InvalidParameterValue.IncorrectPhoneNumber'));
    if (call.templateParams.length !== call.parameterCount)
      return failedStatus(
        n.e164,
        refusal('FailedOperation.TemplateParamSetNotMatchApprovedTemplate'),
      );
    if (injected) return failedStatus(n.e164, injected);
    if (this.overThirtySecondLimit(n.e164))
      return failedStatus(n.e164, refusal('LimitExceeded.PhoneNumberThirtySecondLimit'));
    const now = this.clock();
    const record: FakeSmsRecord = {
      serialNo: serialNo(),
      phoneNumber: n.e164,
      smsSdkAppId: call.smsSdkAppId,
      signName: call.signName,
      templateId: call.templateId,
      templateParams: [...call.templateParams],
      sessionContext: call.sessionContext,
      sentAt: now,
      receiptAt: now + (this.o.receiptDelayMs ?? 0),
    };
    this.records.push(record);
    return {
      SerialNo: record.serialNo,
      PhoneNumber: n.e164,
      Fee: 1,
      SessionContext: call.sessionContext,
      Code: 'Ok',
      Message: 'send success',
      IsoCode: isMainland(n.e164) ? 'CN' : 'DEF',
    };
  }

  private overThirtySecondLimit(phoneNumber: string): boolean {
    const limit = this.o.thirtySecondLimit;
    if (limit === undefined) return false;
    const since = this.clock() - 30_000;
    const recent = this.records.filter((r) => r.phoneNumber === phoneNumber && r.sentAt > since);
    return recent.length >= limit;
  }

  /** Writes an API answer: HTTP 200 JSON, after the set delay. */
  private answer(res: ServerResponse, body: string): void {
    const write = () => {
      if (res.destroyed || res.writableEnded) return;
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(body);
    };
    if (this.delayMs <= 0) {
      write();
      return;
    }
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      write();
    }, this.delayMs);
    this.timers.add(timer);
  }
}

const maxBodyBytes = 1 << 20;

/** The request body, or undefined past the size the fake takes. */
async function bodyOf(req: IncomingMessage): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > maxBodyBytes) return undefined;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

function flatHeaders(req: IncomingMessage): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(req.headers))
    out[name] = Array.isArray(value) ? value.join(',') : value;
  return out;
}

function jsonObjectOf(body: Buffer): Record<string, unknown> | undefined {
  try {
    const parsed: unknown = JSON.parse(body.toString('utf8'));
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)
      ? (parsed as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}
