import { EventEmitter } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import { eventually } from '../../../test-support/infra.js';
import type { CanFrame } from '../../src/can/frame.js';
import type { CanSource, CanSourceEvents } from '../../src/can/source.js';
import { decodeDtc, parseStoredDtcs } from '../../src/obd/dtc.js';
import { IsoTpReceiver, segment } from '../../src/obd/isotp.js';
import { pidsByName } from '../../src/obd/pids.js';
import { ObdPoller } from '../../src/obd/poller.js';
import type { Reading } from '../../src/signals/reading.js';
import { EcuBus, encodeDtc, type SimulatedEcu } from './simulated-ecus.js';

/** A CAN bus in memory: what the poller sends reaches the simulated ECUs, their answers come back. */
class InMemoryBus extends EventEmitter<CanSourceEvents> implements CanSource {
  readonly name = 'memory';
  readonly canSend = true;
  readonly stats = { frames: 0, errors: 0 };
  constructor(
    private readonly ecus: EcuBus,
    /**
     * When the answers come: 'confirmed' after send() resolves; 'with-confirmation' before it
     * does (an SLCAN adapter's frames in the same read as its OK); or a number, the ms between
     * an answer's frames, as a slow ECU paces them.
     */
    private readonly timing: 'confirmed' | 'with-confirmation' | number = 'confirmed',
  ) {
    super();
  }
  async open() {}
  async close() {}
  async send(f: CanFrame) {
    for (const [i, answer] of this.ecus.receive({ id: f.id, data: f.data }).entries()) {
      const t = this.timing;
      const later = (emit: () => void) =>
        t === 'with-confirmation'
          ? emit()
          : t === 'confirmed'
            ? setImmediate(emit)
            : setTimeout(emit, i * t);
      later(() => {
        this.stats.frames++;
        this.emit('frame', {
          id: answer.id,
          extended: false,
          remote: false,
          fd: false,
          error: false,
          data: answer.data,
          dlc: 8,
          timeUs: Date.now() * 1000,
        });
      });
    }
  }
}

const pollers: ObdPoller[] = [];
afterEach(async () => {
  await Promise.all(pollers.splice(0).map((p) => p.stop()));
});

function engine(overrides: Partial<SimulatedEcu> = {}): SimulatedEcu {
  return {
    index: 0,
    pids: new Map<number, () => number[]>([
      [0x0c, () => [0x1a, 0xf8]], // 1726 rpm
      [0x0d, () => [88]],
      [0x05, () => [130]], // 90 °C
      [0x2f, () => [128]],
      [0x42, () => [0x36, 0xb0]], // 14.0 V
      [0xa6, () => [0x00, 0x01, 0xe2, 0x40]], // 12345.6 km
    ]),
    troubleCodes: ['P0301', 'C1234'],
    ...overrides,
  };
}

function start(
  ecus: SimulatedEcu[],
  names: string[],
  timing?: 'confirmed' | 'with-confirmation' | number,
) {
  const bus = new EcuBus(ecus);
  const source = new InMemoryBus(bus, timing);
  const poller = new ObdPoller(source, {
    pids: names,
    intervalMs: 50,
    responseTimeoutMs: 20,
    dtcIntervalMs: 1,
  });
  pollers.push(poller);
  const readings: Reading[] = [];
  const codes: string[][] = [];
  const errors: Error[] = [];
  poller.on('reading', (r) => readings.push(r));
  poller.on('troubleCodes', (c) => codes.push(c));
  poller.on('error', (e) => errors.push(e));
  poller.start();
  return { bus, poller, readings, codes, errors };
}

const value = (readings: Reading[], name: string) => readings.find((r) => r.name === name)?.value;

