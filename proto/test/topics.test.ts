import { describe, expect, it } from 'vitest';
import { kafkaTopicFor, mqttTopic, parseMqttTopic } from '../src/index.js';

describe('topics', () => {
  it('should build and parse device topics', () => {
    expect(mqttTopic('veh-1', 'telemetry')).toBe('v1/veh-1/telemetry');
    expect(parseMqttTopic('v1/veh-1/events')).toEqual({ deviceId: 'veh-1', kind: 'events' });
    expect(kafkaTopicFor('status')).toBe('status.v1');
  });

  it('should not parse wildcards, other versions or unknown kinds', () => {
    for (const t of ['v1/+/telemetry', 'v1/#', 'v2/veh/telemetry', 'v1/veh/other', 'v1//status']) {
      expect(parseMqttTopic(t), t).toBeUndefined();
    }
  });

  it('should refuse device ids that could escape a topic level', () => {
    expect(() => mqttTopic('a/b', 'telemetry')).toThrow(/device id/);
    expect(() => mqttTopic('+', 'telemetry')).toThrow(/device id/);
  });
});
