import { crc32Of, encodeBase } from '../scan/checksum.js';
import { anyCase, assigned, assignedValueGates, NAME_TAIL, placeholderTexts } from './ai.js';
import type { Rule, SampleGen, Severity } from '../scan/types.js';
import { ALNUM, BASE64, BASE64URL, DIGITS } from './alphabets.js';
import { named } from './shapes.js';

// ---------------------------------------------------------------------------------------------------
// Doppler: `dp.<type>.` and 40 to 44 alphanumerics; service tokens may name their config in between
// (`dp.st.prd.…`).
// ---------------------------------------------------------------------------------------------------

const doppler = (id: string, type: string, title: string, severity: Severity, text: string, url: string, config = false): Rule => {
  const prefix = `dp.${type}.`;
  const escaped = prefix.replace(/\./g, '\\.');
  const body = (gen: SampleGen): string => gen.chars(ALNUM, gen.pick([40, 43]));
  return {
    id,
    title,
    provider: 'Doppler',
    severity,
    keywords: [prefix],
    pattern: new RegExp(`(?<![A-Za-z0-9_.-])${escaped}${config ? '(?:[a-z0-9_-]{1,60}\\.)?' : ''}[A-Za-z0-9]{40,44}(?![A-Za-z0-9_-])`),
    minEntropy: 3.5,
    remediation: { text, url },
    samples: {
      secret: (gen) => (config ? `${prefix}${gen.pick(['dev', 'stg', 'prd', 'ci_build'])}.${body(gen)}` : prefix + body(gen)),
      name: 'DOPPLER_TOKEN',
      negatives: (gen) => [`${prefix}${gen.chars(ALNUM, 24)}`, `DOPPLER_TOKEN=${prefix}xxxx`, 'DOPPLER_TOKEN=${{ secrets.DOPPLER_TOKEN }}'],
    },
  };
};

const DOPPLER_TOKENS = 'https://docs.doppler.com/reference/api';

// ---------------------------------------------------------------------------------------------------
// Atlassian API tokens (created since 2023): `ATATT3` + base64url body + `=` + CRC32 in 8 uppercase hex
// digits. The CRC32 covers every character before it, the `=` included.
// ---------------------------------------------------------------------------------------------------

const UPPER_HEX = '0123456789ABCDEF';

function atlassianChecksum(head: string): string {
  return encodeBase(crc32Of(head), UPPER_HEX, 8);
}

/** A token whose checksum does not hold is dropped by the engine: Atlassian never issued it. */
function validAtlassianToken(token: string): boolean {
  return atlassianChecksum(token.slice(0, -8)) === token.slice(-8);
}

function atlassianToken(gen: SampleGen, start = 'ATATT3xFfGF0'): string {
  // Every API token seen so far starts `ATATT3xFfGF0` and has 171 more characters before the `=`.
  const head = `${start}${gen.chars(BASE64URL, 171)}=`;
  return head + atlassianChecksum(head);
}

/**
 * Data Center personal access tokens (Jira, Confluence, Bitbucket) are base64 of a 12-digit token id,
 * a colon and 20 random bytes: 44 characters that decode to exactly that.
 */
function validDataCenterToken(token: string): boolean {
  const body = token.replace(/^BBDC-/, '');
  const raw = Buffer.from(body, 'base64');
  return body.length === 44 && raw.length === 33 && /^[0-9]{12}:$/.test(raw.subarray(0, 13).toString('latin1'));
}

function dataCenterToken(gen: SampleGen): string {
  return Buffer.concat([Buffer.from(`${gen.chars('123456789', 1)}${gen.chars(DIGITS, 11)}:`), Buffer.from(gen.bytes(20))]).toString('base64');
}

const DC_WORDS = ['jira', 'confluence', 'bitbucket', 'atlassian'];

