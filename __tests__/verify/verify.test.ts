import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { BUILTIN_RULES } from '../../src/rules/index.js';
import type { Finding, Rule } from '../../src/scan/types.js';
import { KEY_CHECKS, checkFor } from '../../src/verify/checks.js';
import { guardRequest, USER_AGENT, verifyFindings, type VerifyOptions } from '../../src/verify/verify.js';
import type { KeyCheck } from '../../src/verify/types.js';
import { seededGen, testSeed } from '../helpers/sample-gen.js';
import { FakeProviders } from './fake-providers.js';
import { awsIdRule, awsSecretRule, awsPair, keyFinding, longTermAwsId, rulesFor, scanFile } from './samples.js';

const fake = new FakeProviders();
const seed = testSeed();
let n = 0;
/** A fresh generator per call, reproducible from the seed. */
const gen = () => seededGen(seed ^ (0x9e3779b9 * ++n));

beforeAll(() => fake.start());
afterAll(() => fake.stop());
beforeEach(() => fake.reset());

function options(over: Partial<VerifyOptions> = {}): VerifyOptions & { lines: string[] } {
  const lines: string[] = [];
  return { transport: fake.transport, log: (l) => lines.push(l), lines, ...over };
}

const checkOf = (provider: string): KeyCheck => {
  const check = KEY_CHECKS.find((c) => c.provider === provider);
  if (check === undefined) throw new Error(provider);
  return check;
};

/** Every string a request carried, to search for keys and for anything about the repository. */
const carried = (s: { url: string; headers: Record<string, string>; body?: string }): string =>
  [s.url, ...Object.entries(s.headers).flat(), s.body ?? ''].join('\n');

/** A live and a dead key for each rule `check` tests (AWS keys with their secret, as pairs in one file). */
function liveAndDead(check: KeyCheck): { live: Finding[]; dead: Finding[]; keys: string[] } {
  if (check.provider === 'aws') {
    const live = awsPair(gen(), 'deploy/live.env');
    const dead = awsPair(gen(), 'deploy/dead.env');
    fake.keys.set(live.id, 'live');
    fake.awsSecrets.set(live.id, live.secret);
    return { live: live.found, dead: dead.found, keys: [live.id, live.secret, dead.id, dead.secret] };
  }
  const out: { live: Finding[]; dead: Finding[]; keys: string[] } = { live: [], dead: [], keys: [] };
  for (const rule of rulesFor(check)) {
    const live = keyFinding(rule, gen(), `src/${rule.id}-live.ts`);
    const dead = keyFinding(rule, gen(), `src/${rule.id}-dead.ts`);
    fake.keys.set(live.key, 'live');
    out.live.push(live.finding);
    out.dead.push(dead.finding);
    out.keys.push(live.key, dead.key);
  }
  return out;
}

/** The first rule a check tests. */
const ruleFor = (check: KeyCheck) => rulesFor(check)[0] as Rule;

