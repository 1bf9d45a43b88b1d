/**
 * A named numeric value from one of the agent's inputs, before it is mapped onto the signal
 * catalogue. Names are namespaced by input:
 *   `can.<Message>.<Signal>`  decoded with the DBC           e.g. `can.ENGINE.RPM`
 *   `obd.<pid name>`          OBD-II PID (see obd/pids.ts)    e.g. `obd.engine_speed`
 *   `gnss.<field>`            NMEA fix                        e.g. `gnss.latitude`
 *   `imu.<field>`             accelerometer                   e.g. `imu.accel_x`
 */
export interface Reading {
  readonly name: string;
  readonly value: number;
  /** Epoch microseconds when the value was measured (frame / sentence / sample time). */
  readonly timeUs: number;
}
