import { describe, expect, it } from 'vitest';
import {
  plainTextOf,
  robotPost,
  utf8Bytes,
  webhookUrl,
} from '../../../src/channels/wecom-robot/robot-wire.js';

describe('robotPost', () => {
  it('should post markdown when no one is mentioned', () => {
    expect(robotPost('**Crash** 粤B12345')).toEqual({
      msgtype: 'markdown',
      markdown: { content: '**Crash** 粤B12345' },
    });
  });

  it('should post text with mentioned_mobile_list when members are mentioned, markup removed', () => {
    expect(
      robotPost('# Crash\n**粤B12345** at [map](https://m.example/1)', ['13800001111', '@all']),
    ).toEqual({
      msgtype: 'text',
      text: {
        content: 'Crash\n粤B12345 at map (https://m.example/1)',
        mentioned_mobile_list: ['13800001111', '@all'],
      },
    });
  });
});

describe('plainTextOf', () => {
  it('should drop the robot markdown’s headings, bold, quotes and font colours', () => {
    expect(plainTextOf('## Title\n> quoted\n<font color="warning">hot</font> and **bold**')).toBe(
      'Title\nquoted\nhot and bold',
    );
  });
});

describe('webhookUrl and utf8Bytes', () => {
  it('should put the key in the query, encoded, and count UTF-8 bytes as WeCom does', () => {
    expect(webhookUrl('https://qyapi.weixin.qq.com/', 'a b&c')).toBe(
      'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=a%20b%26c',
    );
    expect(utf8Bytes('粤B')).toBe(4);
    expect(utf8Bytes('🚗')).toBe(4);
  });
});
