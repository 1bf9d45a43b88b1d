// The collision event the latency suite's vehicles publish: what the edge agent sends for a
// frontal crash.
import { encodeEvent, STANDARD_GRAVITY as G, signalId } from '@fleetline/proto';

const ids = {
  speed: signalId('Vehicle.Speed'),
  ax: signalId('Vehicle.Acceleration.Longitudinal'),
  ay: signalId('Vehicle.Acceleration.Lateral'),
};

/**
 * A frontal crash at 50 km/h as the edge agent reports it: the collision with the 5 s before
 * the trigger (acceleration at 100 Hz, speed at 10 Hz), the agent's default pre-crash window.
 */
export function collisionEvent(deviceId, seq, timeMs) {
  const window = [];
  for (let t = timeMs - 5000; t <= timeMs; t += 10) {
    const into = t - (timeMs - 100);
    const pulse = into >= 0 ? 26 * G * Math.sin((Math.PI * into) / 200) ** 2 : 0;
    window.push({ signalId: ids.ax, timeMs: t, value: Math.round((0.3 - pulse) * 100) / 100 });
    window.push({ signalId: ids.ay, timeMs: t, value: 0.2 });
    if ((t - timeMs) % 100 === 0) window.push({ signalId: ids.speed, timeMs: t, value: 50 });
  }
  return Buffer.from(
    encodeEvent({
      deviceId,
      seq,
      timeMs,
      payload: {
        kind: 'collision',
        collision: {
          severity: 'severe',
          peakG: 26,
          deltaVKmh: 46,
          direction: 'front',
          speedBeforeKmh: 50,
          latitude: 31.23,
          longitude: 121.47,
          window,
        },
      },
    }),
  );
}
