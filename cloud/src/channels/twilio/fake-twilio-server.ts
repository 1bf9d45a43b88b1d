import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  authorized,
  checkCreate,
  type ErrorAnswer,
  errorAnswer,
  type FakeAccount,
  type FakeSms,
  listPage,
  messageResource,
  type TwilioErrorCode,
} from './fake-twilio-rules.js';

export interface FakeTwilioServerOptions {
  /** Default: a fresh `AC…` SID. */
  accountSid?: string;
  /** Default: a fresh random token. */
  authToken?: string;
  /** The numbers the account owns, the only ones it sends from (default `+15005550006`). */
  numbers?: readonly string[];
  messagingServiceSids?: readonly string[];
  /** Numbers that replied STOP (error 21610); optOut() adds more. */
  optedOut?: readonly string[];
  /** Twilio limits concurrent requests per account: past this many at once, 20429. */
  maxConcurrentRequests?: number;
  now?: () => number;
  host?: string;
  /** Default 0: any free port. */
  port?: number;
}

type Lost = 'hang' | 'reset';
type RequestKind = 'create' | 'list';

const MESSAGES_PATH = /^\/2010-04-01\/Accounts\/([^/]+)\/Messages\.json$/;
const MAX_BODY_BYTES = 64 * 1024;

/**
 * A contract-true fake of Twilio's Messages API for tests and the demo: it checks basic auth,
 * the create form (To, From / MessagingServiceSid, Body) as Twilio does and answers Twilio's
 * errors with their status and JSON body, records each message it accepts (sid `SM` + 32 hex),
 * and lists them with Twilio's filters and paging. Controls: fail the next request with a
 * Twilio error, delay answers, lose the next answer (accept the message, then never answer or
 * drop the connection), opt numbers out; and a concurrency limit like Twilio's.
 */
export class FakeTwilioServer {
  readonly accountSid: string;
  readonly authToken: string;
  private readonly account: FakeAccount;
  private readonly optedOut: Set<string>;
  private readonly accepted: FakeSms[] = [];
  private readonly failures: { code: TwilioErrorCode; on: RequestKind }[] = [];
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly now: () => number;
  private readonly maxConcurrent: number;
  private lost: Lost | undefined;
  private delayMs = 0;
  private inFlight = 0;
  private closing: Promise<void> | undefined;

  private constructor(
    private readonly server: Server,
    o: FakeTwilioServerOptions,
  ) {
    this.accountSid = o.accountSid ?? `AC${randomBytes(16).toString('hex')}`;
    this.authToken = o.authToken ?? randomBytes(16).toString('hex');
    this.optedOut = new Set(o.optedOut ?? []);
    this.account = {
      accountSid: this.accountSid,
      authToken: this.authToken,
      numbers: new Set(o.numbers ?? ['+15005550006']),
      messagingServiceSids: new Set(o.messagingServiceSids ?? []),
      optedOut: this.optedOut,
    };
    this.now = o.now ?? Date.now;
    this.maxConcurrent = o.maxConcurrentRequests ?? Number.POSITIVE_INFINITY;
    server.on('request', (req, res) => void this.handle(req, res));
  }

  static async start(o: FakeTwilioServerOptions = {}): Promise<FakeTwilioServer> {
    const server = createServer();
    const fake = new FakeTwilioServer(server, o);
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(o.port ?? 0, o.host ?? '127.0.0.1', () => resolve());
    });
    return fake;
  }

  /** Base URL, e.g. `http://127.0.0.1:41234`: the adapter's `baseUrl`. */
  get url(): string {
    const { address, port } = this.server.address() as AddressInfo;
    return `http://${address.includes(':') ? `[${address}]` : address}:${port}`;
  }

  /** Every message it accepted, in order, including those whose answer it lost. */
  get messages(): readonly FakeSms[] {
    return [...this.accepted];
  }

  /** The next create (or list) request gets this Twilio error instead, and nothing is sent. */
  failNext(code: TwilioErrorCode, on: RequestKind = 'create'): void {
    this.failures.push({ code, on });
  }

  /** Holds every answer this long from now on (0 to stop). */
  delayAnswers(ms: number): void {
    this.delayMs = ms;
  }

  /** Takes the next message, then never answers (`hang`) or drops the connection (`reset`). */
  loseNextAnswer(how: Lost = 'hang'): void {
    this.lost = how;
  }

  /** The number replies STOP: messages to it are refused with 21610 from now on. */
  optOut(e164: string): void {
    this.optedOut.add(e164);
  }

  /** Stops listening and drops open connections (answers held back or lost); idempotent. */
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
    this.inFlight++;
    res.once('close', () => this.inFlight--);
    const text = await readBody(req);
    const url = new URL(req.url ?? '/', 'http://fake');
    const pathSid = MESSAGES_PATH.exec(url.pathname)?.[1];
    if (pathSid === undefined) return this.answerError(res, errorAnswer(20404));
    if (!authorized(req.headers.authorization, decodeURIComponent(pathSid), this.account))
      return this.answerError(res, errorAnswer(20003));
    if (this.inFlight > this.maxConcurrent) return this.answerError(res, errorAnswer(20429));
    if (req.method === 'GET') return this.list(res, url.searchParams);
    if (req.method !== 'POST') return this.answerError(res, errorAnswer(20004));
    const form = isForm(req) ? new URLSearchParams(text) : new URLSearchParams();
    return this.create(res, form);
  }

  private async create(res: ServerResponse, form: URLSearchParams): Promise<void> {
    const failure = this.takeFailure('create');
    if (failure) return this.answerError(res, errorAnswer(failure));
    const checked = checkCreate(form, this.account);
    if ('status' in checked) return this.answerError(res, checked);
    const sms: FakeSms = {
      ...checked.sms,
      sid: `SM${randomBytes(16).toString('hex')}`,
      createdAt: this.now(),
    };
    this.accepted.push(sms);
    const lost = this.lost;
    this.lost = undefined;
    if (lost === 'hang') return; // the connection stays open until the client gives up
    if (lost === 'reset') {
      res.socket?.destroy();
      return;
    }
    await this.answer(res, 201, messageResource(sms, this.accountSid, false));
  }

  private async list(res: ServerResponse, query: URLSearchParams): Promise<void> {
    const failure = this.takeFailure('list');
    if (failure) return this.answerError(res, errorAnswer(failure));
    await this.answer(res, 200, listPage(this.accepted, query, this.accountSid));
  }

  private takeFailure(on: RequestKind): TwilioErrorCode | undefined {
    const i = this.failures.findIndex((f) => f.on === on);
    return i < 0 ? undefined : this.failures.splice(i, 1)[0]?.code;
  }

  private answerError(res: ServerResponse, e: ErrorAnswer): Promise<void> {
    return this.answer(res, e.status, e.body);
  }

  private async answer(res: ServerResponse, status: number, body: unknown): Promise<void> {
    if (this.delayMs > 0)
      await new Promise<void>((resolve) => {
        const t = setTimeout(() => {
          this.timers.delete(t);
          resolve();
        }, this.delayMs);
        this.timers.add(t);
      });
    if (res.destroyed) return;
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
    res.end(JSON.stringify(body));
  }
}

function isForm(req: IncomingMessage): boolean {
  return (req.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded');
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) break;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}
