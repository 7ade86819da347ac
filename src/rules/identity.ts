import type { Rule, SampleGen } from '../scan/types.js';
import { ALNUM, BASE64URL, DIGITS, UPPER } from './alphabets.js';
import { named, prefixed } from './shapes.js';

// ---------------------------------------------------------------------------------------------------
// Identity, secrets managers and CRM: Okta, Auth0, 1Password, Salesforce.
// ---------------------------------------------------------------------------------------------------

const SECRET_KEY_CHARS = UPPER.replace(/[ILOU]/g, '') + DIGITS;

/**
 * A 1Password account Secret Key: version `A3`, the 6-character account id, then 26 random characters
 * grouped 6-5-5-5-5 (older keys print the first 11 together). Letters exclude I, L, O and U.
 */
function onePasswordSecretKey(gen: SampleGen): string {
  const c = (n: number): string => gen.chars(SECRET_KEY_CHARS, n);
  return gen.int(0, 1) === 0 ? `A3-${c(6)}-${c(6)}-${c(5)}-${c(5)}-${c(5)}-${c(5)}` : `A3-${c(6)}-${c(11)}-${c(5)}-${c(5)}-${c(5)}`;
}

/** Service account tokens are `ops_` and a base64 JSON object (sign-in address, user, keys). */
function validOnePasswordServiceToken(token: string): boolean {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(token.slice(4), 'base64').toString('utf8'));
    return typeof parsed === 'object' && parsed !== null;
  } catch {
    return false;
  }
}

function onePasswordServiceToken(gen: SampleGen): string {
  const claims = { signInAddress: 'my.1password.com', userAuth: { method: 'SRPg-4096', alg: 'PBES2g-HS256', iterations: 650000, salt: gen.chars(BASE64URL, 22) }, email: `${gen.chars(ALNUM, 13).toLowerCase()}@1passwordserviceaccounts.com`, srpX: gen.chars('0123456789abcdef', 64), muk: { alg: 'A256GCM', ext: true, k: gen.chars(BASE64URL, 43), key_ops: ['encrypt', 'decrypt'], kty: 'oct', kid: 'mp' }, secretKey: onePasswordSecretKey(gen), throttleSecret: { seed: gen.chars('0123456789abcdef', 64), deviceUuid: gen.chars('abcdefghijklmnopqrstuvwxyz0123456789', 26) }, deviceUuid: gen.chars('abcdefghijklmnopqrstuvwxyz0123456789', 26) };
  return `ops_${Buffer.from(JSON.stringify(claims)).toString('base64').replace(/=+$/, '')}`;
}

function salesforceAccessToken(gen: SampleGen): string {
  return `00D${gen.chars(ALNUM, 12)}!${gen.chars(`${ALNUM}._`, 96)}`;
}

