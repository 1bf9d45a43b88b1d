/**
 * Follows MQTT's framing on a connection's raw bytes — each packet is one byte of type and
 * flags, its remaining length as a variable-length integer of 1 to 4 bytes (MQTT 3.1.1
 * §2.2.3), then that many bytes — so that a packet over the limit is refused as soon as its
 * length is known, before its body is read into memory. (The MQTT parser the broker uses
 * buffers each packet whole, whatever its size; the protocol allows 256 MiB.)
 */
export class PacketSizeGuard {
  private state: 'type' | 'length' | 'body' = 'type';
  private length = 0;
  private multiplier = 1;
  private lengthBytes = 0;
  private bodyLeft = 0;

  constructor(readonly maxPacketBytes: number) {}

  /**
   * Takes the next bytes of the stream. Returns undefined while every packet is within the
   * limit, else what is wrong (the guard is then of no further use).
   */
  push(chunk: Uint8Array): string | undefined {
    let i = 0;
    while (i < chunk.length) {
      if (this.state === 'body') {
        const take = Math.min(this.bodyLeft, chunk.length - i);
        this.bodyLeft -= take;
        i += take;
        if (this.bodyLeft === 0) this.state = 'type';
        continue;
      }
      const byte = chunk[i++] as number;
      if (this.state === 'type') {
        this.state = 'length';
        this.length = 0;
        this.multiplier = 1;
        this.lengthBytes = 0;
        continue;
      }
      this.length += (byte & 0x7f) * this.multiplier;
      this.multiplier *= 128;
      this.lengthBytes++;
      if (byte & 0x80) {
        if (this.lengthBytes === 4) return 'malformed remaining length (more than 4 bytes)';
        continue;
      }
      const packetBytes = 1 + this.lengthBytes + this.length;
      if (packetBytes > this.maxPacketBytes) {
        return `packet of ${packetBytes} bytes exceeds the limit of ${this.maxPacketBytes}`;
      }
      this.bodyLeft = this.length;
      this.state = this.length === 0 ? 'type' : 'body';
    }
    return undefined;
  }
}
