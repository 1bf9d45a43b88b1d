// Sends the latency suite's collision events and times each to its alert in the alert book.
import { collisionEvent } from './collision.mjs';

/** How often the alert book is polled for the pending collisions' alerts. */
export const POLL_MS = 10;

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * Publishes collision events and polls the alert book (the business records), for the pending
 * ones only, until each alert is there: listAlerts narrowed to the vehicle, type collision and
 * the event's time (the alert is raised at the event's time, and each vehicle has one
 * collision), so each poll reads at most that one alert.
 */
export function collisionTracker(recordsDb) {
  const pending = new Set();
  const done = [];
  let running = true;
  let lastTimeMs = 0;
  const loop = (async () => {
    while (running) {
      if (pending.size > 0) {
        await Promise.all(
          [...pending].map(async (c) => {
            const found = await recordsDb
              .listAlerts({
                fromMs: c.timeMs,
                toMs: c.timeMs + 1,
                deviceId: c.deviceId,
                type: 'collision',
                limit: 1,
              })
              .catch(() => []);
            if (found.length > 0) {
              c.storedMs = performance.now() - c.sentAt;
              pending.delete(c);
              done.push(c);
            }
          }),
        );
      }
      await sleep(POLL_MS);
    }
  })();
  return {
    pending,
    done,
    send(vehicle) {
      // Distinct event times: a poll narrowed to one millisecond reads only its own alert.
      const timeMs = Math.max(Date.now(), lastTimeMs + 1);
      lastTimeMs = timeMs;
      const c = { deviceId: vehicle.id, seq: ++vehicle.seq, timeMs, sentAt: 0 };
      const payload = collisionEvent(c.deviceId, c.seq, timeMs);
      pending.add(c);
      c.sentAt = performance.now();
      vehicle.client.publish(`v1/${c.deviceId}/events`, payload, { qos: 1 }, (err) => {
        if (err) c.error = err.message;
        else c.pubackMs = performance.now() - c.sentAt;
      });
      return c;
    },
    /** Resolves when nothing is pending, at the deadline, or when `gaveUp()` says so. */
    async settle(deadlineMs, gaveUp) {
      while (pending.size > 0 && Date.now() < deadlineMs && !gaveUp()) await sleep(50);
    },
    async stop() {
      running = false;
      await loop;
    },
  };
}
