import { describe, expect, it } from 'vitest';
import { amzDate, signingKey, signV4 } from '../../src/verify/sigv4.js';

/**
 * AWS's published Signature Version 4 examples (the SigV4 test suite and the signing walkthrough in the
 * IAM User Guide). The example secret is AWS's documented placeholder, assembled from parts so the
 * repository holds no 40-character key-shaped literal.
 */
const EXAMPLE = {
  accessKeyId: 'AKID' + 'EXAMPLE',
  secretAccessKey: ['wJalrXUtnFEMI', '/K7MDENG+bPxRfiCY', 'EXAMPLE', 'KEY'].join(''),
};
const WHEN = new Date('2015-08-30T12:36:00Z');
const suite = { region: 'us-east-1', service: 'service', date: WHEN };

describe('SigV4', () => {
  it('formats the signing time as AWS does', () => {
    expect(amzDate(WHEN)).toBe('20150830T123600Z');
  });

  it('derives the signing key of the published walkthrough', () => {
    expect(signingKey(EXAMPLE.secretAccessKey, '20150830', 'us-east-1', 'iam').toString('hex')).toBe(
      'c4afb1cc5771d871763a393e44b703571b55cc28424d1a5e86da6ed3c154a4b9',
    );
  });

  it('signs the test suite get-vanilla request', () => {
    const signed = signV4({ method: 'GET', url: new URL('https://example.amazonaws.com/'), headers: {}, body: '' }, EXAMPLE, suite);
    expect(signed.headers['authorization']).toBe(
      'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, ' +
        'Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31',
    );
    expect(signed.headers['x-amz-date']).toBe('20150830T123600Z');
  });

  it('signs post-vanilla (an empty body hashes as the empty string)', () => {
    const signed = signV4({ method: 'POST', url: new URL('https://example.amazonaws.com/'), headers: {}, body: '' }, EXAMPLE, suite);
    expect(signed.signature).toBe('5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b');
  });

  it('sorts query parameters (get-vanilla-query-order-key-case)', () => {
    const url = new URL('https://example.amazonaws.com/?Param2=value2&Param1=value1');
    const signed = signV4({ method: 'GET', url, headers: {}, body: '' }, EXAMPLE, suite);
    expect(signed.signature).toBe('b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500');
  });

  it('signs the IAM ListUsers walkthrough, with a signed content-type like the STS check', () => {
    const signed = signV4(
      {
        method: 'GET',
        url: new URL('https://iam.amazonaws.com/?Action=ListUsers&Version=2010-05-08'),
        headers: { 'Content-Type': 'application/x-www-form-urlencoded; charset=utf-8' },
        body: '',
      },
      EXAMPLE,
      { region: 'us-east-1', service: 'iam', date: WHEN },
    );
    expect(signed.stringToSign.split('\n').at(-1)).toBe('f536975d06c0309214f805bb90ccff089219ecd68b2577efef23edd43b7e1a59');
    expect(signed.signature).toBe('5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7');
    expect(signed.headers['authorization']).toContain('SignedHeaders=content-type;host;x-amz-date,');
  });

  it('changes the signature when the secret changes', () => {
    const request = { method: 'GET', url: new URL('https://example.amazonaws.com/'), headers: {}, body: '' };
    const other = { ...EXAMPLE, secretAccessKey: EXAMPLE.secretAccessKey.replace('w', 'v') };
    expect(signV4(request, other, suite).signature).not.toBe(signV4(request, EXAMPLE, suite).signature);
  });
});
