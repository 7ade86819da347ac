import { base62Crc32 } from '../scan/checksum.js';
import type { Rule, SampleGen } from '../scan/types.js';
import { anyCase, ASSIGN, ASSIGN_REACH, assigned, assignedValueGates, NAME_REACH, NAME_TAIL, placeholderTexts } from './ai.js';
import { ALNUM, BASE64URL, HEX } from './alphabets.js';

const REVOKE = 'https://github.com/settings/tokens';

/** A GitHub token of the 40-character family: prefix, 30 random base62 characters, 6-character CRC32. */
function githubToken(prefix: string, gen: SampleGen): string {
  const body = gen.chars(ALNUM, 30);
  return `${prefix}${body}${base62Crc32(body)}`;
}

/** The checksum covers the 30 random characters only, not the prefix. */
function validGithubChecksum(token: string): boolean {
  const rest = token.slice(4);
  return base62Crc32(rest.slice(0, 30)) === rest.slice(30);
}

/** A same-format token whose checksum does not hold: a typo or a made-up value. */
function brokenChecksum(prefix: string, gen: SampleGen): string {
  const token = githubToken(prefix, gen);
  const last = token.at(-1) === 'A' ? 'B' : 'A';
  return token.slice(0, -1) + last;
}

const classic = (
  id: string,
  prefix: 'ghp_' | 'gho_' | 'ghu_' | 'ghs_' | 'ghr_',
  title: string,
  text: string,
  url: string,
): Rule => ({
  id,
  title,
  provider: 'GitHub',
  severity: 'critical',
  keywords: [prefix],
  // The body follows the prefix at once: text made of prefixes (`ghp_ghp_...`) never reaches the pattern.
  valueRun: { chars: ALNUM, min: 36, within: 0 },
  pattern: new RegExp(`(?<![A-Za-z0-9_])${prefix}[A-Za-z0-9]{36}(?![A-Za-z0-9_])`),
  validate: validGithubChecksum,
  remediation: { text, url },
  samples: {
    secret: (gen) => githubToken(prefix, gen),
    negatives: (gen) => [
      brokenChecksum(prefix, gen),
      `${prefix}${gen.chars(ALNUM, 20)}`,
      `${prefix}...`,
    ],
  },
});

// ---------------------------------------------------------------------------------------------------
// Installation tokens in the 2026 format: `ghs_`, the App's numeric id, `_`, then a signed JWT.
// ---------------------------------------------------------------------------------------------------

