import type { Socket } from 'node:net';
import { Duplex, pipeline, Transform } from 'node:stream';
import { PacketSizeGuard } from './packet-size-guard.js';

/**
 * The connection the broker reads: the socket's bytes pass through the packet-size guard,
 * which ends the connection at the first packet over the limit (before its body is read);
 * writes go straight to the socket. Closing either side closes both.
 */
export function guardPacketSize(
  socket: Socket,
  maxPacketBytes: number,
  onOversize: (why: string) => void,
): Duplex {
  const guard = new PacketSizeGuard(maxPacketBytes);
  const inbound = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      const why = guard.push(chunk);
      if (why === undefined) return done(null, chunk);
      onOversize(why);
      socket.destroy();
      done();
    },
  });
  // pipeline destroys the guard when the socket errors or closes without an end, so the
  // broker always learns that the device went away.
  pipeline(socket, inbound, () => {});
  return Duplex.from({ readable: inbound, writable: socket });
}
