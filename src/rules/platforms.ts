import { crc32Of, encodeBase } from '../scan/checksum.js';
import type { Rule, SampleGen } from '../scan/types.js';
import { ALNUM, BASE64URL, HEX } from './alphabets.js';
import { named, prefixed } from './shapes.js';

// ---------------------------------------------------------------------------------------------------
// Cloud platforms beyond the big three: Cloudflare, Alibaba Cloud, Yandex Cloud.
// ---------------------------------------------------------------------------------------------------

/**
 * Cloudflare tokens issued since 2026 (`cfut_` user, `cfat_` account API tokens, `cfk_` global API
 * keys): 40 alphanumerics, then their CRC32 in 8 lowercase hex digits.
 */
function cloudflareChecksum(body: string): string {
  return encodeBase(crc32Of(body), HEX, 8);
}

function validCloudflareToken(token: string): boolean {
  const body = token.slice(token.indexOf('_') + 1, -8);
  return cloudflareChecksum(body) === token.slice(-8);
}

function cloudflareToken(gen: SampleGen, prefix = gen.pick(['cfut_', 'cfat_', 'cfk_'])): string {
  const body = gen.chars(ALNUM, 40);
  return `${prefix}${body}${cloudflareChecksum(body)}`;
}

const CLOUDFLARE_TOKENS = 'https://developers.cloudflare.com/fundamentals/api/how-to/roll-token/';

