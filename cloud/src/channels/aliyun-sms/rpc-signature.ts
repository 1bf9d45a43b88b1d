import { createHmac } from 'node:crypto';

/**
 * Aliyun's RPC request signature, version 1.0 (HMAC-SHA1), as dysmsapi checks it: every
 * parameter but `Signature`, sorted by name, percent-encoded per RFC 3986 and joined as
 * `k=v&…`; the string to sign is `METHOD&%2F&` + the percent-encoded join; the signature is
 * base64(HMAC-SHA1(secret + "&", string to sign)). Pure: the adapter signs with it and the fake
 * server checks with it.
 */

export type RpcParams = Readonly<Record<string, string>>;
/** RPC calls go as GET with the parameters in the query, or POST with them in a form body. */
export type RpcMethod = 'GET' | 'POST';

/**
 * RFC 3986 percent-encoding as Aliyun's POP gateway wants it: only `A–Z a–z 0–9 - _ . ~` stay
 * as they are; a space is `%20` (not `+`) and `*` is `%2A`. encodeURIComponent keeps
 * `! ' ( ) *`, so those are encoded here.
 */
export function percentEncode(value: string): string {
  return encodeURIComponent(value).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

/**
 * The canonicalised query: the parameters but `Signature`, sorted by name (by UTF-16 code
 * unit, as Java's TreeMap in Aliyun's reference code sorts), encoded and joined.
 */
export function canonicalQuery(params: RpcParams): string {
  return Object.keys(params)
    .filter((name) => name !== 'Signature')
    .sort()
    .map((name) => `${percentEncode(name)}=${percentEncode(params[name] ?? '')}`)
    .join('&');
}

export function stringToSign(method: RpcMethod, params: RpcParams): string {
  return `${method}&${percentEncode('/')}&${percentEncode(canonicalQuery(params))}`;
}

/** The `Signature` of a request: base64 of HMAC-SHA1 keyed with the secret and `&`. */
export function rpcSignature(secret: string, method: RpcMethod, params: RpcParams): string {
  return createHmac('sha1', `${secret}&`).update(stringToSign(method, params)).digest('base64');
}

/** The parameters with their `Signature` added, ready to send. */
export function signedParams(
  secret: string,
  method: RpcMethod,
  params: RpcParams,
): Record<string, string> {
  return { ...params, Signature: rpcSignature(secret, method, params) };
}

/** A query string or form body of the parameters, encoded the same way as they were signed. */
export function encodedParams(params: RpcParams): string {
  return Object.entries(params)
    .map(([name, value]) => `${percentEncode(name)}=${percentEncode(value)}`)
    .join('&');
}
