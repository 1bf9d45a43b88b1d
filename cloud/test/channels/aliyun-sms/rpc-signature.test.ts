import { describe, expect, it } from 'vitest';
import {
  canonicalQuery,
  encodedParams,
  percentEncode,
  rpcSignature,
  signedParams,
  stringToSign,
} from '../../../src/channels/aliyun-sms/rpc-signature.js';

/** The SendSms request of Aliyun's signature documentation (AccessKey testId / testSecret). */
const documented = {
  AccessKeyId: 'testId',
  Action: 'SendSms',
  Format: 'XML',
  OutId: '123',
  PhoneNumbers: '15300000001',
  RegionId: 'cn-hangzhou',
  SignName: '阿里云短信测试专用',
  SignatureMethod: 'HMAC-SHA1',
  SignatureNonce: '45e25e9b-0a6f-4070-8c85-2956eda1b466',
  SignatureVersion: '1.0',
  TemplateCode: 'SMS_71390007',
  TemplateParam: '{"customer":"test"}',
  Timestamp: '2017-07-12T02:42:19Z',
  Version: '2017-05-25',
};

describe('RPC signature V1 (HMAC-SHA1)', () => {
  it('should build the documented string to sign, exactly', () => {
    expect(stringToSign('GET', documented)).toBe(
      'GET&%2F&AccessKeyId%3DtestId%26Action%3DSendSms%26Format%3DXML%26OutId%3D123%26PhoneNumbers%3D15300000001%26RegionId%3Dcn-hangzhou%26SignName%3D%25E9%2598%25BF%25E9%2587%258C%25E4%25BA%2591%25E7%259F%25AD%25E4%25BF%25A1%25E6%25B5%258B%25E8%25AF%2595%25E4%25B8%2593%25E7%2594%25A8%26SignatureMethod%3DHMAC-SHA1%26SignatureNonce%3D45e25e9b-0a6f-4070-8c85-2956eda1b466%26SignatureVersion%3D1.0%26TemplateCode%3DSMS_71390007%26TemplateParam%3D%257B%2522customer%2522%253A%2522test%2522%257D%26Timestamp%3D2017-07-12T02%253A42%253A19Z%26Version%3D2017-05-25',
    );
  });

  it('should reproduce the documented signature, and its encoded form in the URL', () => {
    expect(rpcSignature('testSecret', 'GET', documented)).toBe('zJDF+Lrzhj/ThnlvIToysFRq6t4=');
    expect(percentEncode(rpcSignature('testSecret', 'GET', documented))).toBe(
      'zJDF%2BLrzhj%2FThnlvIToysFRq6t4%3D',
    );
  });

  it('should sign without the Signature parameter, whatever order the parameters come in', () => {
    const reversed = Object.fromEntries(Object.entries(documented).reverse());
    const withSignature = { ...reversed, Signature: 'anything' };
    expect(rpcSignature('testSecret', 'GET', withSignature)).toBe('zJDF+Lrzhj/ThnlvIToysFRq6t4=');
    expect(canonicalQuery(withSignature)).not.toContain('Signature=');
  });

  it('should sign the method: the same parameters POSTed sign differently', () => {
    expect(stringToSign('POST', documented).startsWith('POST&%2F&AccessKeyId%3DtestId')).toBe(true);
    expect(rpcSignature('testSecret', 'POST', documented)).not.toBe('zJDF+Lrzhj/ThnlvIToysFRq6t4=');
  });

  it('should percent-encode per RFC 3986: %20 for space, %2A for *, ~ kept', () => {
    expect(percentEncode("a b*c~d!e'f(g)h+i/j=k&l")).toBe(
      'a%20b%2Ac~d%21e%27f%28g%29h%2Bi%2Fj%3Dk%26l',
    );
    expect(percentEncode('-_.~AZaz09')).toBe('-_.~AZaz09');
    expect(percentEncode('深')).toBe('%E6%B7%B1');
  });

  it('should sort names by code unit, as Aliyun does (capitals before small letters)', () => {
    expect(canonicalQuery({ b: '1', B: '2', a: '3', A: '4' })).toBe('A=4&B=2&a=3&b=1');
  });

  it('should add the Signature and encode the parameters as they were signed', () => {
    const signed = signedParams('testSecret', 'GET', documented);
    expect(signed.Signature).toBe('zJDF+Lrzhj/ThnlvIToysFRq6t4=');
    const encoded = encodedParams(signed);
    expect(encoded).toContain('Signature=zJDF%2BLrzhj%2FThnlvIToysFRq6t4%3D');
    expect(encoded).toContain('TemplateParam=%7B%22customer%22%3A%22test%22%7D');
    expect(Object.fromEntries(new URLSearchParams(encoded))).toEqual(signed);
  });
});
