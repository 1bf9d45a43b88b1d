import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AlertTemplate } from '../../alert-message.js';
import { WeChatErrcodes, WeChatPaths } from '../wechat-api.js';
import { error, type FakeReply, replyText } from './fake-answers.js';
import { type CreatedQrCode, FakeQrCodes } from './fake-qrcodes.js';
import { type AcceptedPush, FakeTemplateSender } from './fake-template-sends.js';
import { FakeTokenIssuer } from './fake-tokens.js';

export interface FakeWeChatServerOptions {
  /** The account's AppID and AppSecret (defaults: a made-up pair, for demos). */
  appId?: string;
  appSecret?: string;
  /** IP addresses allowed to ask for a token (WeChat's whitelist); any when not given. */
  ipWhitelist?: readonly string[];
  /** Openids following the account. */
  followers?: readonly string[];
  /** Templates registered with the account: their parameters are the data keys. */
  templates?: readonly AlertTemplate[];
  /** A token's lifetime (default 7,200 s, as WeChat's). */
  tokenTtlSeconds?: number;
  /** How long before expiry a token request gets a new token (default 300 s, as WeChat). */
  tokenRenewWindowSeconds?: number;
  /** How long a client_msg_id is remembered (default 10 minutes, as WeChat). */
  dedupeWindowMs?: number;
  /** Template messages a day and a minute; no limit when not given. */
  dailySendQuota?: number;
  perMinuteSendQuota?: number;
  /** The clock, epoch milliseconds (tests move it to expire tokens and quotas). */
  now?: () => number;
  host?: string;
  /** Default 0: any free port. */
  port?: number;
}

/** What a test can make the next template send meet. */
type Failure = { readonly errcode: number } | { readonly httpStatus: number };

const MAX_BODY_BYTES = 1 << 20;

/**
 * A stand-in for WeChat's API server (api.weixin.qq.com) for tests and the demo: tokens from
 * stable_token, template messages, temporary QR codes. It checks what WeChat checks and
 * answers as WeChat does (see the Fake* parts), records what it took, and has controls to fail
 * the next send, delay answers, lose an answer and revoke the token.
 */
export class FakeWeChatServer {
  readonly appId: string;
  readonly appSecret: string;
  private readonly tokens: FakeTokenIssuer;
  private readonly sender: FakeTemplateSender;
  private readonly qr: FakeQrCodes;
  private readonly sendFailures: Failure[] = [];
  private readonly tokenFailures: number[] = [];
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly answeredErrcodes: number[] = [];
  private tokenRequests = 0;
  private losing: 'hang' | 'reset' | undefined;
  private delayMs = 0;
  private closing: Promise<void> | undefined;

  private constructor(
    private readonly server: Server,
    o: FakeWeChatServerOptions,
  ) {
    const now = o.now ?? Date.now;
    this.appId = o.appId ?? 'wx5f1ee71e0000demo';
    this.appSecret = o.appSecret ?? 'fleetline-demo-app-secret-0000000';
    this.tokens = new FakeTokenIssuer(
      { appId: this.appId, appSecret: this.appSecret, ...ipWhitelistOf(o) },
      {
        ttlSeconds: o.tokenTtlSeconds ?? 7200,
        renewWindowSeconds: o.tokenRenewWindowSeconds ?? 300,
        now,
      },
    );
    this.sender = new FakeTemplateSender({
      now,
      dedupeWindowMs: o.dedupeWindowMs ?? 600_000,
      ...(o.dailySendQuota === undefined ? {} : { dailyQuota: o.dailySendQuota }),
      ...(o.perMinuteSendQuota === undefined ? {} : { perMinuteQuota: o.perMinuteSendQuota }),
    });
    for (const openid of o.followers ?? []) this.sender.followers.add(openid);
    for (const t of o.templates ?? []) this.registerTemplate(t);
    this.qr = new FakeQrCodes(now);
  }

  /** A fake listening on `host`:`port` (default 127.0.0.1, any free port). */
  static async start(o: FakeWeChatServerOptions = {}): Promise<FakeWeChatServer> {
    const server = createServer();
    const fake = new FakeWeChatServer(server, o);
    // A request that breaks off (its client gave up) only loses its connection.
    server.on('request', (req, res) => fake.handle(req, res).catch(() => req.socket.destroy()));
    server.listen(o.port ?? 0, o.host ?? '127.0.0.1');
    await once(server, 'listening');
    return fake;
  }

  /** Its base URL, to give the client as `baseUrl`. */
  get url(): string {
    const { address, port } = this.server.address() as AddressInfo;
    return `http://${address.includes(':') ? `[${address}]` : address}:${port}`;
  }

