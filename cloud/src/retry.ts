/**
 * Retries an operation whose errors say they are retryable (`retryable: true`), with
 * exponential backoff and jitter, until the deadline; any other error is thrown at once.
 */
export async function withRetry<T>(
  op: () => Promise<T>,
  deadlineMs = 30_000,
  firstDelayMs = 100,
): Promise<T> {
  const until = Date.now() + deadlineMs;
  for (let attempt = 0; ; attempt++) {
    try {
      return await op();
    } catch (err) {
      const retryable = (err as { retryable?: boolean }).retryable === true;
      const delay = Math.min(5000, firstDelayMs * 2 ** attempt) * (0.5 + Math.random() / 2);
      if (!retryable || Date.now() + delay > until) throw err;
      await new Promise((r) => setTimeout(r, delay));
    }
  }
}
