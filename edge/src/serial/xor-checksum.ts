/**
 * The NMEA 0183 checksum (v4.11 §5.2.1.4 "checksum field"): the 8-bit exclusive OR of every
 * character between `$` and `*`, both excluded. The IMU line protocol borrows it.
 *
 * `body` holds one character per byte (lines are decoded as latin1), so every code is < 256.
 */
export function xorChecksum(body: string): number {
  let sum = 0;
  for (let i = 0; i < body.length; i++) sum ^= body.charCodeAt(i);
  return sum & 0xff;
}

/** A checksum as the two upper-case hex digits that follow `*`. */
export function checksumHex(sum: number): string {
  return sum.toString(16).toUpperCase().padStart(2, '0');
}

/** Wraps a body in `$…*hh` framing, e.g. `withChecksum('GPGGA,…')` → `$GPGGA,…*hh`. */
export function withChecksum(body: string): string {
  return `$${body}*${checksumHex(xorChecksum(body))}`;
}
