import {
  type FakeTencentSmsOptions,
  FakeTencentSmsServer,
} from '../../../src/channels/tencent-sms/fake/fake-tencent-sms-server.js';
import { jsonContentType } from '../../../src/channels/tencent-sms/sms-wire.js';
import { tc3Authorization, tc3Sign } from '../../../src/channels/tencent-sms/tc3-signing.js';

/** The account, app, signature and templates the fake knows in these tests. */
export const account = {
  secretId: 'AKIDfleetlineTest000000000000000000',
  secretKey: 'test-secret-key-do-not-log',
};
export const otherAccount = { secretId: 'AKIDsomeoneElse00000000000000000000', secretKey: 'k2' };
export const smsSdkAppId = '1400006666';
export const signName = 'Fleetline';
export const collision = { id: '1110', parameters: ['plate', 'time', 'place'] };
export const phone = '+8613800138000';

/** A clock the fake and the client share, moved by hand. */
export function manualClock(start = Date.now()) {
  let now = start;
  return {
    now: () => now,
    advance(ms: number) {
      now += ms;
    },
  };
}

export function startFake(o: Partial<FakeTencentSmsOptions> = {}): Promise<FakeTencentSmsServer> {
  return new FakeTencentSmsServer({
    accounts: [account, otherAccount],
    apps: [
      { smsSdkAppId, secretId: account.secretId },
      { smsSdkAppId: '1400009999', secretId: otherAccount.secretId },
    ],
    signNames: [signName],
    templates: [collision],
    ...o,
  }).listen();
}

export interface CallOptions {
  readonly secretId?: string;
  readonly secretKey?: string;
  /** Unix seconds (default now). */
  readonly timestamp?: number;
  readonly region?: string | undefined;
  readonly version?: string;
  /** The host signed, when it should differ from the one the request goes to. */
  readonly signedHost?: string;
  /** The body sent, when it should differ from the one signed. */
  readonly sentBody?: string;
  readonly signal?: AbortSignal;
}

/** One API call signed as a client would, straight over fetch: the fake's view of the wire. */
export async function signedCall(
  url: string,
  action: string,
  payload: object,
  o: CallOptions = {},
): Promise<{ status: number; text: string; body: { Response: Record<string, unknown> } }> {
  const body = JSON.stringify(payload);
  const timestamp = o.timestamp ?? Math.floor(Date.now() / 1000);
  const host = new URL(url).host;
  const signed = tc3Sign(
    {
      service: 'sms',
      timestamp,
      headers: { 'content-type': jsonContentType, host: o.signedHost ?? host },
      body,
    },
    o.secretKey ?? account.secretKey,
  );
  const headers: Record<string, string> = {
    Authorization: tc3Authorization(o.secretId ?? account.secretId, signed),
    'Content-Type': jsonContentType,
    'X-TC-Action': action,
    'X-TC-Version': o.version ?? '2021-01-11',
    'X-TC-Timestamp': String(timestamp),
  };
  if (!('region' in o)) headers['X-TC-Region'] = 'ap-guangzhou';
  else if (o.region !== undefined) headers['X-TC-Region'] = o.region;
  const response = await fetch(url, {
    method: 'POST',
    headers,
    body: o.sentBody ?? body,
    ...(o.signal ? { signal: o.signal } : {}),
  });
  const text = await response.text();
  let answer: { Response: Record<string, unknown> };
  try {
    answer = JSON.parse(text) as typeof answer;
  } catch {
    answer = { Response: {} };
  }
  return { status: response.status, text, body: answer };
}

/** A SendSms body the fake takes, with overrides. */
export function sendSmsBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    PhoneNumberSet: [phone],
    SmsSdkAppId: smsSdkAppId,
    SignName: signName,
    TemplateId: collision.id,
    TemplateParamSet: ['粤B12345', '08:14', '深南大道'],
    SessionContext: 'key-1',
    ...overrides,
  };
}

/** Polls until `check` holds or the deadline passes: no fixed sleeps. */
export async function eventually(check: () => boolean, deadlineMs = 2000): Promise<void> {
  const until = Date.now() + deadlineMs;
  while (!check()) {
    if (Date.now() > until) throw new Error('condition not met before the deadline');
    await new Promise((r) => setTimeout(r, 5));
  }
}
