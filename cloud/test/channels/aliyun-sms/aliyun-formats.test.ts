import { describe, expect, it } from 'vitest';
import { aliyunNumber, recordedNumber } from '../../../src/channels/aliyun-sms/aliyun-phone.js';
import {
  isoTimestamp,
  msUntilNextShanghaiDay,
  msUntilNextShanghaiMonth,
  parseIsoTimestamp,
  shanghaiDate,
  shanghaiDatesBetween,
  shanghaiDateTime,
  shanghaiDayStart,
} from '../../../src/channels/aliyun-sms/aliyun-time.js';

describe('Aliyun phone numbers', () => {
  it('should write mainland numbers bare and others as country code and number', () => {
    expect(aliyunNumber('+8613800138000')).toEqual({ ok: true, number: '13800138000' });
    expect(aliyunNumber('+85291234567')).toEqual({ ok: true, number: '85291234567' });
    expect(aliyunNumber('+447700900123')).toEqual({ ok: true, number: '447700900123' });
  });

  it('should refuse +1 numbers, which Aliyun would read as mainland numbers', () => {
    const us = aliyunNumber('+14155550100');
    expect(us.ok).toBe(false);
    expect(us).toMatchObject({ problem: expect.stringMatching(/\+1 number.*mainland China/) });
  });

  it('should read SendSms numbers in the form records are kept under', () => {
    for (const written of [
      '13800138000',
      '+13800138000',
      '+8613800138000',
      '8613800138000',
      '008613800138000',
    ])
      expect(recordedNumber(written)).toBe('13800138000');
    expect(recordedNumber('85291234567')).toBe('85291234567');
    for (const wrong of ['', '12345', '+44 7700 900123', '0123456789', 'siemens', '1'.repeat(16)])
      expect(recordedNumber(wrong)).toBeUndefined();
  });
});

describe('Aliyun time', () => {
  it('should write Timestamp as UTC to the second, and read only that form back', () => {
    const ms = Date.parse('2017-07-12T02:42:19.789Z');
    expect(isoTimestamp(ms)).toBe('2017-07-12T02:42:19Z');
    expect(parseIsoTimestamp('2017-07-12T02:42:19Z')).toBe(Date.parse('2017-07-12T02:42:19Z'));
    for (const wrong of ['2017-07-12 02:42:19', '2017-07-12T02:42:19.000Z', '2017-02-30T00:00:00Z'])
      expect(parseIsoTimestamp(wrong)).toBeUndefined();
  });

  it('should date sends in Shanghai time, a day ahead of UTC from 16:00', () => {
    expect(shanghaiDate(Date.parse('2026-12-04T15:59:59Z'))).toBe('20261204');
    expect(shanghaiDate(Date.parse('2026-12-04T16:00:00Z'))).toBe('20261205');
    expect(shanghaiDateTime(Date.parse('2026-12-05T00:14:03Z'))).toBe('2026-12-05 08:14:03');
    expect(shanghaiDayStart('20261205')).toBe(Date.parse('2026-12-04T16:00:00Z'));
    expect(shanghaiDayStart('20261232')).toBeUndefined();
  });

  it('should give both dates of an attempt that straddled Shanghai midnight', () => {
    const before = Date.parse('2026-12-04T15:59:59.500Z');
    expect(shanghaiDatesBetween(before, before + 200)).toEqual(['20261204']);
    expect(shanghaiDatesBetween(before, before + 1_000)).toEqual(['20261204', '20261205']);
  });

  it('should count to the next Shanghai midnight and month start', () => {
    const now = Date.parse('2026-12-31T15:00:00Z'); // 23:00 on 31 December in Shanghai
    expect(msUntilNextShanghaiDay(now)).toBe(3_600_000);
    expect(msUntilNextShanghaiMonth(now)).toBe(3_600_000);
    expect(msUntilNextShanghaiMonth(Date.parse('2026-12-30T16:00:00Z'))).toBe(86_400_000);
  });
});
