import { randomUUID } from 'node:crypto';
import {
  encodedParams,
  type RpcMethod,
  signedParams,
} from '../../../src/channels/aliyun-sms/rpc-signature.js';
import { commonParams } from '../../../src/channels/aliyun-sms/sms-requests.js';

/** The fake's test account. */
export const KEY_ID = 'test-key-id';
export const KEY_SECRET = 'test-key-secret';

export interface CallOptions {
  readonly method?: RpcMethod;
  /** Sends with another method than it signed for. */
  readonly sendAs?: RpcMethod;
  readonly nowMs?: number;
  readonly nonce?: string;
  readonly secret?: string;
  /** Common parameters to replace (or, with undefined, leave out) before signing. */
  readonly common?: Readonly<Record<string, string | undefined>>;
  /** Changes the parameters after signing, as a tampering proxy would. */
  readonly tamper?: (signed: Record<string, string>) => Record<string, string>;
}

export interface CallAnswer {
  readonly status: number;
  readonly body: Record<string, unknown>;
  readonly text: string;
}

/** One signed RPC call, made by hand the way Aliyun documents it, to `url`. */
export async function signedCall(
  url: string,
  actionParams: Readonly<Record<string, string>>,
  o: CallOptions = {},
): Promise<CallAnswer> {
  const method = o.method ?? 'POST';
  const common = {
    ...commonParams({
      accessKeyId: KEY_ID,
      regionId: 'cn-hangzhou',
      nonce: o.nonce ?? randomUUID(),
      nowMs: o.nowMs ?? Date.now(),
    }),
    ...o.common,
  };
  const unsigned = Object.fromEntries(
    Object.entries({ ...common, ...actionParams }).filter(
      (e): e is [string, string] => e[1] !== undefined,
    ),
  );
  const signed = signedParams(o.secret ?? KEY_SECRET, method, unsigned);
  const params = o.tamper ? o.tamper(signed) : signed;
  const res =
    (o.sendAs ?? method) === 'GET'
      ? await fetch(`${url}?${encodedParams(params)}`)
      : await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: encodedParams(params),
        });
  const text = await res.text();
  let body: Record<string, unknown> = {};
  try {
    body = JSON.parse(text) as Record<string, unknown>;
  } catch {
    // not JSON: the test reads `text`
  }
  return { status: res.status, body, text };
}
