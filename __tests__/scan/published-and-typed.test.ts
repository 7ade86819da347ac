import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { BUILTIN_RULES } from '../../src/rules/index.js';
import { ALNUM, HEX } from '../../src/rules/alphabets.js';
import { Engine } from '../../src/scan/engine.js';
import { isKnownPublic, isListedDigest, KNOWN_PUBLIC_DIGESTS } from '../../src/scan/known-public.js';
import { isTypedPattern } from '../../src/scan/placeholder.js';
import { seededGen, testSeed } from '../helpers/sample-gen.js';

const engine = new Engine(BUILTIN_RULES);
const gen = seededGen(testSeed());
const ids = (path: string, text: string): string[] => engine.scan({ path, text, source: 'file' }).map((f) => f.ruleId);
const googleKey = (): string => `AIzaSy${gen.chars(`${ALNUM}_-`, 33)}`;

describe('values their owners publish on purpose', () => {
  it('lists digests, never the values themselves', () => {
    expect(KNOWN_PUBLIC_DIGESTS.size).toBeGreaterThan(0);
    for (const d of KNOWN_PUBLIC_DIGESTS) expect(d).toMatch(/^[0-9a-f]{64}$/);
  });

  it('matches a value by the digest of the whole value only', () => {
    const value = googleKey();
    const digests = new Set([createHash('sha256').update(value).digest('hex')]);
    expect(isListedDigest(digests, value)).toBe(true);
    expect(isListedDigest(digests, value.slice(0, -1))).toBe(false);
    expect(isListedDigest(digests, `${value}x`)).toBe(false);
  });

  it('still reports every other Google API key', () => {
    for (let i = 0; i < 20; i++) {
      const key = googleKey();
      expect(isKnownPublic(key)).toBe(false);
      expect(ids('src/maps.js', `const key = "${key}";\n`)).toContain('google-api-key');
    }
  });
});

describe('bodies typed by hand after a provider prefix', () => {
  it('counts letters and digits interleaved after the prefix (`shpss_a1b2c3…`)', () => {
    const counted = 'a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6';
    expect(isTypedPattern(`shpss_${counted}`)).toBe(true);
    expect(ids('shop.env', `SHOPIFY_CLIENT_SECRET=shpss_${counted}\n`)).toEqual([]);
    expect(ids('shop.env', `SHOPIFY_CLIENT_SECRET=shpss_${gen.chars(HEX, 32)}\n`)).toContain('shopify-shared-secret');
  });

  it('treats a value padded with a count at its end as made up (`…abc123456`)', () => {
    const body = gen.chars(ALNUM, 90);
    expect(isTypedPattern(`sk_live_${body}abc123456`)).toBe(true);
    expect(ids('pay.env', `STRIPE_KEY=sk_live_${body}abc123456\n`)).toEqual([]);
    // A count of five at the end is a random draw once in 15 million (base62): not enough to call typed.
    expect(isTypedPattern('sk_live_' + 'Q7x'.repeat(30) + '12345')).toBe(false);
  });

  it('keeps random bodies: no trailing count in 20,000 random base62 or hex keys', () => {
    let typed = 0;
    for (let i = 0; i < 10_000; i++) {
      if (isTypedPattern(`sk_live_${gen.chars(ALNUM, 99)}`)) typed++;
      if (isTypedPattern(gen.chars(HEX, 40))) typed++;
    }
    expect(typed).toBe(0);
  });
});

describe('a key cut off by a character its format has no room for', () => {
  it('does not report the part of a dashed key that looks like a Stripe key', () => {
    const dashed = `sk_live_${gen.chars(ALNUM, 26)}-${gen.chars(ALNUM, 60)}`;
    expect(ids('app.log', `[DEBUG] Using Key=${dashed}\n`)).not.toContain('stripe-live-secret-key');
  });

  it('does not read a JWT header after `Basic` as user:password', () => {
    const b64url = (o: object): string => Buffer.from(JSON.stringify(o)).toString('base64url');
    const jwt = `${b64url({ alg: 'HS256', typ: 'JWT' })}.${b64url({ confidence: 0.8 })}.${gen.chars(`${ALNUM}_-`, 43)}`;
    expect(ids('run.sh', `curl -H "Authorization: Basic ${jwt}" https://api.corp-tools.io\n`)).not.toContain('http-basic-auth-header');
  });
});

