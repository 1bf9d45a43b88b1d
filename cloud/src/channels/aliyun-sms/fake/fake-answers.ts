import { randomInt, randomUUID } from 'node:crypto';

/**
 * The answers of the fake dysmsapi, in Aliyun's shapes. The gateway in front of the API
 * refuses with a 4xx/5xx and `{RequestId, HostId, Code, Message, Recommend}`; the API's own
 * refusals are HTTP 200 with `{RequestId, Code, Message}` — codes and messages from Aliyun's
 * error-code pages.
 */

export interface FakeAnswer {
  readonly status: number;
  readonly body: Readonly<Record<string, unknown>>;
}

const HOST_ID = 'dysmsapi.aliyuncs.com';

/** A RequestId as Aliyun writes them: an upper-case UUID. */
export const newRequestId = () => randomUUID().toUpperCase();

/** A BizId as SendSms answers it: 18 digits, `^`, the batch's index (`900619746936498440^0`). */
export const newBizId = () =>
  `${randomInt(100_000_000, 1_000_000_000)}${String(randomInt(0, 1_000_000_000)).padStart(9, '0')}^0`;

/** The gateway's refusals: HTTP status and message. */
const gatewayErrors: Readonly<Record<string, { status: number; message: string }>> = {
  SignatureDoesNotMatch: {
    status: 400,
    message: 'Specified signature is not matched with our calculation.',
  },
  'InvalidAccessKeyId.NotFound': { status: 404, message: 'Specified access key is not found.' },
  'InvalidAccessKeyId.Inactive': { status: 400, message: 'Specified access key is disabled.' },
  'InvalidTimeStamp.Expired': {
    status: 400,
    message: 'Specified time stamp or date value is expired.',
  },
  'InvalidTimeStamp.Format': {
    status: 400,
    message: 'Specified time stamp or date value is not well formatted.',
  },
  SignatureNonceUsed: { status: 400, message: 'Specified signature nonce was used already.' },
  InvalidSignatureMethod: { status: 400, message: 'Specified signature method is not valid.' },
  'InvalidParameter.Format': { status: 400, message: 'Specified parameter format is not valid.' },
  'InvalidApi.NotFound': {
    status: 404,
    message: 'Specified api is not found, please check your url and method.',
  },
  UnsupportedHTTPMethod: { status: 400, message: 'This http method not supported.' },
  'Throttling.User': { status: 400, message: 'Request was denied due to user flow control.' },
  InternalError: {
    status: 500,
    message: 'The request processing has failed due to some unknown error.',
  },
  ServiceUnavailable: {
    status: 503,
    message: 'The request has failed due to a temporary failure of the server.',
  },
};

/** The API's refusals (HTTP 200): their messages as Aliyun gives them. */
const apiMessages: Readonly<Record<string, string>> = {
  'isv.BUSINESS_LIMIT_CONTROL': '触发分钟级流控Permits:1',
  'isv.DAY_LIMIT_CONTROL': '触发日发送限额',
  'isv.MONTH_LIMIT_CONTROL': '触发月发送限额',
  'isv.MOBILE_NUMBER_ILLEGAL': '非法手机号',
  'isv.MOBILE_COUNT_OVER_LIMIT': '手机号码数量超过限制',
  'isv.TEMPLATE_MISSING_PARAMETERS': '模板缺少变量',
  'isv.SMS_TEMPLATE_ILLEGAL': '该账号下找不到对应模板',
  'isv.SMS_SIGNATURE_ILLEGAL': '该账号下找不到对应签名',
  'isv.INVALID_PARAMETERS': '参数异常',
  'isv.INVALID_JSON_PARAM': 'JSON参数不合法，只接受字符串值',
  'isv.BLACK_KEY_CONTROL_LIMIT': '黑名单管控',
  'isv.CUSTOMER_REFUSED': '用户已退订推广短信',
  'isv.PARAM_LENGTH_LIMIT': '参数超出长度限制',
  'isv.PARAM_NOT_SUPPORT_URL': '不支持URL',
  'isv.TEMPLATE_PARAMS_ILLEGAL': '模板变量里包含非法关键字',
  'isv.AMOUNT_NOT_ENOUGH': '账户余额不足',
  'isv.OUT_OF_SERVICE': '业务停机',
  'isp.SYSTEM_ERROR': '系统错误',
};

/** Aliyun's answer for `code`: the gateway's status and body for its codes, else HTTP 200. */
export function vendorError(code: string, message?: string): FakeAnswer {
  const gateway = gatewayErrors[code];
  if (gateway || /^(Missing|Invalid)[A-Z]/.test(code))
    return {
      status: gateway?.status ?? 400,
      body: {
        RequestId: newRequestId(),
        HostId: HOST_ID,
        Code: code,
        Message: message ?? gateway?.message ?? code,
        Recommend: `https://api.aliyun.com/troubleshoot?q=${code}&product=Dysmsapi`,
      },
    };
  return {
    status: 200,
    body: { RequestId: newRequestId(), Code: code, Message: message ?? apiMessages[code] ?? code },
  };
}

/** `MissingPhoneNumbers`: a required parameter absent or empty. */
export const missing = (name: string) =>
  vendorError(`Missing${name}`, `${name} is mandatory for this action.`);

/** `InvalidVersion`: a common parameter with a value the gateway does not take. */
export const invalid = (name: string) =>
  vendorError(`Invalid${name}`, `Specified parameter ${name} is not valid.`);

/** A success answer: `Code: OK` with the action's own fields. */
export const ok = (fields: Readonly<Record<string, unknown>>): FakeAnswer => ({
  status: 200,
  body: { RequestId: newRequestId(), Code: 'OK', Message: 'OK', ...fields },
});