describe('verifyFindings against each provider', () => {
  for (const check of KEY_CHECKS) {
    it(`${check.provider}: sends keys only to ${check.host} and reads live and dead answers`, async () => {
      const { live, dead, keys } = liveAndDead(check);
      const opts = options();
      await verifyFindings([...live, ...dead], opts);

      for (const f of live) expect(f.verification?.status, `${f.ruleId} live`).toBe('live');
      // gitlab.com or github.com refusing a token proves nothing: self-managed GitLab and GitHub
      // Enterprise Server issue the same formats.
      const deadStatus = check.provider === 'gitlab' || check.provider === 'github' ? 'unknown' : 'revoked';
      for (const f of dead) expect(f.verification?.status, `${f.ruleId} dead: ${f.verification?.reason}`).toBe(deadStatus);

      // One request per key (pair), each to the provider's own host over HTTPS, each delivered.
      expect(fake.sent).toHaveLength(live.length + dead.length - (check.provider === 'aws' ? 2 : 0));
      expect(fake.received).toHaveLength(fake.sent.length);
      for (const sent of fake.sent) {
        const url = new URL(sent.url);
        expect(url.protocol).toBe('https:');
        expect(url.host).toBe(check.host);
      }
      // Nothing but the credential and fixed headers: no repository, path or fingerprint.
      for (const sent of fake.sent) {
        expect(sent.headers['user-agent']).toBe(USER_AGENT);
        const text = carried(sent);
        for (const f of [...live, ...dead]) {
          expect(text).not.toContain(f.file);
          expect(text).not.toContain(f.fingerprint);
        }
      }
      for (const line of opts.lines) for (const key of keys) expect(line).not.toContain(key);
    });
  }

  it('never sends a key to a host other than its own provider, with every provider in one run', async () => {
    const all = KEY_CHECKS.map((check) => ({ check, ...liveAndDead(check) }));
    const opts = options({ maxChecks: 100 });
    await verifyFindings(all.flatMap((a) => [...a.live, ...a.dead]), opts);

    expect(fake.sent).toHaveLength(all.reduce((n, a) => n + a.keys.length, 0) - 2);
    for (const sent of fake.sent) {
      const text = carried(sent);
      for (const { check, keys } of all) {
        // AWS sends the key id, never the secret: the signature proves it.
        for (const key of keys) if (text.includes(key)) expect(new URL(sent.url).host, `${check.provider} key`).toBe(check.host);
      }
    }
    const awsKeys = all.find((a) => a.check.provider === 'aws')?.keys ?? [];
    const awsSecrets = [awsKeys[1], awsKeys[3]].filter((k) => k !== undefined);
    expect(awsSecrets).toHaveLength(2);
    for (const sent of fake.sent) for (const secret of awsSecrets) expect(carried(sent)).not.toContain(secret);
    const log = opts.lines.join('\n');
    for (const { keys } of all) for (const key of keys) expect(log).not.toContain(key);
  });
});

describe('provider-specific answers', () => {
  async function verdictOf(provider: string, state: 'limited' | 'live'): Promise<Finding['verification']> {
    const { key, finding } = keyFinding(ruleFor(checkOf(provider)), gen());
    fake.keys.set(key, state);
    await verifyFindings([finding], options());
    return finding.verification;
  }

  it('GitHub: a 403 after authenticating (app tokens cannot read /user) is live', async () => {
    expect(await verdictOf('github', 'limited')).toMatchObject({ status: 'live' });
  });

  it('GitHub: a 403 with the rate limit spent is unknown', async () => {
    fake.overrides.set('api.github.com', { status: 403, headers: { 'x-ratelimit-remaining': '0' } });
    expect(await verdictOf('github', 'live')).toEqual({ status: 'unknown', reason: 'rate limited' });
  });

  it('OpenAI: a restricted key missing the models scope is live, not revoked', async () => {
    expect(await verdictOf('openai', 'limited')).toMatchObject({ status: 'live' });
  });

  it('Anthropic: permission_error (403) is live', async () => {
    expect(await verdictOf('anthropic', 'limited')).toMatchObject({ status: 'live' });
  });

  it('Stripe: a restricted key without balance access (403) is live', async () => {
    expect(await verdictOf('stripe', 'limited')).toMatchObject({ status: 'live' });
  });

  it('SendGrid: 403 is live but limited', async () => {
    expect(await verdictOf('sendgrid', 'limited')).toMatchObject({ status: 'live' });
  });

  it('Slack: ok:false with token_revoked is revoked, even with HTTP 200', async () => {
    expect(await verdictOf('slack', 'limited')).toEqual({ status: 'revoked', reason: 'Slack rejected the token (token_revoked)' });
  });

  it('Slack: ok:false ratelimited is unknown', async () => {
    fake.overrides.set('slack.com', { status: 200, body: { ok: false, error: 'ratelimited' } });
    expect(await verdictOf('slack', 'live')).toEqual({ status: 'unknown', reason: 'rate limited' });
  });

  it('xAI: a key the provider reports disabled is revoked', async () => {
    expect(await verdictOf('xai', 'limited')).toMatchObject({ status: 'revoked' });
  });

  it('OpenAI: a 403 (a country restriction, not the key) is unknown', async () => {
    fake.overrides.set('api.openai.com', { status: 403, body: { error: { code: 'unsupported_country_region_territory' } } });
    expect(await verdictOf('openai', 'live')).toMatchObject({ status: 'unknown' });
  });

  it('a reason never quotes the provider body, which may echo part of the key', async () => {
    const { key, finding } = keyFinding(ruleFor(checkOf('slack')), gen());
    fake.overrides.set('slack.com', { status: 200, body: { ok: false, error: `bad token ${key}` } });
    await verifyFindings([finding], options());
    expect(finding.verification).toEqual({ status: 'unknown', reason: 'Slack refused without a reason' });
  });
});

