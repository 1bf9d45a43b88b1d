import { createHash, createHmac } from 'node:crypto';

/**
 * Tencent Cloud API 3.0 request signing, TC3-HMAC-SHA256 ("Signature v3" in Tencent's
 * documentation), for POST requests with a JSON body. Pure: the channel signs its requests with
 * it and the fake server checks them with it, so the two cannot drift apart.
 *
 * The steps, as documented:
 * 1. Canonical request: method, `/`, the empty query string, the signed headers as
 *    `name:value\n` (names and values lower-cased and trimmed, sorted by name), the signed
 *    header names joined by `;`, and the hex SHA-256 of the body.
 * 2. String to sign: `TC3-HMAC-SHA256`, the timestamp, the credential scope
 *    `<UTC date>/<service>/tc3_request` and the hex SHA-256 of the canonical request.
 * 3. Key chain: HMAC-SHA256 of the date keyed with `"TC3" + SecretKey`, then of the service,
 *    then of `tc3_request`; the signature is the hex HMAC-SHA256 of the string to sign.
 */

export const tc3Algorithm = 'TC3-HMAC-SHA256';

export interface Tc3Request {
  /** The product's service name, the first label of its host: `sms` for sms.tencentcloudapi.com. */
  readonly service: string;
  /** X-TC-Timestamp: Unix seconds. The credential scope's date is its UTC date. */
  readonly timestamp: number;
  /**
   * The headers that are signed, by name. `content-type` and `host` are required; Tencent's
   * current example also signs `x-tc-action`. Names are matched case-insensitively.
   */
  readonly headers: Readonly<Record<string, string>>;
  /** The exact body sent (its UTF-8 bytes are hashed). */
  readonly body: string | Uint8Array;
}

export interface Tc3Signed {
  readonly canonicalRequest: string;
  readonly stringToSign: string;
  readonly credentialScope: string;
  /** `content-type;host;…`, as the Authorization header lists them. */
  readonly signedHeaders: string;
  /** 64 lower-case hex digits. */
  readonly signature: string;
}

/** The UTC date (`2021-09-27`) of a Unix timestamp in seconds, as the credential scope has it. */
export function tc3Date(timestamp: number): string {
  return new Date(timestamp * 1000).toISOString().slice(0, 10);
}

/** Signs one request with the secret key; throws if a required header is missing. */
export function tc3Sign(request: Tc3Request, secretKey: string): Tc3Signed {
  const headers = canonicalHeaderPairs(request.headers);
  for (const required of ['content-type', 'host'])
    if (!headers.some(([name]) => name === required))
      throw new TypeError(`TC3 signing needs the ${required} header`);
  const signedHeaders = headers.map(([name]) => name).join(';');
  const canonicalRequest = [
    'POST',
    '/',
    '',
    headers.map(([name, value]) => `${name}:${value}\n`).join(''),
    signedHeaders,
    sha256Hex(request.body),
  ].join('\n');
  const date = tc3Date(request.timestamp);
  const credentialScope = `${date}/${request.service}/tc3_request`;
  const stringToSign = [
    tc3Algorithm,
    String(request.timestamp),
    credentialScope,
    sha256Hex(canonicalRequest),
  ].join('\n');
  const dateKey = hmac(`TC3${secretKey}`, date);
  const serviceKey = hmac(dateKey, request.service);
  const signingKey = hmac(serviceKey, 'tc3_request');
  const signature = createHmac('sha256', signingKey).update(stringToSign, 'utf8').digest('hex');
  return { canonicalRequest, stringToSign, credentialScope, signedHeaders, signature };
}

/** The Authorization header's value for a signed request. */
export function tc3Authorization(secretId: string, signed: Tc3Signed): string {
  return `${tc3Algorithm} Credential=${secretId}/${signed.credentialScope}, SignedHeaders=${signed.signedHeaders}, Signature=${signed.signature}`;
}

/** What an Authorization header of the TC3 form says. */
export interface Tc3Authorization {
  readonly secretId: string;
  readonly date: string;
  readonly service: string;
  readonly signedHeaders: readonly string[];
  readonly signature: string;
}

const AUTHORIZATION =
  /^TC3-HMAC-SHA256 Credential=([^/\s,]+)\/(\d{4}-\d{2}-\d{2})\/([a-z0-9-]+)\/tc3_request, ?SignedHeaders=([a-z0-9;-]+), ?Signature=([0-9a-f]{64})$/;

/** Reads an Authorization header; undefined when it is not of the TC3 form. */
export function parseTc3Authorization(value: string | undefined): Tc3Authorization | undefined {
  const m = value === undefined ? null : AUTHORIZATION.exec(value.trim());
  if (!m) return undefined;
  const [, secretId, date, service, signedHeaders, signature] = m;
  return {
    secretId: secretId!,
    date: date!,
    service: service!,
    signedHeaders: signedHeaders!.split(';'),
    signature: signature!,
  };
}

/** The signed headers as sorted `[name, value]` pairs, lower-cased and trimmed as documented. */
function canonicalHeaderPairs(headers: Readonly<Record<string, string>>): [string, string][] {
  return Object.entries(headers)
    .map(([name, value]): [string, string] => [
      name.trim().toLowerCase(),
      value.trim().toLowerCase(),
    ])
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

function sha256Hex(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

function hmac(key: string | Buffer, data: string): Buffer {
  return createHmac('sha256', key).update(data, 'utf8').digest();
}
