/**
 * Maps the sensor board's millisecond clock onto epoch time. Pure.
 *
 * Live (a receive time is known): offset = host receive time − device time, taken from the
 * first sample. A line can arrive late (serial buffering, a busy host) but never early, so a
 * smaller offset later replaces it (the estimate keeps the lowest latency seen). A larger one
 * only replaces it beyond `resyncUs`: a device clock that drifted or a host clock that was
 * stepped, rather than one slow line. The device clock going backwards (board reset, or the
 * 32-bit wrap after 49.7 days) starts over from the receive time.
 *
 * Lines that came in one read share a receive time. Only the first line of a read refines
 * the offset: each later line of the same read looks faster than the one before it, and
 * following them would squash the read's samples onto one timestamp.
 *
 * Replay (no receive time): the first sample is placed at `replayStartUs` and the rest keep
 * their device-clock spacing; after a reset the device clock continues from the last time.
 */
export class ImuClock {
  private offsetUs: number | undefined;
  private lastDeviceUs: number | undefined;
  private lastTimeUs: number | undefined;
  private lastReceivedAtUs: number | undefined;

  constructor(readonly resyncUs = 1_000_000) {}

  stamp(deviceMs: number, receivedAtUs: number | undefined, replayStartUs: () => number): number {
    const deviceUs = deviceMs * 1000;
    const reset = this.lastDeviceUs !== undefined && deviceUs < this.lastDeviceUs;
    if (receivedAtUs !== undefined) {
      const candidate = receivedAtUs - deviceUs;
      const newRead = receivedAtUs !== this.lastReceivedAtUs;
      if (
        this.offsetUs === undefined ||
        reset ||
        (newRead && (candidate < this.offsetUs || candidate - this.offsetUs > this.resyncUs))
      ) {
        this.offsetUs = candidate;
      }
      this.lastReceivedAtUs = receivedAtUs;
    } else if (this.offsetUs === undefined) {
      this.offsetUs = replayStartUs() - deviceUs;
    } else if (reset) {
      this.offsetUs = (this.lastTimeUs ?? 0) - deviceUs;
    }
    this.lastDeviceUs = deviceUs;
    this.lastTimeUs = deviceUs + this.offsetUs;
    return this.lastTimeUs;
  }
}
