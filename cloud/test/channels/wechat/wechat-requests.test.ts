import { describe, expect, it } from 'vitest';
import {
  qrCodeCreateRequest,
  stableTokenRequest,
  templateSendRequest,
} from '../../../src/channels/wechat/wechat-requests.js';
import { collisionMessage, follower } from './harness.js';

describe('templateSendRequest', () => {
  it('should carry the openid, template, link, key as client_msg_id, and each parameter as {value}', () => {
    const m = collisionMessage();
    expect(templateSendRequest(m)).toEqual({
      touser: follower,
      template_id: 'collision_raised',
      url: 'https://fleetline.example/alerts/1',
      client_msg_id: m.idempotencyKey,
      data: {
        plate: { value: '粤B12345' },
        time: { value: '2026-12-05 08:14' },
        place: { value: '深南大道 1001 号' },
      },
    });
  });

  it('should leave url out when the message has no link, and refuse a phone recipient', () => {
    const { link: _, ...withoutLink } = collisionMessage();
    expect(templateSendRequest(withoutLink)).not.toHaveProperty('url');
    const phone = collisionMessage({ recipient: { kind: 'phone', e164: '+8613800138000' } });
    expect(() => templateSendRequest(phone)).toThrow(/openid, not a phone/);
  });
});

describe('stableTokenRequest', () => {
  it('should ask in the normal mode, never forcing a refresh', () => {
    expect(stableTokenRequest('wx1234', 's3cret')).toEqual({
      grant_type: 'client_credential',
      appid: 'wx1234',
      secret: 's3cret',
    });
  });
});

describe('qrCodeCreateRequest', () => {
  it('should make a temporary code with a string scene', () => {
    expect(qrCodeCreateRequest({ sceneStr: 'bind:p-1', expireSeconds: 600 })).toEqual({
      expire_seconds: 600,
      action_name: 'QR_STR_SCENE',
      action_info: { scene: { scene_str: 'bind:p-1' } },
    });
  });

  it('should refuse a scene WeChat would refuse, and a lifetime past 30 days', () => {
    expect(() => qrCodeCreateRequest({ sceneStr: '', expireSeconds: 60 })).toThrow(RangeError);
    expect(() => qrCodeCreateRequest({ sceneStr: 'x'.repeat(65), expireSeconds: 60 })).toThrow(
      /1 to 64 characters \(got 65\)/,
    );
    expect(
      qrCodeCreateRequest({ sceneStr: 'x'.repeat(64), expireSeconds: 2_592_000 }),
    ).toBeDefined();
    expect(() => qrCodeCreateRequest({ sceneStr: 'a', expireSeconds: 2_592_001 })).toThrow(
      /seconds/,
    );
    expect(() => qrCodeCreateRequest({ sceneStr: 'a', expireSeconds: 0 })).toThrow(/seconds/);
  });
});