  /** Stops listening and drops every connection, held answers included; idempotent. */
  close(): Promise<void> {
    this.closing ??= new Promise<void>((resolve) => {
      for (const timer of this.timers) clearTimeout(timer);
      this.timers.clear();
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
    return this.closing;
  }

  // Controls.

  /** The next template send is answered `errcode` (and pushes nothing); they queue. */
  failNext(errcode: number): void {
    this.sendFailures.push({ errcode });
  }

  /** The next template send is answered with HTTP `status` and no JSON, as a proxy would. */
  failNextWithHttpStatus(status: number): void {
    this.sendFailures.push({ httpStatus: status });
  }

  /** The next stable_token request is answered `errcode`. */
  failNextTokenRequest(errcode: number): void {
    this.tokenFailures.push(errcode);
  }

  /**
   * The next template send is handled as usual (a push is taken), but its answer is lost:
   * never sent (`hang`, the client times out) or the connection reset (`reset`).
   */
  loseNextAnswer(mode: 'hang' | 'reset' = 'hang'): void {
    this.losing = mode;
  }

  /** Every answer from now on waits `ms` first (0: none). */
  delayAnswers(ms: number): void {
    this.delayMs = ms;
  }

  /** Invalidates the current token (40001 from now on), as a refresh forced elsewhere does. */
  revokeToken(): void {
    this.tokens.revokeCurrent();
  }

  addFollower(openid: string): void {
    this.sender.followers.add(openid);
  }

  /** The openid stops following the account: sends to it are answered 43004. */
  removeFollower(openid: string): void {
    this.sender.followers.delete(openid);
  }

  registerTemplate(t: AlertTemplate): void {
    this.sender.templates.set(t.id, [...t.parameters]);
  }

  /** The msgid of the next push (ids grow from there). */
  setNextMsgId(id: bigint): void {
    this.sender.setNextMsgId(id);
  }

  // What it saw.

  /** The template messages it took, in order. */
  pushes(): readonly AcceptedPush[] {
    return [...this.sender.pushes];
  }

  /** The temporary QR codes it created, in order. */
  qrCodes(): readonly CreatedQrCode[] {
    return [...this.qr.created];
  }

  /** Counts of token requests (forced refreshes among them), and each template send's errcode. */
  stats(): { tokenRequests: number; forcedRefreshes: number; sendErrcodes: readonly number[] } {
    return {
      tokenRequests: this.tokenRequests,
      forcedRefreshes: this.tokens.forcedRefreshes,
      sendErrcodes: [...this.answeredErrcodes],
    };
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake');
    const route = url.pathname;
    const known = Object.values(WeChatPaths) as string[];
    if (!known.includes(route)) return void res.writeHead(404).end('not found');
    const text = await bodyOf(req);
    if (text === undefined) return void req.socket.destroy();
    if (req.method !== 'POST') return this.answer(res, error(WeChatErrcodes.requirePost));
    const body = parsed(text);
    const ip = (req.socket.remoteAddress ?? '').replace(/^::ffff:/, '');
    if (route === WeChatPaths.stableToken) {
      this.tokenRequests++;
      const failure = this.tokenFailures.shift();
      return this.answer(res, failure === undefined ? this.tokens.issue(body, ip) : error(failure));
    }
    const tokenErrcode = this.tokens.check(url.searchParams.get('access_token'));
    if (route === WeChatPaths.qrCodeCreate)
      return this.answer(res, tokenErrcode === 0 ? this.qr.create(body) : error(tokenErrcode));
    return this.answerSend(req, res, tokenErrcode === 0 ? undefined : error(tokenErrcode), body);
  }

  private async answerSend(
    req: IncomingMessage,
    res: ServerResponse,
    tokenRefusal: FakeReply | undefined,
    body: unknown,
  ): Promise<void> {
    const failure = this.sendFailures.shift();
    if (failure && 'httpStatus' in failure) {
      await this.pause();
      return void res.writeHead(failure.httpStatus, { 'content-type': 'text/html' }).end('<html>');
    }
    const reply = failure ? error(failure.errcode) : (tokenRefusal ?? this.sender.send(body));
    this.answeredErrcodes.push(reply.kind === 'ok' ? 0 : reply.errcode);
    const losing = this.losing;
    this.losing = undefined;
    if (losing === 'reset') return void req.socket.destroy();
    if (losing === 'hang') return; // held until the client gives up or the fake closes
    return this.answer(res, reply);
  }

  private async answer(res: ServerResponse, reply: FakeReply): Promise<void> {
    await this.pause();
    if (res.destroyed) return;
    res.writeHead(200, { 'content-type': 'application/json; encoding=utf-8' });
    res.end(replyText(reply));
  }

  private pause(): Promise<void> {
    if (this.delayMs <= 0) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        resolve();
      }, this.delayMs);
      this.timers.add(timer);
    });
  }
}

function ipWhitelistOf(o: FakeWeChatServerOptions): { ipWhitelist?: readonly string[] } {
  return o.ipWhitelist === undefined ? {} : { ipWhitelist: o.ipWhitelist };
}

/** The request's body as text; undefined when it is larger than the fake takes. */
async function bodyOf(req: IncomingMessage): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) return undefined;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** The body parsed as JSON; undefined when it is not JSON (WeChat answers 47001). */
function parsed(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
