/**
 * One JSON POST to the WeChat API over Node's fetch, and what came of it: an answer (any HTTP
 * status, its body as text), no answer in time, or a connection that failed. It never
 * rejects. Whether a failed connection may have carried the request matters to the caller: a
 * push that may have reached WeChat must be reconciled, not sent blind.
 */
export type Exchange =
  | { readonly kind: 'answered'; readonly status: number; readonly text: string }
  /** No answer within the timeout: the request may or may not have been acted on. */
  | { readonly kind: 'timed-out'; readonly message: string }
  /** The connection broke after the request could have been sent: outcome unknown too. */
  | { readonly kind: 'lost'; readonly code: string; readonly message: string }
  /** No connection was made: nothing was sent. */
  | { readonly kind: 'unreachable'; readonly code: string; readonly message: string };

// Errors raised before a request is written (name resolution, connect, TLS handshake). Any
// other network error (a reset, the other side closing) can come after WeChat read the
// request, so it is treated as a lost answer.
const BEFORE_SENDING = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENETDOWN',
  'UND_ERR_CONNECT_TIMEOUT',
  'CERT_HAS_EXPIRED',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

/** POSTs `body` as JSON to `url`, giving up after `timeoutMs` (the answer's body included). */
export async function postJson(url: URL, body: unknown, timeoutMs: number): Promise<Exchange> {
  const signal = AbortSignal.timeout(timeoutMs);
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-8' },
      body: JSON.stringify(body),
      signal,
    });
    return { kind: 'answered', status: response.status, text: await response.text() };
  } catch (err) {
    return failedExchange(err, timeoutMs);
  }
}

function failedExchange(err: unknown, timeoutMs: number): Exchange {
  const e = err as Error & { cause?: unknown };
  if (e?.name === 'TimeoutError' || e?.name === 'AbortError')
    return { kind: 'timed-out', message: `no answer within ${timeoutMs} ms` };
  // fetch rejects with TypeError('fetch failed'); the socket's error is its cause.
  const cause = (e?.cause ?? e) as NodeJS.ErrnoException;
  const code = typeof cause?.code === 'string' ? cause.code : (cause?.name ?? 'Error');
  const message = typeof cause?.message === 'string' ? cause.message : String(err);
  return BEFORE_SENDING.has(code)
    ? { kind: 'unreachable', code, message }
    : { kind: 'lost', code, message };
}