describe('failures are unknown, with the reason', () => {
  const github = () => keyFinding(ruleFor(checkOf('github')), gen());

  it('429 is rate limited', async () => {
    fake.overrides.set('api.github.com', { status: 429 });
    const { finding } = github();
    await verifyFindings([finding], options());
    expect(finding.verification).toEqual({ status: 'unknown', reason: 'rate limited' });
  });

  it('5xx names the server error', async () => {
    fake.overrides.set('api.github.com', { status: 503 });
    const { finding } = github();
    await verifyFindings([finding], options());
    expect(finding.verification).toEqual({ status: 'unknown', reason: 'GitHub server error (HTTP 503)' });
  });

  it('a provider slower than the timeout is unknown, and the request is not retried', async () => {
    fake.overrides.set('api.github.com', { status: 200, delayMs: 1_000 });
    const { finding } = github();
    await verifyFindings([finding], options({ timeoutMs: 50 }));
    expect(finding.verification).toEqual({ status: 'unknown', reason: 'no answer within 0.05 s' });
    expect(fake.sent).toHaveLength(1);
  });

  it('a network error is unknown with its code, and not retried', async () => {
    const { finding } = github();
    let calls = 0;
    const refused: VerifyOptions['transport'] = async () => {
      calls++;
      throw new TypeError('fetch failed', { cause: Object.assign(new Error('connect'), { code: 'ECONNREFUSED' }) });
    };
    await verifyFindings([finding], options({ transport: refused }));
    expect(finding.verification).toEqual({ status: 'unknown', reason: 'network error (ECONNREFUSED)' });
    expect(calls).toBe(1);
  });

  it('a redirect is not followed: the key would reach a host nobody vetted', async () => {
    fake.overrides.set('api.github.com', { status: 302, headers: { location: 'https://elsewhere.invalid/collect' } });
    const { finding } = github();
    await verifyFindings([finding], options());
    expect(finding.verification).toEqual({ status: 'unknown', reason: 'redirected (HTTP 302); not followed' });
    expect(fake.sent.map((s) => new URL(s.url).host)).toEqual(['api.github.com']);
    expect(fake.received).toHaveLength(1);
  });
});

