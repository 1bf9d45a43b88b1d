import { parseIsoTimestamp } from '../aliyun-time.js';
import { type RpcMethod, type RpcParams, rpcSignature, stringToSign } from '../rpc-signature.js';
import { SMS_API_VERSION } from '../sms-requests.js';
import { type FakeAnswer, invalid, missing, vendorError } from './fake-answers.js';

/**
 * What Aliyun's POP gateway checks before an RPC call reaches dysmsapi: the common
 * parameters, the timestamp (within 15 minutes of the server's clock), the AccessKeyId, the
 * signature over every parameter, and that the nonce was not used before. Pure but for the
 * nonce memory it is handed.
 */

export interface GatewayContext {
  readonly method: RpcMethod;
  /** AccessKeyId → AccessKeySecret of the accounts the fake knows. */
  readonly accessKeys: ReadonlyMap<string, string>;
  readonly nowMs: number;
  /** Whether the nonce was used before; remembers it when not. */
  readonly nonceUsed: (nonce: string) => boolean;
}

/** The actions the fake serves. */
export const FAKE_ACTIONS: ReadonlySet<string> = new Set(['SendSms', 'QuerySendDetails']);

/** How far a request's Timestamp may be from the server's clock. */
export const TIMESTAMP_TOLERANCE_MS = 15 * 60_000;

const REQUIRED = [
  'Action',
  'Version',
  'AccessKeyId',
  'Signature',
  'SignatureMethod',
  'SignatureNonce',
  'SignatureVersion',
  'Timestamp',
] as const;

/** The gateway's refusal of the request, or undefined when it passes on to the action. */
export function gatewayRefusal(params: RpcParams, ctx: GatewayContext): FakeAnswer | undefined {
  for (const name of REQUIRED) if (!params[name]) return missing(name);
  if (!FAKE_ACTIONS.has(params.Action ?? '')) return vendorError('InvalidApi.NotFound');
  if (params.Version !== SMS_API_VERSION) return invalid('Version');
  if (params.Format !== undefined && params.Format !== 'JSON' && params.Format !== 'XML')
    return vendorError('InvalidParameter.Format');
  if (params.SignatureMethod !== 'HMAC-SHA1') return vendorError('InvalidSignatureMethod');
  if (params.SignatureVersion !== '1.0') return invalid('SignatureVersion');
  const timestamp = parseIsoTimestamp(params.Timestamp ?? '');
  if (timestamp === undefined) return vendorError('InvalidTimeStamp.Format');
  if (Math.abs(ctx.nowMs - timestamp) > TIMESTAMP_TOLERANCE_MS)
    return vendorError('InvalidTimeStamp.Expired');
  return credentialRefusal(params, ctx);
}

function credentialRefusal(params: RpcParams, ctx: GatewayContext): FakeAnswer | undefined {
  const secret = ctx.accessKeys.get(params.AccessKeyId ?? '');
  if (secret === undefined) return vendorError('InvalidAccessKeyId.NotFound');
  if (rpcSignature(secret, ctx.method, params) !== params.Signature)
    // As Aliyun does, the answer shows the string the server signed, to debug with.
    return vendorError(
      'SignatureDoesNotMatch',
      `Specified signature is not matched with our calculation. server string to sign is:${stringToSign(ctx.method, params)}`,
    );
  // Checked last, so only a correctly signed request uses its nonce up.
  if (ctx.nonceUsed(params.SignatureNonce ?? '')) return vendorError('SignatureNonceUsed');
  return undefined;
}
