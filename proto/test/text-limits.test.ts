import { describe, expect, it } from 'vitest';
import {
  type AlertChange,
  type Command,
  decodeAlertChange,
  decodeCommand,
  decodeEvent,
  decodeServiceUpdate,
  decodeStatus,
  encodeAlertChange,
  encodeCommand,
  encodeEvent,
  encodeServiceUpdate,
  encodeStatus,
  InvalidMessageError,
  LimitExceededError,
  MAX_EVIDENCE_ENTRIES,
  MAX_SET_CONFIG_ENTRIES,
  pb,
  TEXT_LIMITS,
} from '../src/index.js';

/**
 * The contract's free-text fields and maps are bounded: a value at its limit passes, one
 * character more is refused (PROTO_LIMIT_EXCEEDED) naming the field, by the decoder and the
 * encoder alike. Characters are code points, so a limit of n takes n astral characters.
 */

const v1 = pb.telemetry.v1;
const base = 1_764_000_000_000;
/** One character, two UTF-16 units. */
const CAR = '\u{1F697}';

const text = (n: number, unit = 'a') => unit.repeat(n);

describe('DeviceStatus.agent_version', () => {
  const status = (agentVersion: string) =>
    v1.DeviceStatus.encode({ deviceId: 'veh-1', timeMs: base, state: 1, agentVersion }).finish();
  const max = TEXT_LIMITS.agentVersion;

  it(`should take ${max} characters, counted as code points, and refuse one more naming the field`, () => {
    expect(decodeStatus(status(text(max))).agentVersion).toBe(text(max));
    expect(decodeStatus(status(text(max, CAR))).agentVersion).toBe(text(max, CAR));
    for (const bad of [text(max + 1), text(max + 1, CAR), text(200_000)]) {
      const bytes = status(bad);
      expect(() => decodeStatus(bytes)).toThrow(LimitExceededError);
      expect(() => decodeStatus(bytes)).toThrow(
        `DeviceStatus.agent_version is ${[...bad].length} characters long; at most ${max}`,
      );
    }
  });

  it('should refuse to encode what it would refuse to decode', () => {
    const s = { deviceId: 'veh-1', timeMs: base, state: 'online' as const };
    expect(() => encodeStatus({ ...s, agentVersion: text(max) })).not.toThrow();
    expect(() => encodeStatus({ ...s, agentVersion: text(max + 1) })).toThrow(
      /agent_version is 65 characters long/,
    );
  });

  it('should quote only the start of a refused value', () => {
    let message: string | undefined;
    try {
      decodeStatus(status(text(100_000, 'x')));
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toMatch(/^DeviceStatus\.agent_version is 100000 characters long/);
    expect(message?.length).toBeLessThan(200);
  });
});

describe('TriggerCapture.name', () => {
  const capture = (name: string) =>
    v1.Event.encode({
      deviceId: 'veh-1',
      seq: 1,
      timeMs: base,
      triggerCapture: { name, triggeredAtMs: base, windowBaseTimeMs: base },
    }).finish();
  const max = TEXT_LIMITS.triggerName;

  it(`should take a name of ${max} characters and refuse a longer one naming the field`, () => {
    expect(decodeEvent(capture(text(max, '超'))).payload).toMatchObject({
      capture: { name: text(max, '超') },
    });
    expect(() => decodeEvent(capture(text(max + 1)))).toThrow(LimitExceededError);
    expect(() => decodeEvent(capture(text(max + 1)))).toThrow(
      `Event.trigger_capture.name is ${max + 1} characters long`,
    );
  });

  it('should refuse to encode a name that is empty or too long', () => {
    const event = (name: string) => ({
      deviceId: 'veh-1',
      seq: 1,
      timeMs: base,
      payload: {
        kind: 'triggerCapture' as const,
        capture: { name, triggeredAtMs: base, relatedSeq: 0, window: [] },
      },
    });
    expect(() => encodeEvent(event(text(max)))).not.toThrow();
    expect(() => encodeEvent(event(text(max + 1)))).toThrow(LimitExceededError);
    expect(() => encodeEvent(event(''))).toThrow(InvalidMessageError);
    expect(() => encodeEvent(event(''))).toThrow('trigger_capture.name must be set');
  });
});

describe('Command', () => {
  const command = (commandId: string, values?: Record<string, string>) =>
    v1.Command.encode({
      commandId,
      deviceId: 'veh-1',
      issuedAtMs: base,
      ...(values ? { setConfig: { values } } : { ping: {} }),
    }).finish();

  it('should bound command_id', () => {
    const max = TEXT_LIMITS.commandId;
    expect(decodeCommand(command(text(max))).commandId).toBe(text(max));
    expect(() => decodeCommand(command(text(max + 1)))).toThrow(
      `Command.command_id is ${max + 1} characters long`,
    );
  });

  it('should bound set_config keys, values and their number, naming the key', () => {
    const keyMax = TEXT_LIMITS.setConfigKey;
    const valueMax = TEXT_LIMITS.setConfigValue;
    const most = Object.fromEntries(
      Array.from({ length: MAX_SET_CONFIG_ENTRIES }, (_, i) => [`k${i}`, text(valueMax)]),
    );
    const ok = decodeCommand(command('c-1', { ...most }));
    expect(ok.action).toMatchObject({ kind: 'setConfig' });
    expect(Object.keys((ok.action as { values: object }).values)).toHaveLength(
      MAX_SET_CONFIG_ENTRIES,
    );
    const tooMany = command('c-1', { ...most, extra: '1' });
    expect(() => decodeCommand(tooMany)).toThrow(LimitExceededError);
    expect(() => decodeCommand(tooMany)).toThrow(
      `Command.set_config.values carries ${MAX_SET_CONFIG_ENTRIES + 1} entries`,
    );
    expect(() => decodeCommand(command('c-1', { [text(keyMax + 1)]: '1' }))).toThrow(
      `Command.set_config.values key is ${keyMax + 1} characters long`,
    );
    expect(() => decodeCommand(command('c-1', { '': '1' }))).toThrow(
      'Command.set_config.values key must be set',
    );
    expect(() =>
      decodeCommand(command('c-1', { 'uplink.batchIntervalMs': text(valueMax + 1) })),
    ).toThrow(
      `Command.set_config.values["uplink.batchIntervalMs"] is ${valueMax + 1} characters long`,
    );
  });

  it('should refuse to encode what it would refuse to decode', () => {
    const c = (commandId: string, values: Record<string, string>): Command => ({
      commandId,
      deviceId: 'veh-1',
      issuedAtMs: base,
      expiresAtMs: 0,
      action: { kind: 'setConfig', values },
    });
    expect(() => encodeCommand(c('c-1', { a: text(TEXT_LIMITS.setConfigValue) }))).not.toThrow();
    expect(() => encodeCommand(c(text(TEXT_LIMITS.commandId + 1), {}))).toThrow(LimitExceededError);
    expect(() => encodeCommand(c('c-1', { a: text(TEXT_LIMITS.setConfigValue + 1) }))).toThrow(
      LimitExceededError,
    );
  });
});

describe('AlertChange', () => {
  const change = (overrides: Partial<AlertChange> = {}): AlertChange => ({
    alertId: 'a-1',
    deviceId: 'veh-1',
    type: 'dtc',
    severity: 'warning',
    transition: 'raised',
    conditionKey: 'P0301',
    timeMs: base,
    evidence: { code: 'P0301' },
    clearsWhen: 'the vehicle no longer reports P0301',
    ...overrides,
  });
  /** Encoded without the codec's checks, as another producer could. */
  const raw = (a: AlertChange) =>
    v1.AlertChange.encode({
      alertId: a.alertId,
      deviceId: a.deviceId,
      type: 6,
      severity: 2,
      transition: 1,
      conditionKey: a.conditionKey,
      timeMs: a.timeMs,
      evidence: Object.fromEntries(
        Object.entries(a.evidence).map(([k, v]) => [
          k,
          typeof v === 'number' ? { number: v } : { text: v },
        ]),
      ),
      clearsWhen: a.clearsWhen,
    }).finish();

  const cases: [string, Partial<AlertChange>, Partial<AlertChange>, string][] = [
    [
      'alert_id',
      { alertId: text(TEXT_LIMITS.alertId) },
      { alertId: text(TEXT_LIMITS.alertId + 1) },
      'AlertChange.alert_id is',
    ],
    [
      'condition_key',
      { conditionKey: text(TEXT_LIMITS.conditionKey) },
      { conditionKey: text(TEXT_LIMITS.conditionKey + 1) },
      'AlertChange.condition_key is',
    ],
    [
      'clears_when',
      { clearsWhen: text(TEXT_LIMITS.clearsWhen) },
      { clearsWhen: text(TEXT_LIMITS.clearsWhen + 1) },
      'AlertChange.clears_when is',
    ],
    [
      'an evidence key',
      { evidence: { [text(TEXT_LIMITS.evidenceKey)]: 1 } },
      { evidence: { [text(TEXT_LIMITS.evidenceKey + 1)]: 1 } },
      'AlertChange.evidence key is',
    ],
    [
      'an evidence text',
      { evidence: { code: text(TEXT_LIMITS.evidenceText) } },
      { evidence: { code: text(TEXT_LIMITS.evidenceText + 1) } },
      'AlertChange.evidence.code is',
    ],
    [
      'the number of evidence entries',
      {
        evidence: Object.fromEntries(
          Array.from({ length: MAX_EVIDENCE_ENTRIES }, (_, i) => [`e${i}`, i]),
        ),
      },
      {
        evidence: Object.fromEntries(
          Array.from({ length: MAX_EVIDENCE_ENTRIES + 1 }, (_, i) => [`e${i}`, i]),
        ),
      },
      `AlertChange.evidence carries ${MAX_EVIDENCE_ENTRIES + 1} entries`,
    ],
  ];

  it.each(cases)('should bound %s, decoding and encoding', (_what, ok, over, message) => {
    expect(decodeAlertChange(raw(change(ok)))).toMatchObject(ok);
    expect(() => decodeAlertChange(raw(change(over)))).toThrow(LimitExceededError);
    expect(() => decodeAlertChange(raw(change(over)))).toThrow(message);
    expect(() => encodeAlertChange(change(ok))).not.toThrow();
    expect(() => encodeAlertChange(change(over))).toThrow(LimitExceededError);
  });
});

describe('ServiceUpdate.serviced.service_id', () => {
  const serviced = (serviceId: string) =>
    v1.ServiceUpdate.encode({
      deviceId: 'veh-1',
      timeMs: base,
      serviced: { serviceId, odometerKm: 1000 },
    }).finish();

  it('should take the API’s longest id and refuse a longer one, naming the field', () => {
    const max = TEXT_LIMITS.serviceId;
    expect(decodeServiceUpdate(serviced(text(max))).change).toMatchObject({
      serviced: { serviceId: text(max) },
    });
    expect(() => decodeServiceUpdate(serviced(text(max + 1)))).toThrow(
      `ServiceUpdate.serviced.service_id is ${max + 1} characters long`,
    );
    expect(() =>
      encodeServiceUpdate({
        deviceId: 'veh-1',
        timeMs: base,
        change: { kind: 'serviced', serviced: { serviceId: text(max + 1), odometerKm: 1 } },
      }),
    ).toThrow(LimitExceededError);
  });
});
