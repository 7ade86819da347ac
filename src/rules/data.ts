import type { Rule } from '../scan/types.js';
import { ALNUM, BASE64URL, DIGITS, HEX, LOWER, UPPER } from './alphabets.js';
import { named, prefixed } from './shapes.js';

// ---------------------------------------------------------------------------------------------------
// Hosted databases and data platforms: Supabase, PlanetScale, Confluent.
// ---------------------------------------------------------------------------------------------------

const PSCALE_BODY = `${ALNUM}_-`;

const planetscale = (id: string, kind: 'tkn' | 'oauth' | 'pw', title: string, text: string, url: string): Rule =>
  prefixed({
    id,
    title,
    provider: 'PlanetScale',
    severity: kind === 'tkn' ? 'critical' : 'high',
    prefix: `pscale_${kind}_`,
    body: '[A-Za-z0-9_.=-]{32,64}',
    gate: { chars: `${PSCALE_BODY}.=`, min: 32 },
    minEntropy: 3.5,
    sample: (gen) => `pscale_${kind}_${gen.chars(PSCALE_BODY, gen.int(32, 64))}`,
    name: kind === 'pw' ? 'DATABASE_PASSWORD' : 'PLANETSCALE_SERVICE_TOKEN',
    text,
    url,
  });

export const dataRules: Rule[] = [
  prefixed({
    id: 'supabase-access-token',
    title: 'Supabase personal access token',
    provider: 'Supabase',
    severity: 'critical',
    prefix: 'sbp_',
    body: '[a-z0-9]{40}',
    gate: { chars: LOWER + DIGITS, min: 40 },
    sample: (gen) => `sbp_${gen.chars(HEX, 40)}`,
    name: 'SUPABASE_ACCESS_TOKEN',
    text: 'Revoke the token under Account > Access Tokens; it manages every project you can reach.',
    url: 'https://supabase.com/dashboard/account/tokens',
  }),
  prefixed({
    id: 'supabase-secret-key',
    title: 'Supabase secret API key',
    provider: 'Supabase',
    severity: 'critical',
    prefix: 'sb_secret_',
    body: '[A-Za-z0-9_-]{31,40}',
    minEntropy: 3.5,
    sample: (gen) => `sb_secret_${gen.chars(BASE64URL, 31)}`,
    name: 'SUPABASE_SECRET_KEY',
    text: 'Delete the secret key under Project Settings > API Keys and create a new one; it bypasses row-level security.',
    url: 'https://supabase.com/docs/guides/api/api-keys',
  }),
  planetscale('planetscale-service-token', 'tkn', 'PlanetScale service token', 'Delete the service token under Organization settings > Service tokens.', 'https://planetscale.com/docs/concepts/service-tokens'),
  planetscale('planetscale-oauth-token', 'oauth', 'PlanetScale OAuth token', 'Revoke the OAuth application\'s access in the organization settings.', 'https://planetscale.com/docs/concepts/planetscale-api-oauth-applications'),
  planetscale('planetscale-password', 'pw', 'PlanetScale database password', 'Delete the password on the database branch\'s Passwords page and create a new one.', 'https://planetscale.com/docs/concepts/connection-strings'),
  named({
    id: 'confluent-api-key',
    title: 'Confluent Cloud API key or secret',
    provider: 'Confluent',
    severity: 'high',
    words: ['confluent', 'ccloud'],
    value: '[A-Za-z0-9+/]{64}|[A-Za-z0-9]{16}',
    chars: ALNUM,
    min: 16,
    minEntropy: 3,
    sample: (gen) => (gen.int(0, 1) === 0 ? gen.chars(UPPER + DIGITS, 16) : gen.chars(ALNUM, 64)),
    name: 'CONFLUENT_API_SECRET',
    text: 'Delete the API key under Administration > API keys in Confluent Cloud and create a new one.',
    url: 'https://docs.confluent.io/cloud/current/security/authenticate/workload-identities/service-accounts/api-keys/manage-api-keys.html',
  }),
];
