import { signV4 } from './sigv4.js';
import type { CheckAnswer, KeyCheck, Verification } from './types.js';

/**
 * The live checks, one per provider. Each sends one read-only request to the provider's own API host
 * and reads only the status (and, where the provider hides the verdict in the body, an error code).
 * Response text is never copied into a reason: some providers echo part of the key back.
 */

/** What a 403 means for a provider: the key authenticated but lacks this permission, or no telling. */
type Forbidden = 'live' | 'unknown';

const CODE = /^[A-Za-z_.]{1,64}$/;

/** Keeps a provider's error code for a reason only if it is a plain identifier. */
function safeCode(code: unknown): string | undefined {
  return typeof code === 'string' && CODE.test(code) ? code : undefined;
}

/** The mapping shared by every provider: 2xx live, 401 revoked, 429 rate limited, 5xx and the rest unknown. */
export function verdictByStatus(name: string, status: number, forbidden: Forbidden = 'unknown'): Verification {
  if (status >= 200 && status < 300) return { status: 'live', reason: `${name} accepted the key` };
  if (status === 401) return { status: 'revoked', reason: `${name} rejected the key (HTTP 401)` };
  if (status === 403) {
    return forbidden === 'live'
      ? { status: 'live', reason: `${name} accepted the key, which lacks access to the test endpoint (HTTP 403)` }
      : { status: 'unknown', reason: `${name} answered HTTP 403, which does not tell whether the key works` };
  }
  if (status === 429) return { status: 'unknown', reason: 'rate limited' };
  if (status >= 300 && status < 400) return { status: 'unknown', reason: `redirected (HTTP ${status}); not followed` };
  if (status >= 500) return { status: 'unknown', reason: `${name} server error (HTTP ${status})` };
  return { status: 'unknown', reason: `unexpected answer from ${name} (HTTP ${status})` };
}

const bearer = (key: string): Record<string, string> => ({ authorization: `Bearer ${key}` });

/** A check that needs only a GET with the key as a bearer token and the shared status mapping. */
function simpleBearer(options: {
  provider: string;
  name: string;
  rules: KeyCheck['rules'];
  url: string;
  forbidden?: Forbidden;
  accepts?: KeyCheck['accepts'];
}): KeyCheck {
  const url = new URL(options.url);
  const check: KeyCheck = {
    provider: options.provider,
    rules: options.rules,
    host: url.hostname,
    request: (key) => ({ method: 'GET', url: url.href, headers: bearer(key) }),
    interpret: (answer) => verdictByStatus(options.name, answer.status, options.forbidden),
  };
  if (options.accepts !== undefined) check.accepts = options.accepts;
  return check;
}

const startsWith =
  (prefixes: readonly string[], what: string) =>
  (key: string): boolean | string =>
    prefixes.some((p) => key.startsWith(p)) || `not checked: not a ${what}`;

async function errorField(answer: CheckAnswer, field: 'code' | 'message'): Promise<unknown> {
  const body = await answer.json();
  if (typeof body !== 'object' || body === null) return undefined;
  const error = (body as Record<string, unknown>)['error'];
  if (typeof error === 'object' && error !== null) return (error as Record<string, unknown>)[field];
  return field === 'message' ? error : undefined;
}

// ---------------------------------------------------------------------------------------------------
// Source hosting
// ---------------------------------------------------------------------------------------------------

const github: KeyCheck = {
  provider: 'github',
  // Refresh tokens (ghr_) cannot authenticate API calls, so there is nothing harmless to ask with them.
  rules: ['github-pat', 'github-oauth', 'github-user-to-server', 'github-server-to-server', 'github-fine-grained-pat'],
  host: 'api.github.com',
  request: (key) => ({ method: 'GET', url: 'https://api.github.com/user', headers: { authorization: `token ${key}` } }),
  interpret: (answer) => {
    // GitHub answers 401 to any unknown token; a 403 means the token authenticated (installation tokens
    // cannot read /user) unless the rate limit ran out.
    if (answer.status === 403 && answer.header('x-ratelimit-remaining') === '0') return { status: 'unknown', reason: 'rate limited' };
    // Every GitHub Enterprise Server issues tokens in the same format; github.com refusing one proves nothing.
    if (answer.status === 401) return { status: 'unknown', reason: 'github.com does not accept it: revoked, or issued by a GitHub Enterprise Server' };
    return verdictByStatus('GitHub', answer.status, 'live');
  },
};

const gitlab: KeyCheck = {
  provider: 'gitlab',
  // Only personal, project and group access tokens (all glpat-) can call the API and describe themselves.
  rules: ['gitlab-pat'],
  host: 'gitlab.com',
  request: (key) => ({ method: 'GET', url: 'https://gitlab.com/api/v4/personal_access_tokens/self', headers: { 'private-token': key } }),
  interpret: (answer) => {
    // The same token format serves every self-managed GitLab; gitlab.com refusing it proves nothing.
    if (answer.status === 401) {
      return { status: 'unknown', reason: 'gitlab.com does not accept it: revoked, or issued by a self-managed GitLab' };
    }
    return verdictByStatus('GitLab', answer.status, 'live');
  },
};