describe('limits', () => {
  it('checks at most 20 keys per run; the rest are unknown "check limit reached"', async () => {
    const rule = ruleFor(checkOf('github'));
    const findings = Array.from({ length: 25 }, (_, i) => {
      const { key, finding } = keyFinding(rule, gen(), `src/f${i}.ts`);
      fake.keys.set(key, 'live');
      return finding;
    });
    await verifyFindings(findings, options());
    expect(fake.sent).toHaveLength(20);
    const statuses = findings.map((f) => f.verification?.status);
    expect(statuses.filter((s) => s === 'live')).toHaveLength(20);
    const rest = findings.filter((f) => f.verification?.status === 'unknown');
    expect(rest).toHaveLength(5);
    for (const f of rest) expect(f.verification?.reason).toBe('not checked: check limit reached (20 per run)');
  });

  it('starts no check once 30 s are spent; the rest are unknown "time budget spent"', async () => {
    let clock = 1_700_000_000_000;
    // Each provider answer takes 10 s of the injected clock.
    fake.onRequest = () => {
      clock += 10_000;
    };
    const rule = ruleFor(checkOf('github'));
    const findings = Array.from({ length: 5 }, (_, i) => {
      const { key, finding } = keyFinding(rule, gen(), `src/f${i}.ts`);
      fake.keys.set(key, 'live');
      return finding;
    });
    await verifyFindings(findings, options({ now: () => clock, concurrency: 1 }));
    expect(fake.sent).toHaveLength(3);
    expect(findings.map((f) => f.verification?.status)).toEqual(['live', 'live', 'live', 'unknown', 'unknown']);
    expect(findings[4]?.verification?.reason).toBe('not checked: time budget spent (30 s per run)');
  });

  it('sends a key found in several places once, and marks every place', async () => {
    const rule = ruleFor(checkOf('stripe'));
    const key = rule.samples.secret(gen());
    const findings = ['a.env', 'b.env', 'c.env'].flatMap((p) => scanFile(p, [['STRIPE_KEY', key]]));
    expect(findings).toHaveLength(3);
    fake.keys.set(key, 'live');
    await verifyFindings(findings, options());
    expect(fake.sent).toHaveLength(1);
    expect(findings.map((f) => f.verification?.status)).toEqual(['live', 'live', 'live']);
  });
});

describe('what is never checked', () => {
  it('refuses a check whose request URL is not its declared host, before calling the transport', async () => {
    const github = checkOf('github');
    const rogue: KeyCheck = { ...github, request: (key) => ({ ...github.request(key, { now: new Date() }), url: 'https://collector.invalid/user' }) };
    const { finding } = keyFinding(ruleFor(github), gen());
    await verifyFindings([finding], options({ checks: [rogue] }));
    expect(finding.verification?.status).toBe('unknown');
    expect(finding.verification?.reason).toMatch(/^refused: .*collector\.invalid.*api\.github\.com/);
    expect(fake.sent).toEqual([]);
  });

  it('the host guard also refuses plain HTTP, another port and credentials in the URL', () => {
    const check = checkOf('openai');
    const at = (url: string) => guardRequest(check, { method: 'GET', url, headers: {} });
    expect(at('https://api.openai.com/v1/models')).toBeUndefined();
    // Built by concatenation: a literal plain-http API URL is what our own insecure-transport rule reports.
    expect(at(`${'http'}://api.openai.com/v1/models`)).toMatch(/^refused/);
    expect(at('https://api.openai.com:8443/v1/models')).toMatch(/^refused/);
    expect(at('https://u:p@api.openai.com/v1/models')).toMatch(/^refused/);
    expect(at('https://api.openai.com.collector.invalid/v1/models')).toMatch(/^refused/);
    expect(at('not a url')).toMatch(/^refused/);
  });

  it('every built-in check declares an HTTPS host its own request uses', () => {
    for (const check of KEY_CHECKS) {
      const key = ruleFor(check).samples.secret(gen());
      const request = check.request(key, { now: new Date(), partner: 'x'.repeat(40) });
      expect(guardRequest(check, request), check.provider).toBeUndefined();
    }
  });

  it('refuses a key its rule`s offline check rejects', async () => {
    const rule = ruleFor(checkOf('github'));
    const { finding } = keyFinding(rule, gen());
    const strict = BUILTIN_RULES.map((r) => (r.id === rule.id ? { ...r, validate: () => false } : r));
    await verifyFindings([finding], options({ rules: strict }));
    expect(finding.verification).toEqual({ status: 'unknown', reason: 'not checked: the key fails its offline format check' });
    expect(fake.sent).toEqual([]);
  });

  it('leaves findings of rules without a check untouched', async () => {
    const unchecked = BUILTIN_RULES.filter((r) => checkFor(r.id) === undefined && r.samples.wrap !== false);
    expect(unchecked.length).toBeGreaterThan(0);
    const findings = unchecked.map((r) => keyFinding(r, gen()).finding);
    await verifyFindings(findings, options());
    expect(findings.map((f) => f.verification)).toEqual(findings.map(() => undefined));
    expect(fake.sent).toEqual([]);
  });

  it('checks only the providers the config lists', async () => {
    const slack = keyFinding(ruleFor(checkOf('slack')), gen()).finding;
    const github = keyFinding(ruleFor(checkOf('github')), gen()).finding;
    await verifyFindings([slack, github], options({ providers: ['github'] }));
    expect(slack.verification).toBeUndefined();
    expect(github.verification?.status).toBe('unknown');
    expect(fake.sent.map((s) => new URL(s.url).host)).toEqual(['api.github.com']);
  });

  it('does not check a finding without a raw value (e.g. one read back from a JSON report)', async () => {
    const { finding } = keyFinding(ruleFor(checkOf('github')), gen());
    const copy = { ...finding };
    await verifyFindings([copy], options());
    expect(copy.verification).toEqual({ status: 'unknown', reason: 'not checked: the key value is not available' });
    expect(fake.sent).toEqual([]);
  });
});

