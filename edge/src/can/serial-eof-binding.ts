import { read } from 'node:fs';
import { promisify } from 'node:util';
import { SerialPort } from 'serialport';

/**
 * The platform serial binding, with one fix: a read that returns 0 bytes ends the stream.
 *
 * When a USB adapter is unplugged (or a pty's far side closes) the kernel hangs the tty
 * up and every read returns 0 — end of file. @serialport/bindings-cpp 13 answers a 0-byte
 * read by reading again at once, forever (serialport/bindings-cpp issue #162, still open),
 * so the disconnect is never reported and a threadpool thread spins. The stream above
 * already treats a 0-byte read as the end of input; this binding lets one reach it.
 *
 * The port is opened with the binding's default VMIN=1, under which a read never returns
 * 0 while the device is present: no data yet is EAGAIN, and then we wait on the binding's
 * poller exactly as it does. Bindings without a file descriptor and poller (Windows) are
 * left as they are.
 */

type Binding = typeof SerialPort.binding;
type OpenOptions = Parameters<Binding['open']>[0];
type PortBinding = Awaited<ReturnType<Binding['open']>>;
// The detected binding is typed as the union of the platforms' bindings; at run time it is
// the one for this platform, which takes the options SerialPort hands it.
const openPlatformPort = SerialPort.binding.open.bind(SerialPort.binding) as (
  options: OpenOptions,
) => Promise<PortBinding>;

interface UnixPort {
  fd: number | null;
  isOpen: boolean;
  poller: { once(event: 'readable', callback: (err: Error | null) => void): unknown };
}

const readAsync = promisify(read);

function isUnixPort(port: object): port is UnixPort {
  return 'fd' in port && 'poller' in port && typeof (port as UnixPort).poller?.once === 'function';
}

const canceled = () => Object.assign(new Error('Port is not open'), { canceled: true });

async function readOrEof(
  port: UnixPort,
  buffer: Buffer,
  offset: number,
  length: number,
): Promise<{ buffer: Buffer; bytesRead: number }> {
  for (;;) {
    if (!port.isOpen || port.fd === null) throw canceled();
    try {
      const { bytesRead } = await readAsync(port.fd, buffer, offset, length, null);
      return { buffer, bytesRead }; // 0: end of file, the device is gone
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code !== 'EAGAIN' && code !== 'EWOULDBLOCK' && code !== 'EINTR') throw err;
      if (!port.isOpen) throw canceled();
      await new Promise<void>((resolve, reject) =>
        port.poller.once('readable', (e) => (e ? reject(e) : resolve())),
      );
    }
  }
}

/** Pass as `binding` in SerialPort's options. */
export const eofAwareBinding = {
  list: () => SerialPort.binding.list(),
  async open(options: OpenOptions): Promise<PortBinding> {
    const port = await openPlatformPort(options);
    if (isUnixPort(port)) {
      const unix = port;
      port.read = (buffer: Buffer, offset: number, length: number) =>
        readOrEof(unix, buffer, offset, length);
    }
    return port;
  },
};