// ---------------------------------------------------------------------------------------------------
// AI providers
// ---------------------------------------------------------------------------------------------------

const openai: KeyCheck = {
  provider: 'openai',
  rules: ['openai-project-key', 'openai-service-account-key', 'openai-user-key', 'openai-admin-key'],
  host: 'api.openai.com',
  accepts: (key) => (key.startsWith('sk-') && !key.startsWith('sk-ant-') && !key.startsWith('sk-or-')) || 'not checked: not an OpenAI key',
  request: (key) => ({
    method: 'GET',
    // Admin keys cannot list models; listing one project is their read-only equivalent.
    url: key.startsWith('sk-admin-') ? 'https://api.openai.com/v1/organization/projects?limit=1' : 'https://api.openai.com/v1/models',
    headers: bearer(key),
  }),
  interpret: async (answer) => {
    if (answer.status === 401) {
      // Restricted keys without the read scope get a 401 too, but one that names the missing scope.
      const message = await errorField(answer, 'message');
      if (typeof message === 'string' && /insufficient permissions|missing scopes/i.test(message)) {
        return { status: 'live', reason: 'OpenAI accepted the key, a restricted key without the models scope' };
      }
    }
    // OpenAI's 403 is about the caller's country, not the key.
    return verdictByStatus('OpenAI', answer.status, 'unknown');
  },
};

const anthropic: KeyCheck = {
  provider: 'anthropic',
  rules: ['anthropic-api-key', 'anthropic-admin-key'],
  host: 'api.anthropic.com',
  accepts: startsWith(['sk-ant-'], 'Anthropic key'),
  request: (key) => ({
    method: 'GET',
    // Admin keys only reach the Admin API; the organization they belong to is its cheapest read.
    url: key.startsWith('sk-ant-admin') ? 'https://api.anthropic.com/v1/organizations/me' : 'https://api.anthropic.com/v1/models',
    headers: { 'x-api-key': key, 'anthropic-version': '2023-06-01' },
  }),
  // Anthropic's 403 is permission_error: the key authenticated.
  interpret: (answer) => verdictByStatus('Anthropic', answer.status, 'live'),
};

const huggingface = simpleBearer({
  provider: 'huggingface',
  name: 'Hugging Face',
  rules: ['huggingface-token'],
  url: 'https://huggingface.co/api/whoami-v2',
  accepts: startsWith(['hf_', 'api_org_'], 'Hugging Face token'),
});

const groq = simpleBearer({
  provider: 'groq',
  name: 'Groq',
  rules: ['groq-api-key'],
  url: 'https://api.groq.com/openai/v1/models',
  accepts: startsWith(['gsk_'], 'Groq key'),
});

const mistral = simpleBearer({ provider: 'mistral', name: 'Mistral', rules: ['mistral-api-key'], url: 'https://api.mistral.ai/v1/models' });

const deepseek = simpleBearer({ provider: 'deepseek', name: 'DeepSeek', rules: ['deepseek-api-key'], url: 'https://api.deepseek.com/models' });

const xai: KeyCheck = {
  provider: 'xai',
  rules: ['xai-api-key'],
  host: 'api.x.ai',
  accepts: startsWith(['xai-'], 'xAI key'),
  request: (key) => ({ method: 'GET', url: 'https://api.x.ai/v1/api-key', headers: bearer(key) }),
  interpret: async (answer) => {
    // xAI documents 400 for an invalid key on this endpoint, and reports disabled keys with a 200.
    if (answer.status === 400) return { status: 'revoked', reason: 'xAI rejected the key (HTTP 400)' };
    if (answer.status === 200) {
      const body = await answer.json();
      const info = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
      if (info['api_key_disabled'] === true || info['api_key_blocked'] === true || info['team_blocked'] === true) {
        return { status: 'revoked', reason: 'xAI reports the key disabled or blocked' };
      }
    }
    return verdictByStatus('xAI', answer.status, 'unknown');
  },
};

// The model list is public on OpenRouter, so it would answer 200 to any key; /key needs a valid one.
const openrouter = simpleBearer({
  provider: 'openrouter',
  name: 'OpenRouter',
  rules: ['openrouter-api-key'],
  url: 'https://openrouter.ai/api/v1/key',
  accepts: startsWith(['sk-or-'], 'OpenRouter key'),
});

// ---------------------------------------------------------------------------------------------------
// Cloud
// ---------------------------------------------------------------------------------------------------

const STS_BODY = 'Action=GetCallerIdentity&Version=2011-06-15';

