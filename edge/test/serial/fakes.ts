import { EventEmitter } from 'node:events';
import type { Decoded, LineDecoder } from '../../src/serial/line-source.js';
import type { PortOpener, SerialPortLike } from '../../src/serial/serial-line-source.js';

/** A device that can be plugged in and out, reached through fake ports. */
export class FakeDevice {
  present = true;
  openAttempts = 0;
  port: FakePort | undefined;

  readonly opener: PortOpener = () => new FakePort(this);

  feed(text: string): void {
    if (!this.port?.isOpen) throw new Error('no open port to feed');
    this.port.emit('data', Buffer.from(text, 'latin1'));
  }

  unplug(): void {
    this.present = false;
    const port = this.port;
    if (port?.isOpen) {
      port.isOpen = false;
      port.emit('close', Object.assign(new Error('device disconnected'), { disconnected: true }));
    }
  }
}

export class FakePort extends EventEmitter implements SerialPortLike {
  isOpen = false;
  constructor(private readonly device: FakeDevice) {
    super();
  }

  open(callback: (err: Error | null) => void): void {
    this.device.openAttempts++;
    queueMicrotask(() => {
      if (!this.device.present) {
        callback(new Error('cannot open: no such device'));
        return;
      }
      this.isOpen = true;
      this.device.port = this;
      callback(null);
    });
  }

  close(callback?: (err: Error | null) => void): void {
    this.isOpen = false;
    queueMicrotask(() => {
      this.emit('close', null);
      callback?.(null);
    });
  }
}

/** `v=<number>` lines become `test.v` readings stamped with the receive time; others fail. */
export class TestDecoder implements LineDecoder {
  flushes = 0;
  ends = 0;
  held: number[] = [];

  decode(line: string, receivedAtUs?: number): Decoded {
    if (line === 'boom') throw new TypeError('decoder bug');
    const m = /^v=(-?\d+)$/.exec(line);
    if (!m) return { readings: [], errors: [new Error(`bad line ${line}`)] };
    return {
      // Replayed lines carry their own time: the value in milliseconds.
      readings: [
        { name: 'test.v', value: Number(m[1]), timeUs: receivedAtUs ?? Number(m[1]) * 1000 },
      ],
      errors: [],
    };
  }

  /** `hold=<n>` lines are kept until flush or end, like an epoch being assembled. */
  flush(): Decoded {
    this.flushes++;
    return this.release();
  }

  end(): Decoded {
    this.ends++;
    return this.release();
  }

  tooLong(maxBytes: number): Error {
    return new Error(`longer than ${maxBytes}`);
  }

  private release(): Decoded {
    const readings = this.held.map((value) => ({ name: 'test.held', value, timeUs: 0 }));
    this.held = [];
    return { readings, errors: [] };
  }
}
