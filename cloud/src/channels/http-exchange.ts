/**
 * One HTTP request to a vendor with Node's fetch, and what became of it: an answer, a timeout,
 * or a failure that says whether the request may have reached the vendor. Never rejects, so an
 * adapter turns every outcome into a DeliveryResult.
 */
export type Exchange =
  | {
      readonly kind: 'answered';
      readonly status: number;
      readonly headers: Headers;
      readonly body: string;
    }
  /** No answer within the time allowed: the vendor may or may not have acted on the request. */
  | { readonly kind: 'timed-out'; readonly afterMs: number }
  | {
      readonly kind: 'failed';
      /** The system's or fetch's code (`ECONNREFUSED`, `UND_ERR_SOCKET`), else the error's name. */
      readonly code: string;
      readonly message: string;
      /**
       * Whether the request may have reached the vendor: false only when no connection was
       * made (refused, name not found, unreachable), where nothing can have been acted on.
       */
      readonly maybeSent: boolean;
    };

// Failures before a connection exists: the vendor never saw the request.
const NOT_CONNECTED = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'UND_ERR_CONNECT_TIMEOUT',
]);

export async function exchange(
  url: string | URL,
  init: RequestInit,
  timeoutMs: number,
): Promise<Exchange> {
  try {
    // The signal covers the body too: an answer whose body stalls is a timeout as well.
    const res = await fetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs) });
    const body = await res.text();
    return { kind: 'answered', status: res.status, headers: res.headers, body };
  } catch (err) {
    if (err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError'))
      return { kind: 'timed-out', afterMs: timeoutMs };
    const { code, message } = rootCause(err);
    return { kind: 'failed', code, message, maybeSent: !NOT_CONNECTED.has(code) };
  }
}

/** fetch wraps the system error (`TypeError: fetch failed`, cause `ECONNRESET`): unwrap it. */
function rootCause(err: unknown): { code: string; message: string } {
  let e: unknown = err;
  for (let depth = 0; depth < 4 && e instanceof Error && e.cause !== undefined; depth++)
    e = e.cause;
  if (!(e instanceof Error)) return { code: 'Error', message: String(e) };
  const code = (e as NodeJS.ErrnoException).code;
  return { code: typeof code === 'string' && code !== '' ? code : e.name, message: e.message };
}

/**
 * How long a `Retry-After` header asks to wait (delay-seconds or an HTTP date, RFC 9110
 * 10.2.3), in ms; undefined when absent or unreadable.
 */
export function retryAfterMs(headers: Headers, now: number): number | undefined {
  const value = headers.get('retry-after')?.trim();
  if (!value) return undefined;
  if (/^[0-9]+$/.test(value)) return Number(value) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}