export const identityRules: Rule[] = [
  named({
    id: 'okta-api-token',
    title: 'Okta API token',
    provider: 'Okta',
    severity: 'high',
    words: ['okta'],
    value: '00[A-Za-z0-9_=-]{40}',
    chars: `${BASE64URL}=`,
    min: 42,
    minEntropy: 3.5,
    sample: (gen) => `00${gen.chars(BASE64URL, 40)}`,
    name: 'OKTA_API_TOKEN',
    text: 'Revoke the token under Security > API > Tokens in the Okta admin console; it acts as the admin who created it.',
    url: 'https://developer.okta.com/docs/guides/create-an-api-token/main/',
  }),
  named({
    id: 'auth0-client-secret',
    title: 'Auth0 client secret',
    provider: 'Auth0',
    severity: 'high',
    words: ['auth0'],
    value: '[A-Za-z0-9_-]{64}',
    chars: BASE64URL,
    min: 64,
    minEntropy: 4,
    sample: (gen) => gen.chars(BASE64URL, 64),
    name: 'AUTH0_CLIENT_SECRET',
    text: 'Rotate the client secret in the application\'s settings in the Auth0 dashboard and update its users.',
    url: 'https://auth0.com/docs/get-started/applications/rotate-client-secret',
  }),
  {
    id: '1password-secret-key',
    title: '1Password account Secret Key',
    provider: '1Password',
    severity: 'critical',
    keywords: ['a3-'],
    pattern: /(?<![A-Za-z0-9_-])A3-[A-Z0-9]{6}-(?:[A-Z0-9]{11}|[A-Z0-9]{6}-[A-Z0-9]{5})-[A-Z0-9]{5}-[A-Z0-9]{5}-[A-Z0-9]{5}(?![A-Za-z0-9_-])/,
    minEntropy: 3,
    remediation: { text: 'Regenerate the Secret Key from your 1Password account settings and change the account password; with both, the vault opens.', url: 'https://support.1password.com/secret-key/' },
    samples: {
      secret: onePasswordSecretKey,
      name: 'OP_SECRET_KEY',
      negatives: (gen) => [`A3-${gen.chars(SECRET_KEY_CHARS, 6)}-${gen.chars(SECRET_KEY_CHARS, 6)}`, 'OP_SECRET_KEY=A3-XXXXXX-XXXXXXXXXXX-XXXXX-XXXXX-XXXXX', 'OP_SECRET_KEY=${{ secrets.OP_SECRET_KEY }}'],
    },
  },
  prefixed({
    id: '1password-service-account-token',
    title: '1Password service account token',
    provider: '1Password',
    severity: 'critical',
    prefix: 'ops_eyJ',
    body: '[A-Za-z0-9+/]{250,2000}={0,2}',
    gate: { chars: `${ALNUM}+/`, min: 250 },
    minEntropy: 4,
    validate: validOnePasswordServiceToken,
    sample: onePasswordServiceToken,
    name: 'OP_SERVICE_ACCOUNT_TOKEN',
    text: 'Revoke the token on the service account\'s page in 1Password (Developer > Service accounts); it reads the vaults it was granted.',
    url: 'https://developer.1password.com/docs/service-accounts/manage-service-accounts/',
  }),
  {
    id: 'salesforce-access-token',
    title: 'Salesforce access token (session id)',
    provider: 'Salesforce',
    severity: 'high',
    // `00D` starts every organization id; the token is `<org id>!<96 characters>`.
    keywords: ['00d'],
    valueRun: { chars: ALNUM, min: 12, within: 0 },
    pattern: /(?<![A-Za-z0-9_-])00D[A-Za-z0-9]{12,15}![A-Za-z0-9._]{96}(?![A-Za-z0-9._-])/,
    minEntropy: 4,
    remediation: { text: 'Revoke the session or OAuth token (Setup > Session Management, or the connected app\'s OAuth usage) and reset the user\'s credentials if it came from a login.', url: 'https://help.salesforce.com/s/articleView?id=sf.remoteaccess_revoke_token.htm' },
    samples: {
      secret: salesforceAccessToken,
      name: 'SF_ACCESS_TOKEN',
      negatives: (gen) => [`00D${gen.chars(ALNUM, 12)}!${gen.chars(ALNUM, 40)}`, 'SF_ACCESS_TOKEN=00Dxx0000000000!AQ...', 'SF_ACCESS_TOKEN=${{ secrets.SF_ACCESS_TOKEN }}'],
    },
  },
  prefixed({
    id: 'salesforce-refresh-token',
    title: 'Salesforce refresh token',
    provider: 'Salesforce',
    prefix: '5Aep861',
    body: '[A-Za-z0-9._]{80}',
    gate: { chars: `${ALNUM}._`, min: 80 },
    minEntropy: 4,
    sample: (gen) => `5Aep861${gen.chars(`${ALNUM}._`, 80)}`,
    name: 'SF_REFRESH_TOKEN',
    text: 'Revoke the refresh token (connected app OAuth usage, or the /services/oauth2/revoke endpoint).',
    url: 'https://help.salesforce.com/s/articleView?id=sf.remoteaccess_revoke_token.htm',
  }),
];
