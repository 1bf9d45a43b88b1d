import type { Readable } from 'node:stream';
import { PacketSizeGuard } from './packet-size-guard.js';

/**
 * Puts the packet-size guard on a connection's incoming bytes (a TCP or TLS socket, or the
 * stream of a WebSocket): the first packet over the limit
 * ends the connection as soon as its length is known, before its body is read.
 *
 * The guard sits on the socket's own `push` — where its bytes enter the stream — rather than
 * in a wrapping stream: a Transform plus a Duplex around every socket cost ~14 KB per idle
 * connection (measured by `npm run bench`), twice what the connection costs without them.
 */
export function guardPacketSize<S extends Readable>(
  socket: S,
  maxPacketBytes: number,
  onOversize: (why: string) => void,
): S {
  const guard = new PacketSizeGuard(maxPacketBytes);
  const push = socket.push.bind(socket);
  socket.push = (chunk: unknown, encoding?: BufferEncoding): boolean => {
    if (chunk instanceof Uint8Array) {
      const why = guard.push(chunk);
      if (why !== undefined) {
        onOversize(why);
        socket.destroy();
        return false;
      }
    }
    return push(chunk, encoding);
  };
  return socket;
}
