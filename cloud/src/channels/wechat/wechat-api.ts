/**
 * The parts of the WeChat Official Account API (服务号) the template channel uses, as WeChat
 * documents them: paths, the error codes it answers with, and the bodies it takes. Shared by
 * the client and the fake server, so both speak the same wire format. Pure.
 *
 * Every answer is HTTP 200 with a JSON body; a failure carries `errcode` (not 0) and `errmsg`,
 * a success `errcode` 0 or none. The access token travels only as `?access_token=`.
 */

/** Production base URL of the API. */
export const weChatApiBaseUrl = 'https://api.weixin.qq.com';

export const WeChatPaths = {
  /**
   * getStableAccessToken. Not the older GET /cgi-bin/token: each call of that one replaces
   * the account's token, so two processes sharing an account keep invalidating each other.
   */
  stableToken: '/cgi-bin/stable_token',
  templateSend: '/cgi-bin/message/template/send',
  qrCodeCreate: '/cgi-bin/qrcode/create',
} as const;

/** The `errcode` values the channel tells apart (WeChat's global return codes). */
export const WeChatErrcodes = {
  ok: 0,
  /** System busy: try again later. */
  systemBusy: -1,
  /** The token is not valid or not the latest (another process forced a refresh). */
  invalidCredential: 40001,
  invalidGrantType: 40002,
  invalidOpenid: 40003,
  invalidAppid: 40013,
  /** The token is not one WeChat issued (malformed, or for another account). */
  invalidAccessToken: 40014,
  invalidTemplateId: 40037,
  invalidActionName: 40052,
  invalidActionInfo: 40053,
  invalidAppsecret: 40125,
  /** The caller's IP address is not on the account's whitelist. */
  ipNotWhitelisted: 40164,
  accessTokenMissing: 41001,
  appidMissing: 41002,
  appsecretMissing: 41004,
  accessTokenExpired: 42001,
  requirePost: 43002,
  /** The recipient does not follow the account. */
  requireSubscribe: 43004,
  /** The recipient refused the account's template messages. */
  userRefused: 43101,
  /** WeChat banned the template (operations rules); not in the API reference, seen in answers. */
  templateBanned: 43116,
  /** The account's daily quota of the API is used up. */
  dailyQuota: 45009,
  /** The API's per-minute limit: "retry next minute". */
  minuteQuota: 45011,
  dataFormatError: 47001,
  /** The template data does not fit the template. */
  argumentInvalid: 47003,
} as const;

/** The codes that say the access token is not (or no longer) good: refresh it and retry once. */
export const tokenRefusedCodes: ReadonlySet<number> = new Set([
  WeChatErrcodes.invalidCredential,
  WeChatErrcodes.invalidAccessToken,
  WeChatErrcodes.accessTokenExpired,
]);

/** POST /cgi-bin/stable_token. */
export interface StableTokenRequest {
  grant_type: 'client_credential';
  appid: string;
  secret: string;
  /** Invalidates the current token for every holder; WeChat allows 20 a day, 30 s apart. */
  force_refresh?: boolean;
}

/** POST /cgi-bin/message/template/send. */
export interface TemplateSendRequest {
  /** The recipient's openid for this account. */
  touser: string;
  template_id: string;
  /** Where opening the message leads. */
  url?: string;
  /** WeChat's anti-reentry id: one message per openid + client_msg_id for 10 minutes. */
  client_msg_id?: string;
  data: Record<string, { value: string }>;
}

/** POST /cgi-bin/qrcode/create, for a temporary code with a string scene. */
export interface QrCodeCreateRequest {
  /** Lifetime in seconds: at most 2,592,000 (30 days); WeChat's default is 60. */
  expire_seconds?: number;
  action_name: 'QR_STR_SCENE';
  action_info: { scene: { scene_str: string } };
}

/** The longest lifetime of a temporary QR code (30 days), and the longest scene string. */
export const qrCodeLimits = { maxExpireSeconds: 2_592_000, maxSceneLength: 64 } as const;
