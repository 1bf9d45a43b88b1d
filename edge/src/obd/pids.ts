/**
 * OBD-II service 01 parameter ids the agent knows, with SAE J1979 / ISO 15031-5 scaling.
 * `bytes` is the number of data bytes after the PID in a response (needed to split a
 * response to a multi-PID request).
 */

export interface PidDefinition {
  readonly pid: number;
  /** Reading name suffix: readings are `obd.<name>`. */
  readonly name: string;
  readonly unit: string;
  readonly bytes: number;
  readonly decode: (d: Uint8Array) => number;
}

const A = (d: Uint8Array) => d[0] as number;
const B = (d: Uint8Array) => d[1] as number;
const AB = (d: Uint8Array) => (A(d) << 8) | B(d);

const table: PidDefinition[] = [
  { pid: 0x04, name: 'engine_load', unit: 'percent', bytes: 1, decode: (d) => (A(d) * 100) / 255 },
  { pid: 0x05, name: 'coolant_temp', unit: 'celsius', bytes: 1, decode: (d) => A(d) - 40 },
  { pid: 0x0b, name: 'intake_map', unit: 'kPa', bytes: 1, decode: A },
  { pid: 0x0c, name: 'engine_speed', unit: 'rpm', bytes: 2, decode: (d) => AB(d) / 4 },
  { pid: 0x0d, name: 'vehicle_speed', unit: 'km/h', bytes: 1, decode: A },
  { pid: 0x0f, name: 'intake_air_temp', unit: 'celsius', bytes: 1, decode: (d) => A(d) - 40 },
  { pid: 0x10, name: 'maf_rate', unit: 'g/s', bytes: 2, decode: (d) => AB(d) / 100 },
  {
    pid: 0x11,
    name: 'throttle_position',
    unit: 'percent',
    bytes: 1,
    decode: (d) => (A(d) * 100) / 255,
  },
  { pid: 0x1f, name: 'run_time', unit: 's', bytes: 2, decode: AB },
  { pid: 0x21, name: 'distance_with_mil', unit: 'km', bytes: 2, decode: AB },
  { pid: 0x2f, name: 'fuel_level', unit: 'percent', bytes: 1, decode: (d) => (A(d) * 100) / 255 },
  { pid: 0x31, name: 'distance_since_codes_cleared', unit: 'km', bytes: 2, decode: AB },
  { pid: 0x33, name: 'barometric_pressure', unit: 'kPa', bytes: 1, decode: A },
  { pid: 0x42, name: 'control_module_voltage', unit: 'V', bytes: 2, decode: (d) => AB(d) / 1000 },
  { pid: 0x46, name: 'ambient_air_temp', unit: 'celsius', bytes: 1, decode: (d) => A(d) - 40 },
  { pid: 0x5c, name: 'oil_temp', unit: 'celsius', bytes: 1, decode: (d) => A(d) - 40 },
  { pid: 0x5e, name: 'fuel_rate', unit: 'L/h', bytes: 2, decode: (d) => AB(d) / 20 },
  {
    pid: 0xa6,
    name: 'odometer',
    unit: 'km',
    bytes: 4,
    // A·2^24 + B·2^16 + C·2^8 + D, in 0.1 km (ISO 15031-5:2015 PID $A6)
    decode: (d) =>
      (A(d) * 2 ** 24 + B(d) * 2 ** 16 + (d[2] as number) * 2 ** 8 + (d[3] as number)) / 10,
  },
];

export const pids: ReadonlyMap<number, PidDefinition> = new Map(table.map((p) => [p.pid, p]));
export const pidsByName: ReadonlyMap<string, PidDefinition> = new Map(
  table.map((p) => [p.name, p]),
);

/** PIDs 0x00, 0x20, … 0xE0: which of the next 32 PIDs the ECU supports (4-byte bitmask). */
export const isSupportPid = (pid: number) => pid % 0x20 === 0;

/** The PIDs a "supported PIDs" response (for base 0x00, 0x20 …) lists. */
export function supportedFromBitmask(base: number, mask: Uint8Array): number[] {
  const out: number[] = [];
  for (let i = 0; i < 32; i++) {
    const byte = mask[i >> 3] as number;
    if (byte & (0x80 >> (i & 7))) out.push(base + i + 1);
  }
  return out;
}

/** Bytes after the PID in a response, for splitting multi-PID responses. */
export function dataBytesOf(pid: number): number | undefined {
  if (isSupportPid(pid)) return 4;
  if (pid === 0x01) return 4;
  return pids.get(pid)?.bytes;
}
