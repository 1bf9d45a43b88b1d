import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { type FakeAnswer, ok, vendorError } from './fake-answers.js';
import { gatewayRefusal, TIMESTAMP_TOLERANCE_MS } from './fake-gateway-checks.js';
import { FakeSendLog, type FakeSmsRecord, type NumberLimits } from './fake-send-log.js';
import { type FakeAccount, type FakeTemplate, readSendSms } from './fake-send-sms.js';
import { xmlAnswer } from './fake-xml.js';

export interface FakeAliyunSmsOptions {
  /** AccessKeyId → AccessKeySecret of the accounts it takes calls from. */
  readonly accessKeys: Readonly<Record<string, string>>;
  /** The approved signature names. */
  readonly signNames: readonly string[];
  /** The approved templates. */
  readonly templates: readonly FakeTemplate[];
  /** Per-number flow control (off unless given; see verificationCodeLimits). */
  readonly perNumberLimits?: NumberLimits;
  /** Holds every answer this long (default 0). */
  readonly answerDelayMs?: number;
  /** Default 0: a free port. */
  readonly port?: number;
  readonly host?: string;
  readonly now?: () => number;
}

type FakeAction = 'SendSms' | 'QuerySendDetails';
/** An answer to give instead of the action's own: a vendor answer, or a bare HTTP error. */
type Injected = { readonly action: FakeAction; readonly answer: FakeAnswer | number };

/** The most a request body may be (a SendSms to 1,000 numbers fits well within it). */
const MAX_BODY_BYTES = 1 << 20;

/**
 * A contract-true stand-in for Aliyun's dysmsapi (SendSms and QuerySendDetails, version
 * 2017-05-25) on a local port, for tests and the demo. It checks what Aliyun checks — the
 * signature, common parameters, timestamp, nonce, AccessKeyId, numbers, signature name,
 * template and its variables — and refuses as Aliyun does; it records every message it
 * accepts and answers QuerySendDetails from those records. Tests can fail the next call with
 * a named vendor code, delay answers, and lose the next SendSms' answer (the message is
 * recorded, the answer never sent).
 */
export class FakeAliyunSmsServer {
  private readonly log: FakeSendLog;
  private readonly account: FakeAccount;
  private readonly accessKeys: ReadonlyMap<string, string>;
  private readonly nonces = new Map<string, number>();
  private readonly injected: Injected[] = [];
  private readonly received: Readonly<Record<string, string>>[] = [];
  private readonly now: () => number;
  private delayMs: number;
  private losingNext = false;

  private constructor(
    private readonly server: Server,
    o: FakeAliyunSmsOptions,
  ) {
    this.log = new FakeSendLog(o.perNumberLimits);
    this.account = {
      signNames: new Set(o.signNames),
      templates: new Map(o.templates.map((t) => [t.code, t])),
    };
    this.accessKeys = new Map(Object.entries(o.accessKeys));
    this.now = o.now ?? Date.now;
    this.delayMs = o.answerDelayMs ?? 0;
  }

