import { seededRandom } from '@fleetline/proto';
import { SlcanDevice } from '@fleetline/pty-devices';
import { describe, expect, it } from 'vitest';
import { frame } from '../../src/can/frame.js';
import { decodeSlcanLine, encodeSlcanFrame } from '../../src/can/slcan-protocol.js';

/**
 * The host-side codec against the simulated adapter's device side, which is written apart from
 * it on purpose (a misreading of the protocol on one side is not mirrored on the other): what
 * one writes, the other must read as the same frame.
 */

/** A simulated adapter at 500 kbit/s with its channel open, its output collected. */
function opened() {
  const out: string[] = [];
  const dev = new SlcanDevice((text) => out.push(text));
  dev.receive('S6\rO\r');
  out.length = 0;
  return { dev, out };
}

describe('SLCAN codec and device', () => {
  it("agrees with the simulated adapter's device side both ways, for 500 random frames", () => {
    const random = seededRandom(7);
    const { dev, out } = opened();
    for (let i = 0; i < 500; i++) {
      const extended = random() < 0.5;
      const remote = random() < 0.2;
      const length = Math.floor(random() * 9);
      const id = Math.floor(random() * (extended ? 0x2000_0000 : 0x800));
      const data = remote ? [] : Array.from({ length }, () => Math.floor(random() * 256));
      const f = frame(id, data, { extended, remote, dlc: length });
      const expected = { id, extended, remote, dlc: length, data };

      out.length = 0;
      dev.emitFrame(f);
      const seen = decodeSlcanLine((out[0] ?? '').slice(0, -1));
      expect(seen.kind === 'frame' && { ...seen.frame, data: Array.from(seen.frame.data) }).toEqual(
        expected,
      );

      dev.receive(encodeSlcanFrame(f));
      const got = dev.transmitted.at(-1);
      expect(got && { ...got, data: Array.from(got.data) }).toEqual(expected);
    }
  });
});
