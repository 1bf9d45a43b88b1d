import type { Exchange } from './sms-answers.js';
import { type Credentials, type SmsAction, signedHeaders } from './sms-wire.js';

/**
 * The HTTP side of the channel: one signed POST per API call, over Node's fetch, with a
 * deadline. It never throws: whatever happens comes back as an Exchange for the pure mapping.
 * The secret key stays in here and in the signature; nothing it returns carries it.
 */

export interface TencentCloudApiOptions {
  readonly credentials: Credentials;
  /** X-TC-Region, such as `ap-guangzhou`. */
  readonly region: string;
  /** Scheme, host and port; API 3.0 always posts to `/`. */
  readonly baseUrl: string;
  readonly timeoutMs: number;
  /** Epoch milliseconds: the signature's timestamp comes from it. */
  readonly clock: () => number;
}

export class TencentCloudApi {
  private readonly url: URL;

  constructor(private readonly o: TencentCloudApiOptions) {
    this.url = new URL('/', o.baseUrl);
  }

  async call(action: SmsAction, payload: object): Promise<Exchange> {
    const body = JSON.stringify(payload);
    const headers = signedHeaders(
      {
        action,
        region: this.o.region,
        host: this.url.host,
        timestamp: Math.floor(this.o.clock() / 1000),
        body,
      },
      this.o.credentials,
    );
    try {
      const response = await fetch(this.url, {
        method: 'POST',
        headers,
        body,
        signal: AbortSignal.timeout(this.o.timeoutMs),
      });
      return { kind: 'answer', status: response.status, text: await response.text() };
    } catch (err) {
      return exchangeOfError(err, this.o.timeoutMs);
    }
  }
}

/** Errors from before the request could leave: nothing reached Tencent. */
const notSentCodes = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'UND_ERR_CONNECT_TIMEOUT',
  'ERR_INVALID_URL',
]);

/** What a rejected fetch means: the deadline passed, or the network failed before or during. */
export function exchangeOfError(err: unknown, timeoutMs: number): Exchange {
  const e = err as { name?: unknown; message?: unknown; cause?: unknown } | undefined;
  if (e?.name === 'TimeoutError') return { kind: 'timeout', timeoutMs };
  const cause = (e?.cause ?? {}) as { code?: unknown; message?: unknown };
  const code = typeof cause.code === 'string' ? cause.code : 'NetworkError';
  const message =
    typeof cause.message === 'string' && cause.message !== ''
      ? cause.message
      : typeof e?.message === 'string'
        ? e.message
        : String(err);
  return { kind: 'network', code, message, sent: !notSentCodes.has(code) };
}
