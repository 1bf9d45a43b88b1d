import { SLCAN_TIMESTAMP_PERIOD_MS } from './slcan-protocol.js';

/**
 * Turns the adapter's time stamps into epoch microseconds.
 *
 * With Z1 a Lawicel adapter appends a millisecond counter that wraps every minute
 * (0…59999, CAN232 manual, command Z). It is precise about the spacing of frames — it is
 * taken when the frame comes off the bus, before USB and the host's scheduling add their
 * jitter — but it says nothing about the wall clock. So:
 *
 * - The counter is unwrapped into a continuous adapter time. How many minutes passed
 *   between two frames is read from the host clock (the wrap count that brings the adapter
 *   delta closest to the host delta), so a silent bus for longer than a minute does not fold
 *   time back.
 * - Adapter time is mapped to epoch time by an offset, first taken from the host receive
 *   time of the first frame. A frame can never have come off the bus after the host read
 *   it, so whenever the mapping puts a frame later than its host receive time the offset is
 *   pulled back to that frame: the offset converges on the least-delayed frame seen, the
 *   best estimate of the true one.
 * - When the mapping falls behind the host receive time by more than `maxSkewMs` (the
 *   adapter's crystal drifting slow over hours, or the adapter reset its counter) the
 *   clock re-anchors on the host receive time.
 *
 * Frames without a time stamp simply take the host receive time; that is the fallback.
 */
export class SlcanClock {
  private anchored = false;
  private lastAdapterMs = 0;
  private lastHostUs = 0;
  /** Continuous adapter time in ms since the first frame. */
  private adapterTimeMs = 0;
  /** epochUs = adapterTimeMs * 1000 + offsetUs */
  private offsetUs = 0;

  constructor(private readonly maxSkewMs = 1000) {}

  /** Epoch µs for a frame stamped `adapterMs` (0…59999) and received at `hostUs`. */
  toEpochUs(adapterMs: number, hostUs: number): number {
    if (!this.anchored) {
      this.anchored = true;
      this.lastAdapterMs = adapterMs;
      this.lastHostUs = hostUs;
      this.adapterTimeMs = 0;
      this.offsetUs = hostUs;
      return hostUs;
    }
    const period = SLCAN_TIMESTAMP_PERIOD_MS;
    const adapterDelta = (((adapterMs - this.lastAdapterMs) % period) + period) % period;
    const hostDeltaMs = (hostUs - this.lastHostUs) / 1000;
    const wraps = Math.max(0, Math.round((hostDeltaMs - adapterDelta) / period));
    this.adapterTimeMs += adapterDelta + wraps * period;
    this.lastAdapterMs = adapterMs;
    this.lastHostUs = hostUs;

    let epochUs = this.adapterTimeMs * 1000 + this.offsetUs;
    if (epochUs > hostUs || hostUs - epochUs > this.maxSkewMs * 1000) {
      this.offsetUs = hostUs - this.adapterTimeMs * 1000;
      epochUs = hostUs;
    }
    return epochUs;
  }
}
