import { randomUUID } from 'node:crypto';
import { encodedParams, type RpcParams, signedParams } from './rpc-signature.js';
import type { RpcOutcome } from './sms-answers.js';
import { commonParams } from './sms-requests.js';

export interface AliyunRpcClientOptions {
  /** Where the calls go: `https://dysmsapi.aliyuncs.com/` in production. */
  readonly baseUrl: string;
  readonly accessKeyId: string;
  readonly accessKeySecret: string;
  readonly regionId: string;
  /** How long a call may take, answer body included. */
  readonly timeoutMs: number;
  readonly now: () => number;
}

/**
 * Signed RPC calls to dysmsapi over the global fetch. Every call resolves with what it came
 * to (an answer of any status, a timeout, an unreachable host), never rejects. Calls go as
 * POST with the parameters in a form body, which Aliyun accepts as it does GET (the string to
 * sign then starts `POST&`): phone numbers and alert text stay out of URLs, which proxies and
 * access logs keep. The secret is used to sign and goes nowhere else.
 */
export class AliyunRpcClient {
  private readonly closing = new AbortController();

  constructor(private readonly o: AliyunRpcClientOptions) {}

  async call(actionParams: RpcParams): Promise<RpcOutcome> {
    const params = signedParams(this.o.accessKeySecret, 'POST', {
      ...commonParams({
        accessKeyId: this.o.accessKeyId,
        regionId: this.o.regionId,
        nonce: randomUUID(),
        nowMs: this.o.now(),
      }),
      ...actionParams,
    });
    const signal = AbortSignal.any([AbortSignal.timeout(this.o.timeoutMs), this.closing.signal]);
    try {
      const res = await fetch(this.o.baseUrl, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          accept: 'application/json',
        },
        body: encodedParams(params),
        signal,
      });
      const text = await res.text();
      return { kind: 'answered', status: res.status, body: parsedBody(text) };
    } catch (err) {
      return this.failedCall(err, signal);
    }
  }

  /** Aborts the calls in flight: they resolve as timed out, their outcome unknown. */
  close(): void {
    this.closing.abort();
  }

  private failedCall(err: unknown, signal: AbortSignal): RpcOutcome {
    if (signal.aborted) {
      if (this.closing.signal.aborted)
        return {
          kind: 'timedOut',
          code: 'ChannelClosed',
          message: 'the channel closed before the answer came',
        };
      return {
        kind: 'timedOut',
        code: 'TimeoutError',
        message: `no answer within ${this.o.timeoutMs} ms`,
      };
    }
    // fetch fails with a TypeError whose cause is the socket's error (ECONNREFUSED, …).
    const e = err as {
      name?: string;
      message?: string;
      cause?: { code?: string; message?: string };
    };
    return {
      kind: 'unreachable',
      code: e.cause?.code ?? e.name ?? 'Error',
      message: e.cause?.message ?? e.message ?? String(err),
    };
  }
}

/** The answer as JSON when it is JSON; its text otherwise (a proxy's error page). */
function parsedBody(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
