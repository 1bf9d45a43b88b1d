import { timingSafeEqual } from 'node:crypto';
import { smsApiVersion, smsService } from '../sms-wire.js';
import { parseTc3Authorization, tc3Date, tc3Sign } from '../tc3-signing.js';
import { missingParameter, type Refusal, refusal } from './fake-answers.js';

/**
 * What the fake checks of every request before its action, as Tencent Cloud API 3.0 does:
 * the common parameters in the X-TC-* headers, and the TC3-HMAC-SHA256 signature, which has
 * to be over this very request (its host, content type and body bytes) with the secret key of
 * a known SecretId, stamped within 5 minutes of the server's clock. Pure.
 */

export interface IncomingRequest {
  readonly method: string;
  /** Header names in lower case, as node:http gives them. */
  readonly headers: Readonly<Record<string, string | undefined>>;
  readonly body: Buffer;
}

export interface Caller {
  readonly secretId: string;
  readonly action: string;
  readonly region: string;
}

export interface AuthRules {
  /** SecretId → SecretKey. */
  readonly keys: ReadonlyMap<string, string>;
  readonly actions: ReadonlySet<string>;
  readonly regions: ReadonlySet<string>;
  /** Server time, epoch milliseconds. */
  readonly now: number;
}

const maxSkewSeconds = 300;

/** The caller of a well-formed, well-signed request, or the vendor's refusal of it. */
export function authenticate(req: IncomingRequest, rules: AuthRules): Caller | Refusal {
  const action = req.headers['x-tc-action'];
  if (!action) return missingParameter('Action');
  if (!req.headers['x-tc-version']) return missingParameter('Version');
  const signed = checkSignature(req, rules);
  if ('code' in signed) return signed;
  if (!rules.actions.has(action))
    return refusal('InvalidAction', `The requested action \`${action}\` does not exist.`);
  const version = req.headers['x-tc-version'];
  if (version !== smsApiVersion)
    return refusal(
      'NoSuchVersion',
      `The requested version \`${version}\` of service \`${smsService}\` does not exist.`,
    );
  const region = req.headers['x-tc-region'];
  if (!region) return missingParameter('Region');
  if (!rules.regions.has(region))
    return refusal(
      'UnsupportedRegion',
      `The action \`${action}\` does not support this region \`${region}\`.`,
    );
  if (!/^application\/json\b/i.test(req.headers['content-type'] ?? ''))
    return refusal('UnsupportedProtocol', 'POST requests must be Content-Type: application/json.');
  return { secretId: signed.secretId, action, region };
}

function checkSignature(req: IncomingRequest, rules: AuthRules): { secretId: string } | Refusal {
  if (req.method !== 'POST')
    return refusal('UnsupportedProtocol', 'This server takes POST requests with a JSON body.');
  const authorization = parseTc3Authorization(req.headers.authorization);
  if (!authorization) return refusal('AuthFailure.InvalidAuthorization');
  const stamp = req.headers['x-tc-timestamp'];
  if (!stamp) return missingParameter('Timestamp');
  const timestamp = /^\d{1,12}$/.test(stamp) ? Number(stamp) : Number.NaN;
  if (!Number.isFinite(timestamp))
    return refusal('InvalidParameter', 'The value type of parameter `Timestamp` is not valid.');
  if (Math.abs(rules.now / 1000 - timestamp) > maxSkewSeconds)
    return refusal('AuthFailure.SignatureExpire');
  const secretKey = rules.keys.get(authorization.secretId);
  if (secretKey === undefined) return refusal('AuthFailure.SecretIdNotFound');
  const names = authorization.signedHeaders;
  const scopeRight =
    authorization.date === tc3Date(timestamp) &&
    authorization.service === smsService &&
    names.includes('content-type') &&
    names.includes('host');
  if (!scopeRight) return refusal('AuthFailure.SignatureFailure');
  const headers: Record<string, string> = {};
  for (const name of names) {
    const value = req.headers[name];
    if (value === undefined) return refusal('AuthFailure.SignatureFailure');
    headers[name] = value;
  }
  const expected = tc3Sign(
    { service: smsService, timestamp, headers, body: req.body },
    secretKey,
  ).signature;
  if (!timingSafeEqual(Buffer.from(expected), Buffer.from(authorization.signature)))
    return refusal('AuthFailure.SignatureFailure');
  return { secretId: authorization.secretId };
}