describe('AWS key pairs', () => {
  it('a pair whose secret does not belong to the key id is unknown, not live', async () => {
    const { id, found } = awsPair(gen(), 'deploy/.env');
    fake.keys.set(id, 'live');
    fake.awsSecrets.set(id, awsSecretRule.samples.secret(gen()));
    await verifyFindings(found, options());
    for (const f of found) expect(f.verification).toEqual({ status: 'unknown', reason: 'the secret found next to it does not belong to this access key id' });
  });

  it('a key id with no secret nearby is not sent', async () => {
    const found = scanFile('deploy/.env', [[awsIdRule.samples.name ?? 'AWS_ACCESS_KEY_ID', longTermAwsId(gen())]]);
    await verifyFindings(found, options());
    expect(found[0]?.verification).toEqual({ status: 'unknown', reason: 'not checked: no matching secret within 5 lines' });
    expect(fake.sent).toEqual([]);
  });

  it('a temporary key id (ASIA) is not sent: it needs a session token', async () => {
    const id = 'AS' + 'IA' + longTermAwsId(gen()).slice(4);
    const { found } = awsPair(gen(), 'deploy/.env', id);
    await verifyFindings(found, options());
    expect(found[0]?.verification?.status).toBe('unknown');
    expect(found[0]?.verification?.reason).toMatch(/^not checked: .*session token/);
    expect(fake.sent).toEqual([]);
  });

  it('signs the STS request with the pair and sends only the key id', async () => {
    const { id, secret, found } = awsPair(gen(), 'deploy/.env');
    fake.keys.set(id, 'live');
    fake.awsSecrets.set(id, secret);
    await verifyFindings(found, options({ now: () => Date.UTC(2026, 0, 2, 3, 4, 5) }));
    expect(found.map((f) => f.verification?.status)).toEqual(['live', 'live']);
    expect(fake.sent).toHaveLength(1);
    const sent = fake.sent[0];
    expect(sent?.method).toBe('POST');
    expect(sent?.body).toBe('Action=GetCallerIdentity&Version=2011-06-15');
    expect(sent?.headers['x-amz-date']).toBe('20260102T030405Z');
    expect(sent?.headers['authorization']).toContain(`Credential=${id}/20260102/us-east-1/sts/aws4_request`);
    expect(carried(sent as NonNullable<typeof sent>)).not.toContain(secret);
  });
});
