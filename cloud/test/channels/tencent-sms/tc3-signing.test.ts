import { describe, expect, it } from 'vitest';
import {
  parseTc3Authorization,
  tc3Authorization,
  tc3Date,
  tc3Sign,
} from '../../../src/channels/tencent-sms/tc3-signing.js';

describe('TC3-HMAC-SHA256 signing', () => {
  it('should reproduce the reference vector (service nlp, content-type and host signed)', () => {
    const signed = tc3Sign(
      {
        service: 'nlp',
        timestamp: 1632706407,
        headers: {
          'content-type': 'application/json; charset=utf-8',
          host: 'nlp.tencentcloudapi.com',
        },
        body: '{"Query":"你好，红领巾，我叫白胡子"}',
      },
      'QtXXc6HftX/LEwrSi+MR4OyVEnEslwyg',
    );
    expect(signed.credentialScope).toBe('2021-09-27/nlp/tc3_request');
    expect(signed.signedHeaders).toBe('content-type;host');
    expect(signed.signature).toBe(
      '3ec0d092a50635e6bdfcf051750d55dca5bc39e270348d8e46f928d50d3ed833',
    );
  });

  // Tencent's own example (CVM DescribeInstances); its secret key is printed masked, and the
  // published values are computed with the masked text as the key.
  const cvm = {
    service: 'cvm',
    timestamp: 1551113065,
    body: '{"Limit": 1, "Filters": [{"Values": ["\\u672a\\u547d\\u540d"], "Name": "instance-name"}]}',
  };
  const cvmKey = 'Gu5t9xGARNpq86cd98joQYCN3*******';
  const cvmHeaders = {
    'Content-Type': 'application/json; charset=utf-8',
    Host: 'cvm.tencentcloudapi.com',
  };

  it('should reproduce every step of Tencent’s documented example (content-type;host)', () => {
    const signed = tc3Sign({ ...cvm, headers: cvmHeaders }, cvmKey);
    expect(signed.canonicalRequest).toBe(
      [
        'POST',
        '/',
        '',
        'content-type:application/json; charset=utf-8',
        'host:cvm.tencentcloudapi.com',
        '',
        'content-type;host',
        '35e9c5b0e3ae67532d3c9f17ead6c90222632e5b1ff7f6e89887f1398934f064',
      ].join('\n'),
    );
    expect(signed.stringToSign).toBe(
      [
        'TC3-HMAC-SHA256',
        '1551113065',
        '2019-02-25/cvm/tc3_request',
        '5ffe6a04c0664d6b969fab9a13bdab201d63ee709638e2749d62a09ca18d7031',
      ].join('\n'),
    );
    expect(tc3Authorization('AKIDz8krbsJ5yKBZQpn74WFkmLPx3*******', signed)).toBe(
      'TC3-HMAC-SHA256 Credential=AKIDz8krbsJ5yKBZQpn74WFkmLPx3*******/2019-02-25/cvm/tc3_request, SignedHeaders=content-type;host, Signature=2230eefd229f582d8b1b891af7107b91597240707d778ab3738f756258d7652c',
    );
  });

  it('should reproduce the current revision of the example, which also signs x-tc-action', () => {
    const signed = tc3Sign(
      { ...cvm, headers: { ...cvmHeaders, 'X-TC-Action': 'DescribeInstances' } },
      cvmKey,
    );
    expect(signed.canonicalRequest).toContain(
      'host:cvm.tencentcloudapi.com\nx-tc-action:describeinstances\n\ncontent-type;host;x-tc-action\n',
    );
    expect(signed.signature).toBe(
      'be4f67d323c78ab9acb7395e43c0dbcf822a9cfac32fea2449a7bc7726b770a3',
    );
  });

  it('should take the credential date in UTC, not local time', () => {
    // 2019-02-26 07:59:59 in Beijing is still the 25th in UTC.
    expect(tc3Date(Date.parse('2019-02-26T07:59:59+08:00') / 1000)).toBe('2019-02-25');
    expect(tc3Date(Date.parse('2019-02-26T08:00:00+08:00') / 1000)).toBe('2019-02-26');
  });

  it('should change the signature with the key, the body, the host or the service', () => {
    const base = { ...cvm, headers: cvmHeaders };
    const reference = tc3Sign(base, cvmKey).signature;
    const others = [
      tc3Sign(base, `${cvmKey}x`),
      tc3Sign({ ...base, body: `${cvm.body} ` }, cvmKey),
      tc3Sign({ ...base, headers: { ...cvmHeaders, Host: 'sms.tencentcloudapi.com' } }, cvmKey),
      tc3Sign({ ...base, service: 'sms' }, cvmKey),
    ].map((s) => s.signature);
    for (const other of others) expect(other).not.toBe(reference);
  });

  it('should refuse to sign without the content-type or host header', () => {
    expect(() => tc3Sign({ ...cvm, headers: { host: 'cvm.tencentcloudapi.com' } }, cvmKey)).toThrow(
      /content-type/,
    );
    expect(() =>
      tc3Sign({ ...cvm, headers: { 'content-type': 'application/json' } }, cvmKey),
    ).toThrow(/host/);
  });

  it('should read back the Authorization header it writes, and nothing else', () => {
    const signed = tc3Sign({ ...cvm, headers: cvmHeaders }, cvmKey);
    expect(parseTc3Authorization(tc3Authorization('AKIDexample', signed))).toEqual({
      secretId: 'AKIDexample',
      date: '2019-02-25',
      service: 'cvm',
      signedHeaders: ['content-type', 'host'],
      signature: signed.signature,
    });
    for (const bad of [
      undefined,
      '',
      `HMAC-SHA256 Credential=AKIDexample/2019-02-25/cvm/tc3_request, SignedHeaders=host, Signature=${signed.signature}`,
      'TC3-HMAC-SHA256 Credential=AKIDexample/2019-02-25/cvm/tc3_request, SignedHeaders=host, Signature=abc',
      `TC3-HMAC-SHA256 Credential=AKIDexample/2019-02-25/cvm, SignedHeaders=host, Signature=${signed.signature}`,
    ])
      expect(parseTc3Authorization(bad)).toBeUndefined();
  });
});
