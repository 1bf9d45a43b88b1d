import type { LiveMessage } from '../../src/live/events.js';

/**
 * A client of GET /api/live for tests: it reads the event stream with fetch and parses the
 * SSE framing as it comes (WHATWG HTML, "Server-sent events").
 */

export interface StreamClient {
  readonly status: number;
  readonly headers: Headers;
  /** Each event as its name and its parsed data. */
  readonly messages: LiveMessage[];
  readonly comments: string[];
  retry: number | undefined;
  /** Resolves when the server ends the stream (or close() aborts it). */
  readonly done: Promise<void>;
  ended: boolean;
  close(): void;
}

/** Opens the stream; `headers` say who asks (`authorization`). */
export async function openStream(
  url: string,
  headers: Record<string, string> = {},
): Promise<StreamClient> {
  const abort = new AbortController();
  const res = await fetch(url, {
    signal: abort.signal,
    headers: { ...headers, accept: 'text/event-stream' },
  });
  const client: Omit<StreamClient, 'done'> & { done?: Promise<void> } = {
    status: res.status,
    headers: res.headers,
    messages: [],
    comments: [],
    retry: undefined,
    ended: false,
    close: () => abort.abort(),
  };
  const body = res.body;
  if (!body) throw new Error('no body');
  const reader = body.pipeThrough(new TextDecoderStream()).getReader();
  client.done = (async () => {
    let buffer = '';
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += value;
        for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          let event = 'message';
          let data: string | undefined;
          for (const line of block.split('\n')) {
            if (line.startsWith(':')) client.comments.push(line.slice(1).trim());
            else if (line.startsWith('event: ')) event = line.slice(7);
            else if (line.startsWith('data: ')) data = line.slice(6);
            else if (line.startsWith('retry: ')) client.retry = Number(line.slice(7));
          }
          if (data !== undefined) {
            client.messages.push({ event, data: JSON.parse(data) } as LiveMessage);
          }
        }
      }
    } catch {
      // aborted by close()
    } finally {
      client.ended = true;
    }
  })();
  return client as StreamClient;
}