describe('OBD-II', () => {
  it('should discover supported PIDs and decode them from multi-PID, multi-frame answers', async () => {
    const names = [
      'engine_speed',
      'vehicle_speed',
      'coolant_temp',
      'fuel_level',
      'control_module_voltage',
      'odometer',
    ];
    const { readings, bus } = start([engine()], names);
    await eventually(
      () => names.every((n) => value(readings, `obd.${n}`) !== undefined),
      'all six PIDs',
    );
    expect(value(readings, 'obd.engine_speed')).toBe(1726);
    expect(value(readings, 'obd.vehicle_speed')).toBe(88);
    expect(value(readings, 'obd.coolant_temp')).toBe(90);
    expect(value(readings, 'obd.fuel_level')).toBeCloseTo(50.196, 3);
    expect(value(readings, 'obd.control_module_voltage')).toBe(14);
    expect(value(readings, 'obd.odometer')).toBe(12345.6);
    // Six PIDs went out in one request.
    expect(bus.requests.some((r) => r.payload[0] === 1 && r.payload.length === 7)).toBe(true);
  });

  it('should fall back to single-PID requests for an ECU that refuses several at once', async () => {
    const old = engine({
      index: 1,
      singlePidOnly: true,
      pids: new Map([
        [0x0c, () => [0x0f, 0xa0]],
        [0x0d, () => [42]],
      ]),
      troubleCodes: [],
    });
    const { readings, bus } = start([old], ['engine_speed', 'vehicle_speed']);
    await eventually(
      () =>
        value(readings, 'obd.engine_speed') !== undefined &&
        value(readings, 'obd.vehicle_speed') !== undefined,
      'both PIDs from the single-PID ECU',
    );
    expect(value(readings, 'obd.engine_speed')).toBe(1000);
    expect(
      bus.requests.some((r) => r.ecu === 1 && r.payload.length === 2 && r.payload[1] === 0x0d),
    ).toBe(true);
  });

  it('should collect trouble codes from every ECU', async () => {
    const { codes } = start(
      [engine(), { index: 2, pids: new Map([[0x0d, () => [1]]]), troubleCodes: ['U0100'] }],
      ['vehicle_speed'],
    );
    await eventually(() => codes.length > 0, 'trouble codes');
    expect(codes[0]).toEqual(['C1234', 'P0301', 'U0100']);
  });

  it('should wait out a long answer still arriving when the response window ends', async () => {
    // 60 codes: a first frame and 17 consecutive frames, 4 ms apart — about 70 ms, where the
    // window for answers to a functional request is 20 ms.
    const many = Array.from(
      { length: 60 },
      (_, i) => `P0${(0x100 + i).toString(16).toUpperCase()}`,
    );
    const { codes } = start(
      [engine({ troubleCodes: many }), { index: 2, pids: new Map(), troubleCodes: ['U0100'] }],
      ['vehicle_speed'],
      4,
    );
    await eventually(() => codes.length > 0, 'trouble codes');
    // The first reading already holds both ECUs' answers: none was cut off.
    expect(codes[0]).toEqual([...many, 'U0100'].sort());
  });

  it('should take answers that come before the adapter confirms the request was sent', async () => {
    const { readings, codes } = start([engine()], ['vehicle_speed'], 'with-confirmation');
    await eventually(
      () => value(readings, 'obd.vehicle_speed') !== undefined && codes.length > 0,
      'a reading and the trouble codes',
      5000,
    );
    expect(value(readings, 'obd.vehicle_speed')).toBe(88);
    expect(codes[0]).toEqual(['C1234', 'P0301']);
  });

  it('should report no response when no ECU answers', async () => {
    const { errors } = start([], ['vehicle_speed']);
    await eventually(() => errors.length > 0, 'an error');
    expect(errors[0]?.message).toMatch(/no ECU answered/);
  });

  it('should refuse an unknown PID name', () => {
    expect(() => new ObdPoller(new InMemoryBus(new EcuBus([])), { pids: ['warp_speed'] })).toThrow(
      /unknown OBD-II PID/,
    );
  });
});

describe('ISO-TP and trouble codes', () => {
  it('should reassemble what segment() splits, for every length up to 100 bytes', () => {
    for (let n = 1; n <= 100; n++) {
      const payload = Uint8Array.from({ length: n }, (_, i) => (i * 7) & 0xff);
      const rx = new IsoTpReceiver();
      let got: Uint8Array | undefined;
      for (const f of segment(payload)) {
        const r = rx.feed(f);
        if (r.kind === 'message') got = r.payload;
      }
      expect(got, `length ${n}`).toEqual(payload);
    }
  });

  it('should refuse a consecutive frame out of sequence', () => {
    const frames = segment(new Uint8Array(30));
    const rx = new IsoTpReceiver();
    rx.feed(frames[0] as Uint8Array);
    expect(rx.feed(frames[2] as Uint8Array).kind).toBe('invalid');
  });

  it('should decode trouble codes of every system', () => {
    for (const code of ['P0301', 'C1234', 'B2AF0', 'U0100', 'P3FFF']) {
      const [a, b] = encodeDtc(code) as [number, number];
      expect(decodeDtc(a, b)).toBe(code);
    }
    expect(parseStoredDtcs(Uint8Array.from([0x43, 2, 0x01, 0x33, 0x00, 0x00]))).toEqual(['P0133']);
  });

  it('should know the scaling of the common PIDs', () => {
    expect(pidsByName.get('odometer')?.decode(Uint8Array.from([0, 0, 0, 10]))).toBe(1);
    expect(pidsByName.get('engine_speed')?.decode(Uint8Array.from([0xff, 0xff]))).toBe(16383.75);
    expect(pidsByName.get('coolant_temp')?.decode(Uint8Array.from([0]))).toBe(-40);
  });
});