export const saasRules: Rule[] = [
  {
    id: 'linear-api-key',
    title: 'Linear personal API key',
    provider: 'Linear',
    severity: 'high',
    keywords: ['lin_api_'],
    pattern: /(?<![A-Za-z0-9_])lin_api_[A-Za-z0-9]{40}(?![A-Za-z0-9_])/,
    minEntropy: 3.5,
    remediation: { text: 'Revoke the key under Settings > Account > Security & access > Personal API keys.', url: 'https://linear.app/settings/account/security' },
    samples: {
      secret: (gen) => `lin_api_${gen.chars(ALNUM, 40)}`,
      negatives: (gen) => [`lin_api_${gen.chars(ALNUM, 30)}`, 'LINEAR_API_KEY=lin_api_...', 'LINEAR_API_KEY=${{ secrets.LINEAR_API_KEY }}'],
    },
  },
  doppler('doppler-personal-token', 'pt', 'Doppler personal token', 'high', 'Revoke the token under Tokens > Personal in the Doppler dashboard; it has your full access.', DOPPLER_TOKENS),
  doppler('doppler-cli-token', 'ct', 'Doppler CLI token', 'high', 'Revoke the CLI token (`doppler logout --yes` or Tokens > CLI); it has your full access.', DOPPLER_TOKENS),
  doppler('doppler-service-token', 'st', 'Doppler service token', 'high', "Revoke the service token on the config's Access tab and issue a new one.", 'https://docs.doppler.com/docs/service-tokens', true),
  doppler('doppler-service-account-token', 'sa', 'Doppler service account token', 'high', 'Revoke the token on the service account page in the Doppler dashboard.', 'https://docs.doppler.com/docs/service-accounts'),
  doppler('doppler-scim-token', 'scim', 'Doppler SCIM token', 'high', 'Regenerate the SCIM token in the workplace security settings; it can provision users.', DOPPLER_TOKENS),
  doppler('doppler-audit-token', 'audit', 'Doppler audit API token', 'medium', 'Regenerate the audit token under Tokens > Audit; it reads the workplace activity log.', 'https://docs.doppler.com/reference/audit-api-reference'),
  {
    id: 'atlassian-api-token',
    title: 'Atlassian API token',
    provider: 'Atlassian',
    severity: 'high',
    keywords: ['atatt3'],
    pattern: /(?<![A-Za-z0-9_-])ATATT3[A-Za-z0-9_-]{100,300}=[0-9A-F]{8}(?![A-Za-z0-9_=-])/,
    validate: validAtlassianToken,
    remediation: { text: 'Revoke the token on your Atlassian account security page; it acts as you in Jira, Confluence and Bitbucket.', url: 'https://id.atlassian.com/manage-profile/security/api-tokens' },
    samples: {
      secret: atlassianToken,
      positives: (gen) => {
        const token = atlassianToken(gen);
        return [{ text: `jira = JIRA(server=url, basic_auth=("ops@example.invalid", "${token}"))\n`, secret: token }];
      },
      negatives: (gen) => {
        const token = atlassianToken(gen);
        return [
          token.slice(0, -1) + (token.endsWith('0') ? '1' : '0'),
          token.slice(0, 60),
          'JIRA_API_TOKEN=ATATT3xFfGF0...',
          'JIRA_API_TOKEN=${{ secrets.JIRA_API_TOKEN }}',
        ];
      },
    },
  },
  {
    id: 'atlassian-admin-api-key',
    title: 'Atlassian organization admin API key',
    provider: 'Atlassian',
    severity: 'critical',
    keywords: ['atctt3'],
    pattern: /(?<![A-Za-z0-9_-])ATCTT3[A-Za-z0-9_-]{100,300}=[0-9A-F]{8}(?![A-Za-z0-9_=-])/,
    validate: validAtlassianToken,
    remediation: { text: 'Revoke the key in Atlassian Administration > Settings > API keys; it manages the whole organization.', url: 'https://admin.atlassian.com' },
    samples: {
      secret: (gen) => atlassianToken(gen, 'ATCTT3xFfGN0'),
      negatives: (gen) => {
        const token = atlassianToken(gen, 'ATCTT3xFfGN0');
        return [token.slice(0, -1) + (token.endsWith('0') ? '1' : '0'), token.slice(0, 60), 'ATLASSIAN_ADMIN_KEY=ATCTT3xFfGN0...'];
      },
    },
  },
  // Before ATATT3, an Atlassian Cloud API token was 24 letters and digits with nothing of its own: only
  // the name says whose it is. With the Data Center rule below, these names are owned: a value under a
  // `jira`/`confluence` token name that fits neither format is not a Jira token.
  named({
    id: 'atlassian-legacy-api-token',
    title: 'Atlassian API token (legacy, unprefixed)',
    provider: 'Atlassian',
    severity: 'high',
    words: ['atlassian', 'jira', 'confluence'],
    value: '[A-Za-z0-9]{24}',
    chars: ALNUM,
    min: 24,
    minEntropy: 3,
    sample: (gen) => gen.chars(ALNUM, 24),
    name: 'JIRA_API_TOKEN',
    text: 'Revoke the token on your Atlassian account security page and create a new, expiring one (ATATT3 format).',
    url: 'https://id.atlassian.com/manage-profile/security/api-tokens',
  }),
  {
    id: 'bitbucket-data-center-token',
    title: 'Bitbucket Data Center HTTP access token',
    provider: 'Atlassian',
    severity: 'high',
    keywords: ['bbdc-'],
    pattern: /(?<![A-Za-z0-9_-])BBDC-[A-Za-z0-9+/]{43}[A-Za-z0-9+/=](?![A-Za-z0-9+/=])/,
    validate: validDataCenterToken,
    remediation: { text: 'Revoke the token (Manage account > HTTP access tokens, or the project or repository settings) and create a narrower one.', url: 'https://confluence.atlassian.com/bitbucketserver/http-access-tokens-939515499.html' },
    samples: {
      secret: (gen) => `BBDC-${dataCenterToken(gen)}`,
      name: 'BITBUCKET_TOKEN',
      negatives: (gen) => [`BBDC-${'A'.repeat(44)}`, `BBDC-${gen.chars(BASE64, 44)}`, 'BBDC-1234', ...placeholderTexts('BITBUCKET_TOKEN', 'BBDC-')],
    },
  },
  {
    id: 'atlassian-data-center-pat',
    title: 'Jira / Confluence Data Center personal access token',
    provider: 'Atlassian',
    severity: 'high',
    keywords: DC_WORDS,
    valueRun: assignedValueGates(BASE64, 44),
    pattern: assigned(`(?:${DC_WORDS.map(anyCase).join('|')})${NAME_TAIL}(?:${['token', 'pat', 'key', 'password', 'secret'].map(anyCase).join('|')})`, '[MNO][A-Za-z0-9+/]{43}', '(?![A-Za-z0-9+/=_-])'),
    validate: validDataCenterToken,
    remediation: { text: 'Revoke the token under Profile > Personal Access Tokens on the Jira or Confluence server.', url: 'https://confluence.atlassian.com/enterprise/using-personal-access-tokens-1026032365.html' },
    samples: {
      secret: dataCenterToken,
      name: 'JIRA_TOKEN',
      negatives: (gen) => [`API_TOKEN=${dataCenterToken(gen)}`, `JIRA_TOKEN=M${gen.chars(BASE64, 43)}`, ...placeholderTexts('JIRA_TOKEN')],
    },
  },
];