export const platformRules: Rule[] = [
  prefixed({
    id: 'cloudflare-api-token',
    title: 'Cloudflare API token or global API key',
    provider: 'Cloudflare',
    prefix: 'cfut_',
    alternatives: ['cfat_', 'cfk_'],
    body: '[A-Za-z0-9]{40}[a-f0-9]{8}',
    validate: validCloudflareToken,
    sample: (gen) => cloudflareToken(gen),
    name: 'CLOUDFLARE_API_TOKEN',
    negatives: (gen) => {
      const token = cloudflareToken(gen, 'cfat_');
      return [`${token.slice(0, -1)}${token.endsWith('0') ? '1' : '0'}`];
    },
    text: 'Roll or delete the token under My Profile > API Tokens (account tokens under Manage Account > API Tokens).',
    url: CLOUDFLARE_TOKENS,
  }),
  named({
    id: 'cloudflare-legacy-api-token',
    title: 'Cloudflare API token (unprefixed)',
    provider: 'Cloudflare',
    severity: 'high',
    words: ['cloudflare', 'cf_api', 'cf_'],
    value: '[A-Za-z0-9_-]{40}',
    chars: BASE64URL,
    min: 40,
    minEntropy: 3.5,
    sample: (gen) => gen.chars(BASE64URL, 40),
    name: 'CLOUDFLARE_API_TOKEN',
    negatives: (gen) => [`CLOUDFLARE_ACCOUNT_ID=${gen.chars(HEX, 32)}`, `CLOUDFLARE_ZONE_ID=${gen.chars(HEX, 32)}`],
    text: 'Roll or delete the token under My Profile > API Tokens and create a new one.',
    url: CLOUDFLARE_TOKENS,
  }),
  named({
    id: 'cloudflare-global-api-key',
    title: 'Cloudflare global API key (unprefixed)',
    provider: 'Cloudflare',
    severity: 'critical',
    words: ['cloudflare', 'cf_'],
    names: ['x-auth-key'],
    value: '[a-f0-9]{37}',
    chars: HEX,
    min: 37,
    sample: (gen) => gen.chars(HEX, 37),
    name: 'CLOUDFLARE_API_KEY',
    text: 'Change the global API key under My Profile > API Tokens at once: it has full access to the account. Use scoped API tokens instead.',
    url: CLOUDFLARE_TOKENS,
  }),
  prefixed({
    id: 'cloudflare-origin-ca-key',
    title: 'Cloudflare Origin CA key',
    provider: 'Cloudflare',
    prefix: 'v1.0-',
    body: '[a-f0-9]{24}-[a-f0-9]{146}',
    sample: (gen) => `v1.0-${gen.chars(HEX, 24)}-${gen.chars(HEX, 146)}`,
    name: 'CLOUDFLARE_ORIGIN_CA_KEY',
    text: 'Revoke the Origin CA key under My Profile > API Tokens > Origin CA Key and create a new one.',
    url: 'https://developers.cloudflare.com/fundamentals/api/get-started/ca-keys/',
  }),
  prefixed({
    id: 'alibaba-access-key-id',
    title: 'Alibaba Cloud AccessKey ID',
    provider: 'Alibaba Cloud',
    // The id names the key; its secret is usually a line away. Reported so both get rotated together.
    severity: 'medium',
    prefix: 'LTAI',
    body: '[A-Za-z0-9]{12,20}',
    gate: { chars: ALNUM, min: 12 },
    minEntropy: 3,
    sample: (gen) => `LTAI${gen.chars(ALNUM, gen.pick([12, 20]))}`,
    name: 'ALIBABA_CLOUD_ACCESS_KEY_ID',
    text: 'Disable and delete the AccessKey pair in the RAM console, then create a new one for a RAM user with only the needed policies.',
    url: 'https://ram.console.aliyun.com/manage/ak',
  }),
  named({
    id: 'alibaba-access-key-secret',
    title: 'Alibaba Cloud AccessKey secret',
    provider: 'Alibaba Cloud',
    severity: 'high',
    words: ['alibaba', 'aliyun', 'alicloud'],
    value: '[A-Za-z0-9]{30}',
    chars: ALNUM,
    min: 30,
    minEntropy: 3.5,
    sample: (gen) => gen.chars(ALNUM, 30),
    name: 'ALIBABA_CLOUD_ACCESS_KEY_SECRET',
    text: 'Disable and delete the AccessKey pair in the RAM console, then create a new one.',
    url: 'https://ram.console.aliyun.com/manage/ak',
  }),
  prefixed({
    id: 'yandex-api-key',
    title: 'Yandex Cloud API key',
    provider: 'Yandex Cloud',
    prefix: 'AQVN',
    body: '[A-Za-z0-9_-]{35,38}',
    gate: { chars: BASE64URL, min: 35 },
    minEntropy: 3.5,
    sample: (gen) => `AQVN${gen.chars(BASE64URL, gen.int(35, 38))}`,
    name: 'YC_API_KEY',
    text: 'Delete the API key of the service account in the Yandex Cloud console and create a new one.',
    url: 'https://yandex.cloud/en/docs/iam/operations/api-key/delete',
  }),
  named({
    id: 'yandex-static-key-secret',
    title: 'Yandex Cloud static access key secret',
    provider: 'Yandex Cloud',
    severity: 'high',
    words: ['yandex', 'yc_'],
    value: 'YC[A-Za-z0-9_-]{38}',
    chars: BASE64URL,
    min: 40,
    minEntropy: 3.5,
    sample: (gen) => `YC${gen.chars(BASE64URL, 38)}`,
    name: 'YANDEX_SECRET_KEY',
    text: 'Delete the static access key of the service account and create a new one.',
    url: 'https://yandex.cloud/en/docs/iam/operations/sa/create-access-key',
  }),
  named({
    id: 'yandex-iam-token',
    title: 'Yandex Cloud IAM token',
    provider: 'Yandex Cloud',
    severity: 'high',
    words: ['yandex', 'yc_', 'yc.'],
    names: ['iam_token', 'iamtoken'],
    value: 't1\\.[A-Za-z0-9_-]{1,200}={0,2}\\.[A-Za-z0-9_-]{86}={0,2}',
    chars: BASE64URL,
    min: 86,
    minEntropy: 3.5,
    sample: (gen) => `t1.${gen.chars(BASE64URL, gen.int(30, 150))}.${gen.chars(BASE64URL, 86)}`,
    name: 'YC_IAM_TOKEN',
    text: 'IAM tokens expire within 12 hours; revoke the credential that issued it (OAuth token, key or session) now.',
    url: 'https://yandex.cloud/en/docs/iam/operations/iam-token/revoke-iam-token',
  }),
];

