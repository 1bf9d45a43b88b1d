import { constants, open as openFd } from 'node:fs';
import { ReadStream } from 'node:tty';
import { promisify } from 'node:util';

const openAsync = promisify(openFd);

/**
 * Opens the device end of a pseudo-terminal for reading and writing, in raw mode (no echo, no
 * line editing, bytes as they are). The returned stream owns the descriptor and closes it when
 * destroyed. A vanished far side shows up as EIO on read; that is swallowed here, and the
 * stream's `close` event is how callers learn of it.
 */
export async function openPtyEnd(path: string): Promise<ReadStream> {
  // O_NOCTTY: the pty must not become this process's controlling terminal.
  const fd = await openAsync(path, constants.O_RDWR | constants.O_NOCTTY);
  const tty = new ReadStream(fd);
  tty.setRawMode(true);
  tty.on('error', () => {});
  return tty;
}
