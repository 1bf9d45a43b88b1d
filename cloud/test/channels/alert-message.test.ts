import { describe, expect, it } from 'vitest';
import {
  type AlertMessage,
  checkAlertMessage,
  type MessageRules,
  notificationKey,
} from '../../src/channels/alert-message.js';
import { maskedAddress } from '../../src/channels/console-channel.js';
import { AlertMessageError } from '../../src/errors.js';

const sms: MessageRules = {
  kind: 'aliyun-sms',
  recipientKinds: ['phone'],
  templates: [{ id: 'SMS_71390007', parameters: ['plate'] }],
};
const message: AlertMessage = {
  idempotencyKey: notificationKey('alert-1', 'person-1', 'aliyun-sms'),
  alertId: 'alert-1',
  recipient: { kind: 'phone', e164: '+8613800138000' },
  templateId: 'SMS_71390007',
  parameters: { plate: '粤B12345' },
};

describe('notificationKey', () => {
  it('should make the same key for the same alert, person and channel, and another for any other', () => {
    const key = notificationKey('alert-1', 'person-1', 'console');
    expect(notificationKey('alert-1', 'person-1', 'console')).toBe(key);
    expect(key).toMatch(/^[A-Za-z0-9_-]{22}$/);
    const others = [
      notificationKey('alert-2', 'person-1', 'console'),
      notificationKey('alert-1', 'person-2', 'console'),
      notificationKey('alert-1', 'person-1', 'aliyun-sms'),
      // The parts are kept apart: moving text from one to the next is another key.
      notificationKey('alert-1\nperson-1', '', 'console'),
    ];
    expect(new Set([key, ...others]).size).toBe(5);
  });
});

describe('checkAlertMessage', () => {
  it('should pass a message that fits the channel', () => {
    expect(() => checkAlertMessage(message, sms)).not.toThrow();
  });

  it('should take E.164 numbers of 7 to 15 digits and nothing else', () => {
    const check = (e164: string) => () =>
      checkAlertMessage({ ...message, recipient: { kind: 'phone', e164 } }, sms);
    for (const good of ['+8613800138000', '+14155552671', '+6834002', '+123456789012345'])
      expect(check(good), good).not.toThrow();
    for (const bad of ['+0861380013800', '+1234567890123456', '+12345', '8613800138000', '+86-138'])
      expect(check(bad), bad).toThrow(AlertMessageError);
  });

  it('should name the channel and what is wrong, and keep the alert id in the details', () => {
    const wechat = { ...message, recipient: { kind: 'wechat' as const, openid: 'oAbC' } };
    expect(() => checkAlertMessage(wechat, sms)).toThrow(
      'aliyun-sms alert message: recipient kind "wechat" is not one the channel sends to (phone)',
    );
    try {
      checkAlertMessage({ ...message, parameters: {} }, sms);
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(AlertMessageError);
      expect((err as AlertMessageError).message).toBe(
        'aliyun-sms alert message: template "SMS_71390007" needs text for "plate"',
      );
      expect((err as AlertMessageError).details).toEqual({
        channel: 'aliyun-sms',
        alertId: 'alert-1',
      });
    }
  });

  it('should refuse parameters that are not text, and a channel with no templates says so', () => {
    const notText = { ...message, parameters: { plate: 42 } } as unknown as AlertMessage;
    expect(() => checkAlertMessage(notText, sms)).toThrow(/needs text for "plate"/);
    expect(() => checkAlertMessage(message, { ...sms, templates: [] })).toThrow(
      /is not one the channel has \(it has: none\)/,
    );
  });
});

describe('maskedAddress', () => {
  it('should keep the last four digits of a number and the start of an openid', () => {
    expect(maskedAddress({ kind: 'phone', e164: '+8613800138000' })).toBe('phone:…8000');
    expect(maskedAddress({ kind: 'wechat', openid: 'oO-sX1GYvqVAXaeiA6wvf8kfz_OE' })).toBe(
      'wechat:oO-sX1…',
    );
  });
});
