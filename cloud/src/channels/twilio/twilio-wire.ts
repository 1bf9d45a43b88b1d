/**
 * Twilio's Messages API (REST API 2010-04-01) as the adapter and the fake both speak it: paths,
 * HTTP basic auth, the form of a new message, the filters of the list, and the JSON shapes of
 * a message, a page of messages and an error. Pure.
 *
 * Create: POST /2010-04-01/Accounts/{AccountSid}/Messages.json, form fields `To`, `From` or
 * `MessagingServiceSid`, `Body` (≤ 1,600 characters), `StatusCallback` → 201 with the message.
 * List: GET the same path with `To`, `From`, `DateSent` / `DateSent<` / `DateSent>` (GMT date
 * `YYYY-MM-DD`, on / on-or-before / on-or-after), `PageSize` (≤ 1,000, default 50), `Page`,
 * `PageToken` → 200 with `messages` and paging URIs. Errors: HTTP 4xx/5xx with
 * `{code, message, more_info, status}`.
 */

export const TWILIO_API = 'https://api.twilio.com';

/** Longest `Body` Twilio takes (error 21617 past it). */
export const MAX_BODY_CHARS = 1600;

export const SID = {
  account: /^AC[0-9a-fA-F]{32}$/,
  message: /^(SM|MM)[0-9a-fA-F]{32}$/,
  messagingService: /^MG[0-9a-fA-F]{32}$/,
};

export function messagesPath(accountSid: string): string {
  return `/2010-04-01/Accounts/${encodeURIComponent(accountSid)}/Messages.json`;
}

/** The `Authorization` header of HTTP basic auth (RFC 7617): Account SID and Auth Token. */
export function basicAuthorization(accountSid: string, authToken: string): string {
  return `Basic ${Buffer.from(`${accountSid}:${authToken}`, 'utf8').toString('base64')}`;
}

/** Where a message is sent from: one of the account's numbers, or a Messaging Service. */
export type Sender = { readonly from: string } | { readonly messagingServiceSid: string };

/** One message to create, as the adapter sends it and matches it again after a lost answer. */
export interface OutgoingSms {
  readonly to: string;
  readonly sender: Sender;
  readonly body: string;
  readonly statusCallback?: string;
}

export function createMessageForm(sms: OutgoingSms): URLSearchParams {
  const form = new URLSearchParams({ To: sms.to });
  if ('from' in sms.sender) form.set('From', sms.sender.from);
  else form.set('MessagingServiceSid', sms.sender.messagingServiceSid);
  form.set('Body', sms.body);
  if (sms.statusCallback !== undefined) form.set('StatusCallback', sms.statusCallback);
  return form;
}

export interface MessageListFilter {
  readonly to?: string;
  readonly from?: string;
  /** Messages sent on or after midnight (GMT) of this instant's date: `DateSent>=YYYY-MM-DD`. */
  readonly sentOnOrAfter?: number;
  readonly pageSize?: number;
}

/** The query of a list request; `DateSent>` with a date is Twilio's `DateSent>=YYYY-MM-DD`. */
export function messageListQuery(filter: MessageListFilter): URLSearchParams {
  const query = new URLSearchParams();
  if (filter.to !== undefined) query.set('To', filter.to);
  if (filter.from !== undefined) query.set('From', filter.from);
  if (filter.sentOnOrAfter !== undefined) query.set('DateSent>', gmtDate(filter.sentOnOrAfter));
  if (filter.pageSize !== undefined) query.set('PageSize', String(filter.pageSize));
  return query;
}

/** `YYYY-MM-DD` in GMT. */
export function gmtDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** Twilio's timestamps: RFC 2822 in GMT, `Fri, 24 May 2019 17:44:46 +0000`. */
export function rfc2822(ms: number): string {
  return new Date(ms).toUTCString().replace(/GMT$/, '+0000');
}

/** A message resource, with the fields this code reads or the fake writes. */
export interface TwilioMessage {
  readonly sid: string;
  readonly account_sid: string;
  readonly messaging_service_sid: string | null;
  readonly to: string;
  readonly from: string | null;
  readonly body: string;
  readonly status: string;
  readonly direction: string;
  readonly date_created: string;
  readonly date_sent: string | null;
  readonly date_updated: string;
  readonly error_code: number | null;
  readonly error_message: string | null;
  readonly num_segments: string;
  readonly num_media: string;
  readonly price: string | null;
  readonly price_unit: string;
  readonly api_version: string;
  readonly uri: string;
  readonly subresource_uris: Readonly<Record<string, string>>;
}

export interface TwilioMessagePage {
  readonly messages: readonly TwilioMessage[];
  readonly page: number;
  readonly page_size: number;
  readonly start: number;
  readonly end: number;
  readonly uri: string;
  readonly first_page_uri: string;
  readonly next_page_uri: string | null;
  readonly previous_page_uri: string | null;
}

export interface TwilioError {
  readonly code: number;
  readonly message: string;
  readonly more_info: string;
  readonly status: number;
}

export function twilioError(status: number, code: number, message: string): TwilioError {
  return { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status };
}
