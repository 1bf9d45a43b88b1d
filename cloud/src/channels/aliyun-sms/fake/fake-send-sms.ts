import { recordedNumber } from '../aliyun-phone.js';
import type { RpcParams } from '../rpc-signature.js';
import { type FakeAnswer, missing, vendorError } from './fake-answers.js';

/**
 * What dysmsapi's SendSms checks of its own parameters, as Aliyun documents them: the
 * numbers (at most 1,000, each mainland or international), an approved signature name and
 * template, and TemplateParam as a JSON object of strings giving every variable of the
 * template. Pure.
 */

/** A template approved for the account: its code and the variables its content names. */
export interface FakeTemplate {
  readonly code: string;
  readonly variables: readonly string[];
  /** Its text, with `${variable}` where values go; a plain list of the variables if absent. */
  readonly content?: string;
}

export interface FakeAccount {
  readonly signNames: ReadonlySet<string>;
  readonly templates: ReadonlyMap<string, FakeTemplate>;
}

/** A SendSms the fake accepts. */
export interface SendSmsRequest {
  /** The numbers as records keep them (mainland numbers bare). */
  readonly numbers: readonly string[];
  readonly signName: string;
  readonly template: FakeTemplate;
  readonly templateParam: Readonly<Record<string, string>>;
  readonly outId: string;
}

const MAX_NUMBERS = 1_000;

/** What a check came to: the value read, or Aliyun's refusal. */
export type Checked<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly refusal: FakeAnswer };

const refused = (refusal: FakeAnswer) => ({ ok: false, refusal }) as const;

/** The request read, or Aliyun's refusal of it. */
export function readSendSms(params: RpcParams, account: FakeAccount): Checked<SendSmsRequest> {
  for (const name of ['PhoneNumbers', 'SignName', 'TemplateCode'])
    if (!params[name]) return refused(missing(name));
  const written = (params.PhoneNumbers ?? '').split(',');
  if (written.length > MAX_NUMBERS) return refused(vendorError('isv.MOBILE_COUNT_OVER_LIMIT'));
  const numbers: string[] = [];
  for (const n of written) {
    const number = recordedNumber(n);
    if (number === undefined)
      return refused(vendorError('isv.MOBILE_NUMBER_ILLEGAL', `${n} invalid mobile number`));
    numbers.push(number);
  }
  const signName = params.SignName ?? '';
  if (!account.signNames.has(signName)) return refused(vendorError('isv.SMS_SIGNATURE_ILLEGAL'));
  const template = account.templates.get(params.TemplateCode ?? '');
  if (!template) return refused(vendorError('isv.SMS_TEMPLATE_ILLEGAL'));
  const templateParam = readTemplateParam(params.TemplateParam, template);
  if (!templateParam.ok) return templateParam;
  const value = { numbers, signName, template, templateParam: templateParam.value };
  return { ok: true, value: { ...value, outId: params.OutId ?? '' } };
}

/**
 * TemplateParam: a JSON object whose values are all strings (`{"code":123456}` is refused),
 * with a value for every variable of the template. Aliyun documents no answer for values the
 * template does not name; the fake refuses them too (isv.INVALID_PARAMETERS), so a client
 * sending more than the template takes is caught.
 */
function readTemplateParam(
  text: string | undefined,
  template: FakeTemplate,
): Checked<Record<string, string>> {
  if (text === undefined || text === '')
    return template.variables.length === 0
      ? { ok: true, value: {} }
      : refused(vendorError('isv.TEMPLATE_MISSING_PARAMETERS'));
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return refused(vendorError('isv.INVALID_JSON_PARAM'));
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    return refused(vendorError('isv.INVALID_JSON_PARAM'));
  const values = parsed as Record<string, unknown>;
  if (Object.values(values).some((v) => typeof v !== 'string'))
    return refused(vendorError('isv.INVALID_JSON_PARAM'));
  if (template.variables.some((v) => !Object.hasOwn(values, v)))
    return refused(vendorError('isv.TEMPLATE_MISSING_PARAMETERS'));
  const unknown = Object.keys(values).filter((k) => !template.variables.includes(k));
  if (unknown.length > 0)
    return refused(vendorError('isv.INVALID_PARAMETERS', `参数异常: ${unknown.join(',')}`));
  return { ok: true, value: values as Record<string, string> };
}

/** The text the number receives: `【signature】` and the template with its values put in. */
export function renderedContent(request: Omit<SendSmsRequest, 'numbers' | 'outId'>): string {
  const { template, templateParam } = request;
  const content = template.content ?? template.variables.map((v) => `${v}: \${${v}}`).join(', ');
  return `【${request.signName}】${content.replace(/\$\{(\w+)\}/g, (_, v: string) => templateParam[v] ?? '')}`;
}
