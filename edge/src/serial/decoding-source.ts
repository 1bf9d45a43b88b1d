import { EventEmitter } from 'node:events';
import type { Reading } from '../signals/reading.js';
import type {
  Decoded,
  LineDecoder,
  LineSource,
  LineSourceEvents,
  LineSourceStats,
} from './line-source.js';

/**
 * What the serial and replay sources share: counting, and turning decoder output into events.
 * A decoder that throws anyway (a bug, not bad input) costs one counted error, never the source.
 */
export abstract class DecodingSource extends EventEmitter<LineSourceEvents> implements LineSource {
  protected readonly counters: LineSourceStats = { lines: 0, readings: 0, errors: 0 };

  protected constructor(
    readonly name: string,
    protected readonly decoder: LineDecoder,
  ) {
    super();
  }

  get stats(): Readonly<LineSourceStats> {
    return { ...this.counters };
  }

  abstract open(): Promise<void>;
  abstract close(): Promise<void>;

  /** Decodes one line; the caller emits the readings (the replay may pace them). */
  protected decodeLine(line: string, receivedAtUs?: number): Decoded {
    this.counters.lines++;
    return this.guard(() => this.decoder.decode(line, receivedAtUs));
  }

  protected guard(run: () => Decoded): Decoded {
    try {
      return run();
    } catch (err) {
      return { readings: [], errors: [err instanceof Error ? err : new Error(String(err))] };
    }
  }

  /** Emits a decoder result at once. */
  protected deliver(decoded: Decoded): void {
    for (const error of decoded.errors) this.refuse(error);
    for (const reading of decoded.readings) this.emitReading(reading);
  }

  protected emitReading(reading: Reading): void {
    this.counters.readings++;
    this.emit('reading', reading);
  }

  /** Counts a refused line and tells listeners, if there are any (see LineSourceEvents). */
  protected refuse(error: Error): void {
    this.counters.errors++;
    if (this.listenerCount('error') > 0) this.emit('error', error);
  }
}