  static async start(o: FakeAliyunSmsOptions): Promise<FakeAliyunSmsServer> {
    const server = createServer();
    const fake = new FakeAliyunSmsServer(server, o);
    server.on('request', (req, res) => void fake.handle(req, res));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(o.port ?? 0, o.host ?? '127.0.0.1', () => resolve());
    });
    return fake;
  }

  /** The endpoint to point a client at (the `/` path, as dysmsapi's). */
  get url(): string {
    const { address, port } = this.server.address() as AddressInfo;
    const host = address.includes(':') ? `[${address}]` : address;
    return `http://${host}:${port}/`;
  }

  /** Every message accepted, one record per number, oldest first. */
  sent(): readonly FakeSmsRecord[] {
    return this.log.all().map((r) => ({ ...r }));
  }

  /** The carrier's receipt for the messages of an OutId; how many records it settled. */
  settle(
    outId: string,
    outcome: 'delivered' | 'failed',
    errCode = 'MOBILE_NOT_ON_SERVICE',
  ): number {
    return this.log.settle(outId, outcome, errCode, this.now());
  }

  /** Answers the next call of `action` with Aliyun's answer for `code` (its own message). */
  failNext(code: string, action: FakeAction = 'SendSms', message?: string): void {
    this.injected.push({ action, answer: vendorError(code, message) });
  }

  /** Answers the next call of `action` with a bare HTTP error, as a proxy in front would. */
  failNextWithStatus(status: number, action: FakeAction = 'SendSms'): void {
    this.injected.push({ action, answer: status });
  }

  /** Takes the next SendSms that passes its checks, records it, and never answers it. */
  loseNextAnswer(): void {
    this.losingNext = true;
  }

  /** Holds every answer from now on this long (0: none). */
  delayAnswers(ms: number): void {
    this.delayMs = ms;
  }

  /** Stops listening and drops open connections, unanswered ones included. */
  async close(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeAllConnections();
    await closed;
  }

  /** Every call that reached it, refused or not, oldest first: its parameters as sent. */
  calls(): readonly Readonly<Record<string, string>>[] {
    return [...this.received];
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let params: Record<string, string> = {};
    try {
      params = requestParams(req, await readBody(req));
      this.received.push(params);
      const answer = this.answer(
        req.method ?? '',
        new URL(req.url ?? '/', 'http://fake.invalid'),
        params,
      );
      if (this.delayMs > 0) await sleep(this.delayMs);
      if (answer === 'lost') return; // the socket stays open until the client gives up
      writeAnswer(res, answer, params);
    } catch {
      if (!res.headersSent && !res.destroyed)
        writeAnswer(res, vendorError('InternalError'), params);
    }
  }

  private answer(
    method: string,
    url: URL,
    params: Readonly<Record<string, string>>,
  ): FakeAnswer | number | 'lost' {
    if (method !== 'GET' && method !== 'POST') return vendorError('UnsupportedHTTPMethod');
    if (url.pathname !== '/') return vendorError('InvalidApi.NotFound');
    const refusal = gatewayRefusal(params, {
      method,
      accessKeys: this.accessKeys,
      nowMs: this.now(),
      nonceUsed: (nonce) => this.nonceUsed(nonce),
    });
    if (refusal) return refusal;
    const action = params.Action as FakeAction;
    const injected = this.injected.findIndex((i) => i.action === action);
    if (injected >= 0) return this.injected.splice(injected, 1)[0]?.answer ?? 500;
    if (action === 'QuerySendDetails') return this.log.query(params, this.now());
    return this.sendSms(params);
  }

  private sendSms(params: Record<string, string>): FakeAnswer | 'lost' {
    const read = readSendSms(params, this.account);
    if (!read.ok) return read.refusal;
    const request = read.value;
    const limited = this.log.limitRefusal(request, this.now());
    if (limited) return limited;
    const bizId = this.log.record(request, this.now());
    if (this.losingNext) {
      this.losingNext = false;
      return 'lost';
    }
    return ok({ BizId: bizId });
  }

  /** Remembers nonces as long as a request carrying one could still pass the time check. */
  private nonceUsed(nonce: string): boolean {
    const now = this.now();
    for (const [n, seenAt] of this.nonces)
      if (now - seenAt > 2 * TIMESTAMP_TOLERANCE_MS) this.nonces.delete(n);
    if (this.nonces.has(nonce)) return true;
    this.nonces.set(nonce, now);
    return false;
  }
}

/** The call's parameters: the query's, and a POST's form body's. */
function requestParams(req: IncomingMessage, body: string): Record<string, string> {
  const params = Object.fromEntries(new URL(req.url ?? '/', 'http://fake.invalid').searchParams);
  const form = (req.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded');
  if (req.method === 'POST' && form)
    Object.assign(params, Object.fromEntries(new URLSearchParams(body)));
  return params;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new Error('request body too large');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** The answer in the Format the call asked for (XML when it named none, as Aliyun does). */
function writeAnswer(
  res: ServerResponse,
  answer: FakeAnswer | number,
  params: Readonly<Record<string, string>>,
): void {
  if (res.destroyed) return;
  if (typeof answer === 'number') {
    res.writeHead(answer, { 'content-type': 'text/html' });
    res.end(`<html><body><h1>${answer}</h1></body></html>`);
  } else if (params.Format === 'JSON') {
    res.writeHead(answer.status, { 'content-type': 'application/json;charset=utf-8' });
    res.end(JSON.stringify(answer.body));
  } else {
    res.writeHead(answer.status, { 'content-type': 'text/xml;charset=utf-8' });
    res.end(xmlAnswer(params.Action ?? 'Unknown', answer.status, answer.body));
  }
}
