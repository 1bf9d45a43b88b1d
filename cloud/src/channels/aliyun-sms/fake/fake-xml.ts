/**
 * Answers as XML, for calls made with `Format=XML` or without Format (Aliyun's default).
 * Success and business refusals go in `<ActionResponse>`, the gateway's refusals in
 * `<Error>`. Pure.
 */

const escaped = (text: string) =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c] ?? c,
  );

function element(name: string, value: unknown): string {
  if (Array.isArray(value)) return value.map((v) => element(name, v)).join('');
  if (typeof value === 'object' && value !== null)
    return `<${name}>${Object.entries(value)
      .map(([k, v]) => element(k, v))
      .join('')}</${name}>`;
  return `<${name}>${escaped(String(value))}</${name}>`;
}

/** The XML of an answer body: `<SendSmsResponse>…</SendSmsResponse>` or `<Error>…</Error>`. */
export function xmlAnswer(
  action: string,
  status: number,
  body: Readonly<Record<string, unknown>>,
): string {
  const root = status === 200 ? `${action}Response` : 'Error';
  return `<?xml version='1.0' encoding='UTF-8'?>${element(root, body)}`;
}
