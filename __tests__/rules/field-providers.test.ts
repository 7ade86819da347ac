import { describe, expect, it } from 'vitest';
import { BUILTIN_RULES } from '../../src/rules/index.js';
import { validAgeSecretKey } from '../../src/rules/services.js';
import { looksMadeUp } from '../../src/rules/made-up.js';
import { Engine, secretOf } from '../../src/scan/engine.js';
import type { Rule } from '../../src/scan/types.js';
import { seededGen, testSeed } from '../helpers/sample-gen.js';

/*
 * The structure checks of the field providers' rules (observability, devops, platforms, data, email,
 * identity, commerce, productivity, services): what the catalogue test cannot show is that a value with
 * the right shape but a broken structure is dropped, by the rule and by the generic rule after it.
 */

const engine = new Engine(BUILTIN_RULES);
const seed = testSeed();
const scan = (text: string, path = 'config.env') => engine.scan({ path, text, source: 'file' });
const rule = (id: string): Rule => BUILTIN_RULES.find((r) => r.id === id) as Rule;
const sample = (id: string, n: number): string => rule(id).samples.secret(seededGen(seed ^ n));

/** One character changed, keeping the character class so only the structure breaks. */
function flip(value: string, at: number): string {
  const c = value[at] as string;
  const next = /[0-9]/.test(c) ? String((Number(c) + 1) % 10) : c === 'a' ? 'b' : c === 'A' ? 'B' : /[a-z]/.test(c) ? 'a' : 'A';
  return value.slice(0, at) + next + value.slice(at + 1);
}

describe(`field provider structure checks (seed ${seed})`, () => {
  it('reports a Cloudflare token whose CRC32 holds, and nothing when one body character changes', () => {
    const token = sample('cloudflare-api-token', 1);
    const found = scan(`CLOUDFLARE_API_TOKEN=${token}\n`);
    expect(found.map((f) => f.ruleId)).toEqual(['cloudflare-api-token']);
    expect(secretOf(found[0]!) === token).toBe(true);
    // Neither the Cloudflare rule nor the generic rule reports the broken one.
    expect(scan(`CLOUDFLARE_API_TOKEN=${flip(token, token.indexOf('_') + 5)}\n`)).toEqual([]);
  });

  it('checks the bech32 checksum of age secret keys', () => {
    const key = sample('age-secret-key', 2);
    expect(validAgeSecretKey(key)).toBe(true);
    expect(scan(`# created: 2026-01-01\n${key}\n`, 'keys.txt').map((f) => f.ruleId)).toEqual(['age-secret-key']);
    const broken = `${key.slice(0, 20)}${key[20] === 'Q' ? 'P' : 'Q'}${key.slice(21)}`;
    expect(validAgeSecretKey(broken)).toBe(false);
    expect(scan(`${broken}\n`, 'keys.txt')).toEqual([]);
  });

  it('requires the claim set of a Sentry org token to decode to JSON with an issue time', () => {
    const token = sample('sentry-org-token', 3);
    expect(scan(`SENTRY_AUTH_TOKEN=${token}\n`).map((f) => f.ruleId)).toEqual(['sentry-org-token']);
    const claims = Buffer.from(JSON.stringify({ url: 'https://sentry.io', org: 'acme' })).toString('base64');
    const noIat = `sntrys_${claims}_${token.slice(-43)}`;
    expect(scan(`SENTRY_AUTH_TOKEN=${noIat}\n`).filter((f) => f.ruleId === 'sentry-org-token')).toEqual([]);
  });

  it('requires a JFrog reference token to decode to a reftkn header', () => {
    const token = sample('jfrog-reference-token', 4);
    expect(Buffer.from(token, 'base64').toString('latin1')).toMatch(/^reftkn:01:[0-9]{10}:/);
    expect(scan(`ARTIFACTORY_TOKEN=${token}\n`).map((f) => f.ruleId)).toEqual(['jfrog-reference-token']);
  });

  it('drops typed fillers of the right shape but keeps random bodies', () => {
    expect(looksMadeUp('abcdefghijklmnopqrstuvwxyz0123456789')).toBe(true);
    expect(looksMadeUp('x12345678y')).toBe(true);
    expect(looksMadeUp('5Aep861AAAABBBBCCCCjcNqfo')).toBe(true);
    // Base64 of binary data has runs of zero bytes (`AAAA`); only counting runs count there.
    expect(looksMadeUp('lJPECAAAAAAAAMDmxBCAAAAAAAAx', true)).toBe(false);
    const gen = seededGen(seed ^ 5);
    const flagged: string[] = [];
    for (let i = 0; i < 3000; i++) {
      const body = gen.chars(gen.pick(['0123456789abcdef', '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz']), gen.int(20, 80));
      if (looksMadeUp(body)) flagged.push(body);
    }
    expect(flagged).toEqual([]);
    expect(scan('PULUMI_ACCESS_TOKEN=pul-0123456789abcdef0123456789abcdef01234567\n')).toEqual([]);
  });

  it('reads a name-keyed key in prose-like YAML but not a lookalike name', () => {
    const key = sample('ngrok-authtoken', 6);
    expect(scan(`ngrok token: ${key}\n`, 'notes.yml').map((f) => f.ruleId)).toEqual(['ngrok-authtoken']);
    const hex = sample('datadog-api-key', 7);
    // `dd_` must start the name: `add_key` is not Datadog's.
    expect(scan(`add_key = "${hex}"\n`, 'app.py').filter((f) => f.ruleId === 'datadog-api-key')).toEqual([]);
    expect(scan(`DD_API_KEY=${hex}\n`).filter((f) => f.ruleId === 'datadog-api-key').length).toBe(1);
  });

  it('does not read cache-busted file names or URL slugs as keys', () => {
    const text = [
      '<link rel="icon" href="/static/favicon.ico-3f2a9c0e4b7d1a6f8e5c2b9d0a7f4e1c.png">',
      'https://acme.notion.site/API-BD80F56CDC1441E6BF6011AB6D852875',
    ].join('\n');
    expect(scan(text, 'index.html').filter((f) => ['infracost-api-key', 'octopus-deploy-api-key'].includes(f.ruleId))).toEqual([]);
  });
});
