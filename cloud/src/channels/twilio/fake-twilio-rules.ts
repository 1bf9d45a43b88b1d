import {
  MAX_BODY_CHARS,
  messagesPath,
  rfc2822,
  type TwilioError,
  type TwilioMessage,
  type TwilioMessagePage,
  twilioError,
} from './twilio-wire.js';

/**
 * What the fake Twilio checks and answers, as Twilio documents it: the error dictionary entries
 * a message create can meet, the checks of a create form, and the message list with its
 * filters and paging. Pure; fake-twilio-server.ts does the HTTP.
 */

/** Twilio error code → its HTTP status and message (Twilio's error dictionary). */
export const twilioErrorCatalog = {
  20003: { status: 401, message: 'Authenticate' },
  20004: { status: 405, message: 'Method not allowed' },
  20404: { status: 404, message: 'The requested resource was not found' },
  20429: { status: 429, message: 'Too Many Requests' },
  20500: { status: 500, message: 'An internal server error has occurred' },
  20503: { status: 503, message: 'Service unavailable' },
  21211: { status: 400, message: "Invalid 'To' Phone Number" },
  21602: { status: 400, message: 'Message body is required.' },
  21603: { status: 400, message: "A 'From' or 'MessagingServiceSid' parameter is required." },
  21604: { status: 400, message: "A 'To' phone number is required." },
  21610: { status: 400, message: 'Attempt to send to unsubscribed recipient' },
  21612: { status: 400, message: "The 'To' phone number is not currently reachable via SMS." },
  21614: { status: 400, message: "'To' number is not a valid mobile number" },
  21617: {
    status: 400,
    message: 'The concatenated message body exceeds the 1600 character limit.',
  },
  21660: { status: 400, message: "Mismatch between the 'From' number and the account" },
  21705: { status: 400, message: 'The Messaging Service is invalid' },
} as const;
export type TwilioErrorCode = keyof typeof twilioErrorCatalog;

export interface ErrorAnswer {
  readonly status: number;
  readonly body: TwilioError;
}

export function errorAnswer(code: TwilioErrorCode, detail?: string): ErrorAnswer {
  const { status, message } = twilioErrorCatalog[code];
  return { status, body: twilioError(status, code, detail ?? message) };
}

/** The account the fake plays. */
export interface FakeAccount {
  readonly accountSid: string;
  readonly authToken: string;
  /** Numbers it owns, the only `From` it sends from. */
  readonly numbers: ReadonlySet<string>;
  readonly messagingServiceSids: ReadonlySet<string>;
  /** Numbers that replied STOP: sending to them is error 21610. */
  readonly optedOut: ReadonlySet<string>;
}

/** Basic auth (RFC 7617) with the account's SID and token, for the account in the path. */
export function authorized(header: string | undefined, pathSid: string, a: FakeAccount): boolean {
  const match = /^Basic ([A-Za-z0-9+/=]+)$/.exec(header ?? '');
  if (!match?.[1]) return false;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return (
    colon > 0 &&
    decoded.slice(0, colon) === a.accountSid &&
    decoded.slice(colon + 1) === a.authToken &&
    pathSid === a.accountSid
  );
}

/** A message the fake accepted. */
export interface FakeSms {
  readonly sid: string;
  readonly to: string;
  readonly from: string | null;
  readonly messagingServiceSid: string | null;
  readonly body: string;
  readonly statusCallback: string | null;
  /** When it was created (and, the fake being quick, sent), ms since the epoch. */
  readonly createdAt: number;
}

export type CreateCheck = ErrorAnswer | { readonly sms: Omit<FakeSms, 'sid' | 'createdAt'> };

// E.164 as Twilio wants it: `+`, country code, subscriber number; no spaces or punctuation.
const E164 = /^\+[1-9][0-9]{6,14}$/;

/** A create form's checks, in the order Twilio reports them as far as its docs show. */
export function checkCreate(form: URLSearchParams, a: FakeAccount): CreateCheck {
  const to = form.get('To') ?? '';
  const from = form.get('From');
  const service = form.get('MessagingServiceSid');
  const body = form.get('Body');
  if (to === '') return errorAnswer(21604);
  if (!from && !service) return errorAnswer(21603);
  if (!body) return errorAnswer(21602);
  if (!E164.test(to))
    return errorAnswer(21211, `The 'To' number ${to} is not a valid phone number.`);
  if (service && !a.messagingServiceSids.has(service)) return errorAnswer(21705);
  if (from && !a.numbers.has(from))
    return errorAnswer(
      21660,
      `Mismatch between the 'From' number ${from} and the account ${a.accountSid}.`,
    );
  if ([...body].length > MAX_BODY_CHARS) return errorAnswer(21617);
  if (a.optedOut.has(to)) return errorAnswer(21610);
  return {
    sms: {
      to,
      from: from || null,
      messagingServiceSid: service || null,
      body,
      statusCallback: form.get('StatusCallback'),
    },
  };
}

