import { describe, expect, it } from 'vitest';
import {
  basicAuthorization,
  createMessageForm,
  messageListQuery,
  messagesPath,
  rfc2822,
} from '../../../src/channels/twilio/twilio-wire.js';

describe('basicAuthorization', () => {
  it('should match RFC 7617’s example and Twilio’s SID:token pair exactly', () => {
    // RFC 7617 section 2: user "Aladdin", password "open sesame".
    expect(basicAuthorization('Aladdin', 'open sesame')).toBe('Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==');
    expect(basicAuthorization('ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', 'your_auth_token')).toBe(
      'Basic QUNhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYTp5b3VyX2F1dGhfdG9rZW4=',
    );
  });
});

describe('createMessageForm', () => {
  it('should encode To, From, Body and StatusCallback as a form', () => {
    const form = createMessageForm({
      to: '+447700900123',
      sender: { from: '+15005550006' },
      body: 'Crash: 粤B12345 & co',
      statusCallback: 'https://fleetline.example/s?key=k1',
    });
    expect(form.toString()).toBe(
      'To=%2B447700900123&From=%2B15005550006&Body=Crash%3A+%E7%B2%A4B12345+%26+co&StatusCallback=https%3A%2F%2Ffleetline.example%2Fs%3Fkey%3Dk1',
    );
  });

  it('should send a Messaging Service instead of From when that is the sender', () => {
    const form = createMessageForm({
      to: '+447700900123',
      sender: { messagingServiceSid: `MG${'a'.repeat(32)}` },
      body: 'x',
    });
    expect([...form.keys()]).toEqual(['To', 'MessagingServiceSid', 'Body']);
  });
});

describe('messageListQuery', () => {
  it('should write the filters as Twilio’s own page URIs do (DateSent%3E=YYYY-MM-DD)', () => {
    const query = messageListQuery({
      to: '+123456789',
      from: '+987654321',
      sentOnOrAfter: Date.UTC(2008, 0, 2, 23, 59, 59),
      pageSize: 2,
    });
    // From the list example in Twilio's API definition (first_page_uri, less its Page=0).
    expect(`${messagesPath(`AC${'a'.repeat(32)}`)}?${query}`).toBe(
      '/2010-04-01/Accounts/ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/Messages.json?To=%2B123456789&From=%2B987654321&DateSent%3E=2008-01-02&PageSize=2',
    );
  });
});

describe('rfc2822', () => {
  it('should write GMT timestamps as Twilio does', () => {
    expect(rfc2822(Date.UTC(2019, 4, 24, 17, 44, 46))).toBe('Fri, 24 May 2019 17:44:46 +0000');
  });
});
