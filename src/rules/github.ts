import { base62Crc32 } from '../scan/checksum.js';
import type { Rule, SampleGen } from '../scan/types.js';
import { ALNUM } from './alphabets.js';

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
];