const aws: KeyCheck = {
  provider: 'aws',
  rules: ['aws-access-key-id'],
  host: 'sts.amazonaws.com',
  // Temporary (ASIA) keys need their session token, which is never next to them in a form we detect.
  accepts: startsWith(['AKIA'], 'long-term access key id (AKIA); temporary keys need a session token'),
  pair: { rules: ['aws-secret-access-key'], maxLines: 5 },
  request: (key, context) => {
    // GetCallerIdentity needs no permission and cannot be denied by policy: it answers for any valid pair.
    const url = new URL('https://sts.amazonaws.com/');
    const signed = signV4(
      { method: 'POST', url, headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' }, body: STS_BODY },
      { accessKeyId: key, secretAccessKey: context.partner ?? '' },
      // The global STS endpoint signs as us-east-1.
      { region: 'us-east-1', service: 'sts', date: context.now },
    );
    const { host: _host, ...headers } = signed.headers;
    return { method: 'POST', url: url.href, headers, body: STS_BODY };
  },
  interpret: async (answer) => {
    if (answer.status === 403 || answer.status === 400) {
      const code = /<Code>([^<]{1,64})<\/Code>/.exec(await answer.text())?.[1];
      if (code === 'InvalidClientTokenId') return { status: 'revoked', reason: 'AWS does not know the access key id (deleted or deactivated)' };
      if (code === 'SignatureDoesNotMatch') return { status: 'unknown', reason: 'the secret found next to it does not belong to this access key id' };
      const safe = safeCode(code);
      if (safe !== undefined) return { status: 'unknown', reason: `AWS answered ${safe}` };
    }
    return verdictByStatus('AWS', answer.status, 'unknown');
  },
};

// ---------------------------------------------------------------------------------------------------
// Payment, messaging, packages
// ---------------------------------------------------------------------------------------------------

// Restricted keys without balance access get a 403 after authenticating.
const stripe = simpleBearer({
  provider: 'stripe',
  name: 'Stripe',
  rules: ['stripe-live-secret-key', 'stripe-live-restricted-key', 'stripe-test-secret-key', 'stripe-test-restricted-key'],
  url: 'https://api.stripe.com/v1/balance',
  forbidden: 'live',
});

/** Slack's error codes that mean the token no longer works. */
const SLACK_DEAD = new Set(['invalid_auth', 'token_revoked', 'token_expired', 'account_inactive']);

const slack: KeyCheck = {
  provider: 'slack',
  rules: ['slack-bot-token', 'slack-user-token'],
  host: 'slack.com',
  request: (key) => ({
    method: 'POST',
    url: 'https://slack.com/api/auth.test',
    headers: { ...bearer(key), 'content-type': 'application/x-www-form-urlencoded' },
    body: '',
  }),
  interpret: async (answer) => {
    // Slack answers 200 to almost everything and puts the verdict in the body.
    if (answer.status !== 200) return verdictByStatus('Slack', answer.status, 'unknown');
    const body = await answer.json();
    if (typeof body !== 'object' || body === null) return { status: 'unknown', reason: 'Slack sent an unreadable answer' };
    const { ok, error } = body as Record<string, unknown>;
    if (ok === true) return { status: 'live', reason: 'Slack accepted the token' };
    const code = safeCode(error);
    if (code !== undefined && SLACK_DEAD.has(code)) return { status: 'revoked', reason: `Slack rejected the token (${code})` };
    if (code === 'ratelimited') return { status: 'unknown', reason: 'rate limited' };
    return { status: 'unknown', reason: code === undefined ? 'Slack refused without a reason' : `Slack answered ${code}` };
  },
};

// SendGrid's scopes endpoint needs no particular scope, so a 403 comes from an authenticated but limited key.
const sendgrid = simpleBearer({
  provider: 'sendgrid',
  name: 'SendGrid',
  rules: ['sendgrid-api-key'],
  url: 'https://api.sendgrid.com/v3/scopes',
  forbidden: 'live',
});

const discord: KeyCheck = {
  provider: 'discord',
  rules: ['discord-bot-token'],
  host: 'discord.com',
  request: (key) => ({ method: 'GET', url: 'https://discord.com/api/v10/users/@me', headers: { authorization: `Bot ${key}` } }),
  interpret: (answer) => verdictByStatus('Discord', answer.status, 'unknown'),
};

const npm = simpleBearer({
  provider: 'npm',
  name: 'npm',
  rules: ['npm-access-token'],
  url: 'https://registry.npmjs.org/-/whoami',
});

/** Every live check, in no particular order: a rule is matched by at most one. */
export const KEY_CHECKS: readonly KeyCheck[] = [
  github,
  gitlab,
  openai,
  anthropic,
  huggingface,
  groq,
  mistral,
  deepseek,
  xai,
  openrouter,
  aws,
  stripe,
  slack,
  sendgrid,
  discord,
  npm,
];

/** Provider ids that `verify.providers` may list. */
export const VERIFIABLE_PROVIDERS: readonly string[] = KEY_CHECKS.map((c) => c.provider);

/** Whether `check` tests keys of the rule `ruleId`. */
export function checkMatches(check: KeyCheck, ruleId: string): boolean {
  return check.rules.includes(ruleId);
}

/** The check for a rule, if any. */
export function checkFor(ruleId: string, checks: readonly KeyCheck[] = KEY_CHECKS): KeyCheck | undefined {
  return checks.find((c) => checkMatches(c, ruleId));
}
