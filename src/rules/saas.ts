import { crc32Of, encodeBase } from '../scan/checksum.js';
import type { Rule, SampleGen, Severity } from '../scan/types.js';
import { ALNUM, BASE64URL } from './alphabets.js';

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

function atlassianToken(gen: SampleGen): string {
  // Every token seen so far starts `ATATT3xFfGF0` and has 171 more characters before the `=`.
  const head = `ATATT3xFfGF0${gen.chars(BASE64URL, 171)}=`;
  return head + atlassianChecksum(head);
}

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
];
