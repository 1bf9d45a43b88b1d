import { randomBytes } from 'node:crypto';
import { WeChatErrcodes as E, qrCodeLimits } from '../wechat-api.js';
import { error, type FakeReply, objectOf, ok } from './fake-answers.js';

/** A temporary QR code the fake created: what a scan of it would carry. */
export interface CreatedQrCode {
  readonly ticket: string;
  readonly sceneStr: string;
  readonly expireSeconds: number;
  readonly url: string;
  readonly at: number;
}

// WeChat's default lifetime of a temporary code when expire_seconds is left out.
const DEFAULT_EXPIRE_SECONDS = 60;

/**
 * qrcode/create behind the token check, for temporary codes with a string scene
 * (QR_STR_SCENE), the kind that binds a person: an action name WeChat does not know is 40052,
 * a scene_str missing or past 64 characters 40053 (as WeChat answers them). The other kinds
 * (QR_SCENE, QR_LIMIT_SCENE, QR_LIMIT_STR_SCENE) are valid requests the fake does not make:
 * it answers them 40052 too.
 */
export class FakeQrCodes {
  readonly created: CreatedQrCode[] = [];

  constructor(private readonly now: () => number) {}

  create(body: unknown): FakeReply {
    const request = objectOf(body);
    if (!request) return error(E.dataFormatError);
    const action = request.action_name;
    if (action !== 'QR_STR_SCENE') return error(E.invalidActionName);
    const scene = objectOf(objectOf(request.action_info)?.scene);
    const sceneStr = scene?.scene_str;
    if (
      typeof sceneStr !== 'string' ||
      sceneStr.length < 1 ||
      sceneStr.length > qrCodeLimits.maxSceneLength
    )
      return error(E.invalidActionInfo);
    const expire = request.expire_seconds ?? DEFAULT_EXPIRE_SECONDS;
    if (typeof expire !== 'number' || !Number.isInteger(expire) || expire < 1)
      return error(E.dataFormatError);
    // The documentation gives 30 days as the longest lifetime, not an error past it: a longer
    // one is cut to 30 days.
    const expireSeconds = Math.min(expire, qrCodeLimits.maxExpireSeconds);
    const code = {
      ticket: `gQ${randomBytes(72).toString('base64')}`,
      sceneStr,
      expireSeconds,
      url: `http://weixin.qq.com/q/${randomBytes(16).toString('base64url')}`,
      at: this.now(),
    };
    this.created.push(code);
    return ok({ ticket: code.ticket, expire_seconds: expireSeconds, url: code.url });
  }
}