describe('names written in one piece', () => {
  it('reads `vultrapikey` as a key name, whose value never holds a `?`', () => {
    const value = `${gen.chars(ALNUM, 10)}?${gen.chars(ALNUM, 25)}`;
    expect(ids('settings.py', `vultrapikey = '${value}'\n`)).toEqual([]);
    expect(ids('settings.py', `vultrapikey = '${gen.chars(ALNUM, 36)}'\n`)).toContain('generic-credential');
    // A password is chosen by a person and may hold one.
    expect(ids('settings.py', `dbpassword = '${value}'\n`)).toContain('generic-credential');
  });
});

describe('the generic rule leaves a provider its own values', () => {
  it('stays quiet on a value of the wrong shape under a provider name whose formats a rule covers', () => {
    expect(ids('deploy.env', `WANDB_API_KEY=${gen.chars(HEX, 34)}\n`)).toEqual([]);
    expect(ids('deploy.env', `MERAKI_API_KEY=${gen.chars(ALNUM, 40)}\n`)).toEqual([]);
    // The same value under a name that is nobody's is the generic rule's.
    expect(ids('deploy.env', `SERVICE_API_KEY=${gen.chars(ALNUM, 40)}\n`)).toEqual(['generic-credential']);
  });

  it('stays quiet on a value that starts with a prefix a rule owns and fails its structure', () => {
    expect(ids('deploy.env', `DB_TOKEN=sbp_${gen.chars(ALNUM, 12)}\n`)).toEqual([]);
    expect(ids('deploy.env', `DB_TOKEN=sbp_${gen.chars(HEX, 40)}\n`)).toContain('supabase-access-token');
  });

  it('still judges passwords under a provider name: a person chose them, no format says what they are', () => {
    expect(ids('deploy.env', `TELEGRAM_DB_PASSWORD=${gen.chars(ALNUM, 20)}\n`)).toEqual(['generic-credential']);
  });
});

describe('the example credentials of the OAuth RFCs', () => {
  // Written backwards, so that no scanner reads these public examples in this file as keys.
  const rfc = (reversed: string): string => [...reversed].reverse().join('');
  const examples = [
    `{"access_token":"${rfc('AApWMcisCz1rjEFZFntoY2')}", "refresh_token":"${rfc('AIWKlT2xQ5GX0FkOJ3vzGt')}"}\n`,
    `Authorization: Basic ${rfc('WJ2M0FmQmFDWnpzM0F3aSRGaCZzc')}\n`,
    `// "Basic ${rfc('==QZtF2clNHIuVGcvpjbpRGZhxWQ')}" returns ("Aladdin", "open sesame", true).\n`,
    `client_secret = "${rfc('wImdVfnbRDtK1rBZ0pfjF7')}"\n`,
    `oauth_token="${rfc('7urlk337djj081da')}", oauth_consumer_key="${rfc('30l3k4l2p3f34fpd')}"\n`,
    `consumer_secret = "${rfc('djd92j3ks94j')}"\ntoken_secret = "${rfc('9hisadh398hd')}"\n`,
  ];

  it('reports none of them', () => {
    for (const text of examples) expect(ids('oauthlib/parameters.py', text)).toEqual([]);
  });

  it('still reports a value of the same shape in the same place', () => {
    expect(ids('oauthlib/parameters.py', `{"access_token":"${gen.chars(ALNUM, 22)}"}\n`)).toContain('generic-credential');
    expect(ids('oauthlib/parameters.py', `oauth_token="${gen.chars('abcdefghijklmnopqrstuvwxyz0123456789', 16)}"\n`)).toContain('generic-credential');
  });
});