/**
 * A message as Twilio shows it: `queued` in the answer to its create (or `accepted` when a
 * Messaging Service picks the sender), `sent` with its `date_sent` in lists afterwards.
 */
export function messageResource(m: FakeSms, accountSid: string, listed: boolean): TwilioMessage {
  const uri = `${messagesPath(accountSid).replace(/\.json$/, '')}/${m.sid}.json`;
  const created = rfc2822(m.createdAt);
  return {
    sid: m.sid,
    account_sid: accountSid,
    messaging_service_sid: m.messagingServiceSid,
    to: m.to,
    from: m.from,
    body: m.body,
    status: listed ? 'sent' : m.from === null ? 'accepted' : 'queued',
    direction: 'outbound-api',
    date_created: created,
    date_sent: listed ? created : null,
    date_updated: created,
    error_code: null,
    error_message: null,
    num_segments: '1',
    num_media: '0',
    price: null,
    price_unit: 'USD',
    api_version: '2010-04-01',
    uri,
    subresource_uris: { media: uri.replace(/\.json$/, '/Media.json') },
  };
}

/**
 * One page of the message list, newest first, filtered by `To`, `From` and `DateSent` (a GMT
 * date `YYYY-MM-DD`, or a full date-time; `DateSent<` on or before, `DateSent>` on or after).
 */
export function listPage(
  all: readonly FakeSms[],
  query: URLSearchParams,
  accountSid: string,
): TwilioMessagePage {
  const filtered = all.filter((m) => matches(m, query)).sort((x, y) => y.createdAt - x.createdAt);
  const pageSize = Math.min(1000, Math.max(1, Number(query.get('PageSize') ?? 50) || 50));
  const page = Math.max(0, Math.trunc(Number(query.get('Page') ?? 0) || 0));
  const start = page * pageSize;
  const messages = filtered
    .slice(start, start + pageSize)
    .map((m) => messageResource(m, accountSid, true));
  const uriOf = (n: number) => {
    const q = new URLSearchParams(query);
    q.set('PageSize', String(pageSize));
    q.set('Page', String(n));
    q.delete('PageToken');
    if (n > 0) q.set('PageToken', `PA${(filtered[n * pageSize - 1]?.sid ?? '').slice(2)}`);
    return `${messagesPath(accountSid)}?${q}`;
  };
  const more = start + pageSize < filtered.length;
  return {
    messages,
    page,
    page_size: pageSize,
    start,
    end: start + Math.max(0, messages.length - 1),
    uri: uriOf(page),
    first_page_uri: uriOf(0),
    next_page_uri: more ? uriOf(page + 1) : null,
    previous_page_uri: page > 0 ? uriOf(page - 1) : null,
  };
}

function matches(m: FakeSms, q: URLSearchParams): boolean {
  const to = q.get('To');
  const from = q.get('From');
  if (to !== null && m.to !== to) return false;
  if (from !== null && m.from !== from) return false;
  return (
    dateMatches(q.get('DateSent'), m.createdAt, 'on') &&
    dateMatches(q.get('DateSent<'), m.createdAt, 'on-or-before') &&
    dateMatches(q.get('DateSent>'), m.createdAt, 'on-or-after')
  );
}

type DateTest = 'on' | 'on-or-before' | 'on-or-after';

function dateMatches(value: string | null, sentAt: number, test: DateTest): boolean {
  if (value === null) return true;
  // Twilio's URLs read `DateSent>=2008-01-02`: the parameter is `DateSent>`, its value `2008-…`.
  const v = value.replace(/^=/, '').trim();
  if (/^[0-9]{4}-[0-9]{2}-[0-9]{2}$/.test(v)) {
    const day = new Date(sentAt).toISOString().slice(0, 10);
    if (test === 'on') return day === v;
    return test === 'on-or-before' ? day <= v : day >= v;
  }
  const at = Date.parse(v);
  if (Number.isNaN(at)) return false;
  if (test === 'on') return Math.abs(sentAt - at) < 1000;
  return test === 'on-or-before' ? sentAt <= at : sentAt >= at;
}
