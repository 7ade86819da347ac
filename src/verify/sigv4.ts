import { createHash, createHmac } from 'node:crypto';

/**
 * AWS Signature Version 4, written out so the live check needs no AWS SDK. Only what the STS check uses
 * is supported: header-signed requests with a known body, unreserved-only paths, no session token.
 */

export interface SigV4Request {
  method: string;
  url: URL;
  /** Headers to sign; `host` and `x-amz-date` are added when absent. Names are case-insensitive. */
  headers: Record<string, string>;
  body: string;
}

export interface SigV4Credentials {
  accessKeyId: string;
  secretAccessKey: string;
}

export interface SigV4Scope {
  region: string;
  service: string;
  /** The signing time. */
  date: Date;
}

export interface SigV4Result {
  /** Every header to send, lowercase names, including `authorization`. */
  headers: Record<string, string>;
  canonicalRequest: string;
  stringToSign: string;
  signature: string;
}

const ALGORITHM = 'AWS4-HMAC-SHA256';

/** `20150830T123600Z`: the basic ISO 8601 form SigV4 requires. */
export function amzDate(date: Date): string {
  return date.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

function sha256Hex(data: string): string {
  return createHash('sha256').update(data, 'utf8').digest('hex');
}

function hmac(key: Buffer | string, data: string): Buffer {
  return createHmac('sha256', key).update(data, 'utf8').digest();
}

/** RFC 3986 encoding as SigV4 wants it: everything but unreserved characters, uppercase hex. */
function uriEncode(s: string): string {
  return encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** Parameters sorted by encoded name, then encoded value. */
function canonicalQuery(url: URL): string {
  const pairs = [...url.searchParams].map(([k, v]) => [uriEncode(k), uriEncode(v)] as const);
  pairs.sort(([ak, av], [bk, bv]) => (ak < bk ? -1 : ak > bk ? 1 : av < bv ? -1 : av > bv ? 1 : 0));
  return pairs.map(([k, v]) => `${k}=${v}`).join('&');
}

/** The key derived from the secret for one day, region and service. */
export function signingKey(secretAccessKey: string, day: string, region: string, service: string): Buffer {
  const kDate = hmac(`AWS4${secretAccessKey}`, day);
  return hmac(hmac(hmac(kDate, region), service), 'aws4_request');
}

/**
 * Signs a request with SigV4 and returns the headers to send. Header values are trimmed and inner
 * runs of spaces collapsed, as the canonical form requires.
 */
export function signV4(request: SigV4Request, credentials: SigV4Credentials, scope: SigV4Scope): SigV4Result {
  const stamp = amzDate(scope.date);
  const day = stamp.slice(0, 8);
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) headers[name.toLowerCase()] = value.trim().replace(/ +/g, ' ');
  headers['host'] ??= request.url.host;
  headers['x-amz-date'] ??= stamp;

  const names = Object.keys(headers).sort();
  const signedHeaders = names.join(';');
  const canonicalHeaders = names.map((n) => `${n}:${headers[n] as string}\n`).join('');
  const canonicalRequest = [
    request.method.toUpperCase(),
    request.url.pathname === '' ? '/' : request.url.pathname,
    canonicalQuery(request.url),
    canonicalHeaders,
    signedHeaders,
    sha256Hex(request.body),
  ].join('\n');

  const credentialScope = `${day}/${scope.region}/${scope.service}/aws4_request`;
  const stringToSign = [ALGORITHM, stamp, credentialScope, sha256Hex(canonicalRequest)].join('\n');
  const signature = createHmac('sha256', signingKey(credentials.secretAccessKey, day, scope.region, scope.service))
    .update(stringToSign, 'utf8')
    .digest('hex');

  headers['authorization'] =
    `${ALGORITHM} Credential=${credentials.accessKeyId}/${credentialScope}, SignedHeaders=${signedHeaders}, Signature=${signature}`;
  return { headers, canonicalRequest, stringToSign, signature };
}