function jsonObject(segment: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** The JWT after the App id must decode: a header naming a signing algorithm and a JSON payload. */
function validInstallationJwt(token: string): boolean {
  const jwt = token.slice(token.indexOf('_', 4) + 1);
  const [head, body] = jwt.split('.');
  if (head === undefined || body === undefined) return false;
  const header = jsonObject(head);
  if (header === undefined || typeof header['alg'] !== 'string' || header['alg'].toLowerCase() === 'none') return false;
  return jsonObject(body) !== undefined;
}

function installationToken(gen: SampleGen, alg = 'RS256'): string {
  const appId = String(gen.int(10_000, 3_000_000));
  const iat = 1_780_000_000 + gen.int(0, 10_000_000);
  const enc = (o: object): string => Buffer.from(JSON.stringify(o)).toString('base64url');
  const header = enc({ alg, typ: 'JWT' });
  const payload = enc({ iat, exp: iat + 3600, iss: appId, sub: `installation|${gen.int(1, 90_000_000)}` });
  return `ghs_${appId}_${header}.${payload}.${gen.chars(BASE64URL, 342)}`;
}

// ---------------------------------------------------------------------------------------------------
// Pre-2021 tokens and OAuth app secrets: 40 hex digits with no prefix. Only a `github` name, the
// `Authorization: token` header or the `x-oauth-basic` git URL says whose they are.
// ---------------------------------------------------------------------------------------------------

/**
 * `github` as a name, not a host: nine in ten occurrences in code are `github.com` and `github.io`,
 * which no variable name continues. The engine checks the same exclusion before trying the pattern
 * (`Rule.notFollowedBy`), so those hits cost one comparison.
 */
const GITHUB_WORD = `${anyCase('github')}(?!\\.(?:[Cc][Oo][Mm]|[Ii][Oo]))`;
const NOT_A_HOST = ['.com', '.io'];
const hex40 = (gen: SampleGen): string => gen.chars(HEX, 40);

export const githubRules: Rule[] = [
  classic('github-pat', 'ghp_', 'GitHub personal access token (classic)', 'Revoke the token in Settings > Developer settings and create a fine-grained one.', REVOKE),
  classic('github-oauth', 'gho_', 'GitHub OAuth access token', 'Revoke the OAuth app authorization, then rotate the app secret if it leaked too.', 'https://github.com/settings/applications'),
  classic('github-user-to-server', 'ghu_', 'GitHub App user-to-server token', 'Revoke the user authorization of the GitHub App.', 'https://github.com/settings/apps/authorizations'),
  classic('github-server-to-server', 'ghs_', 'GitHub App installation token', 'Installation tokens expire within an hour; rotate the App private key that minted it if that leaked.', 'https://docs.github.com/en/apps/creating-github-apps/authenticating-with-a-github-app/managing-private-keys-for-github-apps'),
  classic('github-refresh', 'ghr_', 'GitHub App refresh token', 'Revoke the user authorization of the GitHub App.', 'https://github.com/settings/apps/authorizations'),
  {
    id: 'github-fine-grained-pat',
    title: 'GitHub fine-grained personal access token',
    provider: 'GitHub',
    severity: 'critical',
    keywords: ['github_pat_'],
    pattern: /github_pat_[A-Za-z0-9]{22}_[A-Za-z0-9]{59}(?![A-Za-z0-9_])/,
    remediation: { text: 'Revoke the token in Settings > Developer settings > Fine-grained tokens.', url: 'https://github.com/settings/personal-access-tokens' },
    samples: {
      secret: (gen) => `github_pat_${gen.chars(ALNUM, 22)}_${gen.chars(ALNUM, 59)}`,
      negatives: (gen) => [`github_pat_${gen.chars(ALNUM, 22)}`, 'github_pat_<YOUR_TOKEN>'],
    },
  },
  {
    id: 'github-installation-token-jwt',
    title: 'GitHub App installation token (JWT format)',
    provider: 'GitHub',
    severity: 'critical',
    keywords: ['ghs_'],
    // The App id and the JWT's header follow the prefix at once.
    valueRun: { chars: `${ALNUM}_`, min: 5, within: 0 },
    pattern: /(?<![A-Za-z0-9_])ghs_[0-9]{1,12}_eyJ[A-Za-z0-9_-]{10,1000}\.eyJ[A-Za-z0-9_-]{10,2000}\.[A-Za-z0-9_-]{16,700}(?![A-Za-z0-9_.-])/,
    validate: validInstallationJwt,
    remediation: {
      text: 'Installation tokens expire within an hour; rotate the App private key that minted it if that leaked too.',
      url: 'https://docs.github.com/en/apps/creating-github-apps/authenticating-with-a-github-app/managing-private-keys-for-github-apps',
    },
    samples: {
      secret: (gen) => installationToken(gen),
      positives: (gen) => {
        const token = installationToken(gen);
        return [{ text: `git clone https://x-access-token:${token}@github.com/acme/api.git\n`, secret: token }];
      },
      negatives: (gen) => {
        const token = installationToken(gen);
        const unsigned = installationToken(gen, 'none');
        const appId = token.slice(4, token.indexOf('_', 4));
        return [
          unsigned,
          // The JWT cut before its signature.
          token.slice(0, token.lastIndexOf('.')),
          // A header that is not JSON.
          `ghs_${appId}_eyJ${gen.chars(ALNUM, 40)}.eyJ${gen.chars(ALNUM, 60)}.${gen.chars(BASE64URL, 43)}`,
          `GITHUB_TOKEN=ghs_${appId}_...`,
        ];
      },
    },
  },
  {
    id: 'github-legacy-token',
    title: 'GitHub token (legacy 40 hex digits)',
    provider: 'GitHub',
    // 40 hex digits also look like a commit SHA: only a token name or a token header makes them one.
    severity: 'high',
    keywords: ['github', 'authorization: token '],
    notFollowedBy: NOT_A_HOST,
    // The header's colon is part of its keyword, so only the value's run is a necessary condition.
    valueRun: { chars: HEX, min: 40, within: NAME_REACH + ASSIGN_REACH },
    pattern: new RegExp(
      `(?:${GITHUB_WORD}[\\w.-]{0,40}?(?:${['token', 'pat', 'password'].map(anyCase).join('|')})${NAME_TAIL}${ASSIGN}|${anyCase('authorization: token ')})(?<secret>[a-f0-9]{40})(?![A-Za-z0-9_-])`,
    ),
    minEntropy: 3,
    remediation: { text: 'Revoke the token in Settings > Developer settings and create a fine-grained one.', url: REVOKE },
    samples: {
      secret: hex40,
      name: 'GITHUB_TOKEN',
      positives: (gen) => {
        const token = hex40(gen);
        return [{ text: `curl -H "Authorization: token ${token}" https://api.github.com/user\n`, secret: token }];
      },
      negatives: (gen) => [
        `API_TOKEN=${hex40(gen)}`,
        `GITHUB_SHA=${hex40(gen)}`,
        `github_commit: ${hex40(gen)}`,
        `GITHUB_TOKEN=${gen.chars(HEX, 32)}`,
        ...placeholderTexts('GITHUB_TOKEN'),
      ],
    },
  },
  {
    id: 'github-oauth-client-secret',
    title: 'GitHub OAuth or GitHub App client secret',
    provider: 'GitHub',
    severity: 'high',
    keywords: ['github'],
    notFollowedBy: NOT_A_HOST,
    valueRun: assignedValueGates(HEX, 40),
    pattern: assigned(`${GITHUB_WORD}[\\w.-]{0,40}?${anyCase('secret')}`, '[a-f0-9]{40}'),
    minEntropy: 3,
    remediation: {
      text: "Generate a new client secret in the app's settings, move clients to it, then delete the leaked one.",
      url: 'https://github.com/settings/developers',
    },
    samples: {
      secret: hex40,
      name: 'GITHUB_CLIENT_SECRET',
      negatives: (gen) => [`CLIENT_SECRET=${hex40(gen)}`, `GITHUB_CLIENT_SECRET=${gen.chars(HEX, 20)}`, ...placeholderTexts('GITHUB_CLIENT_SECRET')],
    },
  },
  {
    id: 'github-token-in-git-url',
    title: 'GitHub token in a git URL (x-oauth-basic)',
    provider: 'GitHub',
    severity: 'critical',
    keywords: [':x-oauth-basic@'],
    // npm and git write `https://<token>:x-oauth-basic@github.com/...`: the token comes before the keyword.
    lookback: 41,
    maxLength: 20,
    startRun: { chars: HEX, min: 40, max: 40 },
    pattern: /(?<![A-Za-z0-9_])(?<secret>[0-9a-f]{40}):x-oauth-basic@/,
    minEntropy: 3,
    remediation: { text: 'Revoke the token in Settings > Developer settings and use a deploy key or a fine-grained token from a secret.', url: REVOKE },
    samples: {
      secret: hex40,
      wrap: false,
      positives: (gen) => {
        const token = hex40(gen);
        return [{ text: `  "dependencies": {\n    "private-lib": "git+https://${token}:x-oauth-basic@github.com/acme/private-lib.git#v1.2.0"\n  }\n`, secret: token }];
      },
      negatives: (gen) => [
        `git+https://${gen.chars(HEX, 30)}:x-oauth-basic@github.com/acme/lib.git`,
        'git+https://${GITHUB_TOKEN}:x-oauth-basic@github.com/acme/lib.git',
      ],
    },
  },
];
