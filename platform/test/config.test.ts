import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Type from 'typebox';
import { describe, expect, it } from 'vitest';
import { configurationTable, loadConfig, setting } from '../src/config.js';
import { ConfigError } from '../src/errors.js';

describe('loadConfig', () => {
  it('should give defaults and read lists and numbers from the environment', () => {
    const c = loadConfig({
      env: {
        KAFKA_BROKERS: 'a:9092, b:9092',
        MQTT_PORT: '1884',
        MQTT_CONNECT_RATE_PER_ADDRESS: '2.5',
      },
    });
    expect(c.mqttConnectRatePerAddress).toBe(2.5);
    expect(c.kafkaBrokers).toEqual(['a:9092', 'b:9092']);
    expect(c.mqttPort).toBe(1884);
    expect(c.httpPort).toBe(8080);
    expect(Object.isFrozen(c)).toBe(true);
  });

  it('should name every bad variable and what it must be', () => {
    let error: ConfigError | undefined;
    try {
      loadConfig({ env: { MQTT_PORT: '70000', LOG_LEVEL: 'loud', LOG_PARTITIONS: 'x' } });
    } catch (err) {
      error = err as ConfigError;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect(error?.code).toBe('CONFIG_INVALID');
    expect(error?.problems).toHaveLength(3);
    expect(error?.message).toMatch(/MQTT_PORT="70000": must be <= 65535/);
    expect(error?.message).toMatch(/LOG_LEVEL="loud"/);
    expect(error?.message).toMatch(/LOG_PARTITIONS="x"/);
  });

  it('should read a config file, let the environment win, and refuse unknown keys', () => {
    const dir = mkdtempSync(join(tmpdir(), 'fleetline-config-'));
    try {
      const file = join(dir, 'config.json');
      writeFileSync(file, JSON.stringify({ mqttPort: 2000, httpPort: 3000 }));
      const c = loadConfig({ env: { FLEETLINE_CONFIG: file, HTTP_PORT: '3001' } });
      expect([c.mqttPort, c.httpPort]).toEqual([2000, 3001]);
      writeFileSync(file, JSON.stringify({ mqtPort: 1 }));
      expect(() => loadConfig({ env: { FLEETLINE_CONFIG: file } })).toThrow(
        /unknown key "mqtPort"/,
      );
      writeFileSync(file, '{ not json');
      expect(() => loadConfig({ env: { FLEETLINE_CONFIG: file } })).toThrow(/FLEETLINE_CONFIG/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('should read, check and table a process’s own settings like its own', () => {
    const own = {
      widgets: setting('WIDGETS', Type.Integer({ minimum: 0 }), 3, 'Widgets to make.', 'npm start'),
    };
    expect(loadConfig({ env: {}, settings: own }).widgets).toBe(3);
    expect(loadConfig({ env: { WIDGETS: '7' }, settings: own }).widgets).toBe(7);
    expect(loadConfig({ env: {}, settings: own, overrides: { widgets: 1 } }).widgets).toBe(1);
    expect(() => loadConfig({ env: { WIDGETS: '-1' }, settings: own })).toThrow(
      /WIDGETS="-1": must be >= 0 — Widgets to make\./,
    );
    expect('widgets' in loadConfig({ env: { WIDGETS: '-1' } })).toBe(false);
    const dir = mkdtempSync(join(tmpdir(), 'fleetline-config-'));
    try {
      const file = join(dir, 'config.json');
      writeFileSync(file, JSON.stringify({ widgets: 4 }));
      expect(loadConfig({ env: { FLEETLINE_CONFIG: file }, settings: own }).widgets).toBe(4);
      expect(() => loadConfig({ env: { FLEETLINE_CONFIG: file } })).toThrow(
        /unknown key "widgets"/,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    const rows = configurationTable(own).split('\n');
    expect(rows.at(-1)).toBe('| `WIDGETS` | `3` | npm start | Widgets to make. |');
    expect(rows).toHaveLength(configurationTable().split('\n').length + 1);
  });
});
