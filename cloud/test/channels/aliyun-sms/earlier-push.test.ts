import { describe, expect, it } from 'vitest';
import { findEarlierPush, foundMessageId } from '../../../src/channels/aliyun-sms/earlier-push.js';
import type { RpcParams } from '../../../src/channels/aliyun-sms/rpc-signature.js';
import type { RpcOutcome } from '../../../src/channels/aliyun-sms/sms-answers.js';

const now = () => Date.parse('2026-12-05T00:14:00Z');

/** A QuerySendDetails stand-in over records by date, newest first, paged as Aliyun pages. */
function queries(byDate: Record<string, { OutId: string; SendStatus: number }[]>) {
  const asked: RpcParams[] = [];
  const call = async (p: RpcParams): Promise<RpcOutcome> => {
    asked.push(p);
    const all = byDate[p.SendDate ?? ''] ?? [];
    const size = Number(p.PageSize);
    const page = Number(p.CurrentPage);
    return {
      kind: 'answered',
      status: 200,
      body: {
        Code: 'OK',
        TotalCount: all.length,
        SmsSendDetailDTOs: { SmsSendDetailDTO: all.slice((page - 1) * size, page * size) },
      },
    };
  };
  return { asked, call };
}

const others = (n: number) =>
  Array.from({ length: n }, (_, i) => ({ OutId: `other-${i}`, SendStatus: 3 }));

describe('findEarlierPush', () => {
  it('should ask for the number on each date of the attempts, page by page, until it finds the key', async () => {
    const { asked, call } = queries({
      '20261204': others(3),
      '20261205': [...others(70), { OutId: 'key', SendStatus: 1 }],
    });
    const attempt = { phoneNumber: '13800138000', sendDates: ['20261204', '20261205'] };
    expect(await findEarlierPush(call, 'key', attempt, now)).toEqual({
      kind: 'found',
      messageId: foundMessageId('key'),
    });
    expect(
      asked.map((p) => [p.Action, p.PhoneNumber, p.SendDate, p.PageSize, p.CurrentPage]),
    ).toEqual([
      ['QuerySendDetails', '13800138000', '20261204', '50', '1'],
      ['QuerySendDetails', '13800138000', '20261205', '50', '1'],
      ['QuerySendDetails', '13800138000', '20261205', '50', '2'],
    ]);
  });

  it('should count a delivered record as found, and a failed one as not', async () => {
    const attempt = { phoneNumber: '13800138000', sendDates: ['20261205'] };
    const deliveredOne = queries({ '20261205': [{ OutId: 'key', SendStatus: 3 }] });
    expect((await findEarlierPush(deliveredOne.call, 'key', attempt, now)).kind).toBe('found');
    const failedOne = queries({ '20261205': [{ OutId: 'key', SendStatus: 2 }] });
    expect(await findEarlierPush(failedOne.call, 'key', attempt, now)).toEqual({ kind: 'none' });
  });

  it('should stop at the last page and find none when no record carries the key', async () => {
    const { asked, call } = queries({ '20261205': others(100) });
    const attempt = { phoneNumber: '13800138000', sendDates: ['20261205'] };
    expect(await findEarlierPush(call, 'key', attempt, now)).toEqual({ kind: 'none' });
    expect(asked.map((p) => p.CurrentPage)).toEqual(['1', '2']);
  });

  it('should answer unknown, with the query’s failure, when the query fails', async () => {
    const call = async (): Promise<RpcOutcome> => ({
      kind: 'answered',
      status: 200,
      body: { Code: 'isp.SYSTEM_ERROR', Message: '系统错误' },
    });
    const attempt = { phoneNumber: '13800138000', sendDates: ['20261205'] };
    expect(await findEarlierPush(call, 'key', attempt, now)).toMatchObject({
      kind: 'unknown',
      failure: { code: 'VENDOR_UNAVAILABLE', vendorCode: 'isp.SYSTEM_ERROR' },
    });
  });
});
