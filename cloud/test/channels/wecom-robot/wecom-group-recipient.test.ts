import { describe, expect, it } from 'vitest';
import {
  type AlertMessage,
  checkAlertMessage,
  type MessageRules,
  type Recipient,
} from '../../../src/channels/alert-message.js';
import { maskedAddress } from '../../../src/channels/console-channel.js';
import { AlertMessageError } from '../../../src/errors.js';

const robot: MessageRules = {
  kind: 'wecom-robot',
  recipientKinds: ['wecom-group'],
  templates: [{ id: 'collision_raised', parameters: ['plate'] }],
};
const message = (recipient: Recipient): AlertMessage => ({
  idempotencyKey: 'k1',
  alertId: 'alert-1',
  recipient,
  templateId: 'collision_raised',
  parameters: { plate: '粤B12345' },
});
const check = (recipient: unknown) => () =>
  checkAlertMessage(message(recipient as Recipient), robot);

describe('checkAlertMessage: wecom-group recipients', () => {
  it('should take a robot key, with or without mobiles WeCom knows', () => {
    const key = '693a91f6-7aoc-4bc4-97a0-0ec2sifa5aaa';
    expect(check({ kind: 'wecom-group', key })).not.toThrow();
    expect(
      check({ kind: 'wecom-group', key, mentionMobiles: ['13800001111', '+852 51234567', '@all'] }),
    ).not.toThrow();
    expect(check({ kind: 'wecom-group', key, mentionMobiles: [] })).not.toThrow();
  });

  it.each([
    [{ kind: 'wecom-group', key: '' }, 'recipient.key must not be empty'],
    [{ kind: 'wecom-group', key: '   ' }, 'recipient.key must not be empty'],
    [{ kind: 'wecom-group' }, 'recipient.key must not be empty'],
    [{ kind: 'wecom-group', key: ' k ' }, 'recipient.key must not start or end with spaces'],
    [
      { kind: 'wecom-group', key: 'k', mentionMobiles: '13800001111' },
      'recipient.mentionMobiles must be a list',
    ],
    [{ kind: 'wecom-group', key: 'k', mentionMobiles: ['138'] }, '(got "138")'],
    [
      { kind: 'wecom-group', key: 'k', mentionMobiles: ['+86-13800001111'] },
      '(got "+86-13800001111")',
    ],
    [{ kind: 'wecom-group', key: 'k', mentionMobiles: ['all'] }, '(got "all")'],
  ])('should refuse %j: %s', (recipient, problem) => {
    expect(check(recipient)).toThrow(AlertMessageError);
    expect(check(recipient)).toThrow(problem);
  });

  it('should refuse a group on a channel that does not send to groups', () => {
    const sms: MessageRules = { ...robot, kind: 'twilio-sms', recipientKinds: ['phone'] };
    expect(() => checkAlertMessage(message({ kind: 'wecom-group', key: 'k' }), sms)).toThrow(
      'recipient kind "wecom-group" is not one the channel sends to (phone)',
    );
  });

  it('should mask the robot key in logs, since it lets anyone post to the group', () => {
    expect(maskedAddress({ kind: 'wecom-group', key: '693a91f6-7aoc' })).toBe('wecom-group:693a…');
  });
});
