import type { LiveMessage } from './events.js';

/**
 * Server-Sent Events framing (WHATWG HTML, "Server-sent events"): an event is `event:` and
 * `data:` lines ended by a blank line; a line starting with `:` is a comment, which clients
 * ignore and proxies see as traffic. JSON.stringify escapes line breaks, so the data of one
 * message is always one line.
 */

/** A message as one event: its kind as the event name, its body as the data. */
export function sseEvent(message: LiveMessage): string {
  return `event: ${message.event}\ndata: ${JSON.stringify(message.data)}\n\n`;
}

/** How long a client waits before reconnecting after the stream ends. */
export function sseRetry(ms: number): string {
  return `retry: ${Math.max(0, Math.round(ms))}\n\n`;
}

export function sseComment(text: string): string {
  return `: ${text.replace(/[\r\n]+/g, ' ')}\n\n`;
}
