import { Readable } from 'node:stream';
import { setImmediate as nextTurn } from 'node:timers/promises';

/**
 * A JSON array written a slice at a time, each slice in a turn of the event loop of its own,
 * so a large answer (100,000 samples are ~5 MB of JSON) never holds the loop for longer than
 * one slice takes — devices' publishes and other requests go on in between — and the
 * socket's back-pressure paces it. The same bytes as JSON.stringify(items.map(toJson)).
 */
export function jsonArrayStream<T>(
  items: readonly T[],
  toJson: (item: T) => unknown,
  sliceSize = 2000,
): Readable {
  async function* slices(): AsyncGenerator<string> {
    if (items.length === 0) {
      yield '[]';
      return;
    }
    for (let i = 0; i < items.length; i += sliceSize) {
      if (i > 0) await nextTurn();
      const end = Math.min(i + sliceSize, items.length);
      let text = i === 0 ? '[' : ',';
      for (let j = i; j < end; j++) {
        if (j > i) text += ',';
        text += JSON.stringify(toJson(items[j] as T));
      }
      yield end === items.length ? `${text}]` : text;
    }
  }
  return Readable.from(slices(), { objectMode: false });
}
