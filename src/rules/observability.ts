import type { Rule, SampleGen } from '../scan/types.js';
import { ALNUM, BASE64, BASE64URL, DIGITS, HEX, LOWER, UPPER } from './alphabets.js';
import { named, prefixed } from './shapes.js';

// ---------------------------------------------------------------------------------------------------
// Sentry: org auth tokens are `sntrys_`, a base64 JSON claim set (issued-at, URL, region, org slug),
// `_` and a 43-character secret; user tokens `sntryu_` and 64 hex digits.
// ---------------------------------------------------------------------------------------------------

/** The claim set must decode to a JSON object with Sentry's `iat` claim: random text never does. */
function validSentryOrgToken(token: string): boolean {
  const claims = token.slice('sntrys_'.length, token.lastIndexOf('_'));
  try {
    const parsed: unknown = JSON.parse(Buffer.from(claims, 'base64').toString('utf8'));
    return typeof parsed === 'object' && parsed !== null && 'iat' in parsed;
  } catch {
    return false;
  }
}

function sentryOrgToken(gen: SampleGen): string {
  const org = gen.chars(LOWER, gen.int(4, 16));
  const claims = { iat: gen.int(1_600_000_000, 1_900_000_000) + gen.int(0, 999_999) / 1e6, url: 'https://sentry.io', region_url: 'https://us.sentry.io', org };
  const encoded = Buffer.from(JSON.stringify(claims)).toString('base64');
  return `sntrys_${encoded}_${gen.chars(BASE64, 43)}`;
}

// ---------------------------------------------------------------------------------------------------
// Grafana: Cloud access policy tokens (`glc_` and base64 JSON), service account tokens (`glsa_`, 32
// alphanumerics, `_` and an 8-hex checksum) and legacy API keys (base64 of `{"k":"...`).
// ---------------------------------------------------------------------------------------------------

function grafanaCloudToken(gen: SampleGen): string {
  const claims = JSON.stringify({ o: `${gen.int(100000, 999999)}`, n: `stack-${gen.int(100000, 999999)}-hl-read`, k: gen.chars(ALNUM, 24), m: { r: 'us' } });
  return `glc_${Buffer.from(claims).toString('base64')}`;
}

function grafanaLegacyKey(gen: SampleGen): string {
  const claims = JSON.stringify({ k: gen.chars(ALNUM, 32), n: gen.chars(LOWER, gen.int(4, 12)), id: gen.int(1, 99) });
  return Buffer.from(claims).toString('base64');
}

/**
 * License keys (`...NRAL`) and mobile app tokens (`...-NRMA`) end with their marker: 36 or 42
 * alphanumerics come first (hex, or a region such as `eu01xx` and hex), so the rule starts its match
 * where that run starts.
 */
function newRelicSuffixed(id: string, title: string, suffix: string, run: number, text: string): Rule {
  const make = (gen: SampleGen, n = run): string => `${gen.pick(['', 'eu01xx'])}${gen.chars(HEX, n)}`.slice(-n) + suffix;
  return {
    id,
    title,
    provider: 'New Relic',
    severity: suffix === 'NRAL' ? 'high' : 'low',
    keywords: [suffix.toLowerCase()],
    owns: { suffixes: [suffix] },
    pattern: new RegExp(`(?<![A-Za-z0-9])[A-Za-z0-9]{${run}}${suffix}(?![A-Za-z0-9_-])`),
    lookback: run,
    maxLength: suffix.length + 1,
    startRun: { chars: ALNUM, min: run, max: run },
    minEntropy: 3,
    remediation: { text, url: NEW_RELIC_KEYS },
    samples: {
      secret: (gen) => make(gen),
      name: 'NEW_RELIC_LICENSE_KEY',
      negatives: (gen) => [make(gen, run - 4), `NEW_RELIC_LICENSE_KEY=${'x'.repeat(run)}${suffix}`, 'NEW_RELIC_LICENSE_KEY=${{ secrets.NEW_RELIC_LICENSE_KEY }}'],
    },
  };
}

const DATADOG_KEYS = 'https://docs.datadoghq.com/account_management/api-app-keys/';
const NEW_RELIC_KEYS = 'https://docs.newrelic.com/docs/apis/intro-apis/new-relic-api-keys/';

export const observabilityRules: Rule[] = [
  named({
    id: 'datadog-api-key',
    title: 'Datadog API or application key',
    provider: 'Datadog',
    // API keys are 32 hex digits and application keys 40; neither has a prefix.
    words: ['datadog', 'dd_'],
    names: ['dd_api_key', 'dd_app_key', 'dd_application_key'],
    value: '[A-Za-z0-9]{40}|[a-f0-9]{32}',
    chars: ALNUM,
    min: 32,
    minEntropy: 3,
    sample: (gen) => (gen.int(0, 1) === 0 ? gen.chars(HEX, 32) : gen.chars(ALNUM, 40)),
    name: 'DATADOG_API_KEY',
    positives: (gen) => {
      const key = gen.chars(HEX, 32);
      return [{ text: `export DD_API_KEY=${key}\n`, secret: key }];
    },
    negatives: (gen) => [`DATADOG_SITE=${gen.chars(HEX, 32)}`, `DD_API_KEY=${gen.chars(HEX, 20)}`],
    text: 'Revoke the key under Organization Settings > API Keys (or Application Keys) and create a new one.',
    url: DATADOG_KEYS,
  }),
  prefixed({
    id: 'new-relic-user-api-key',
    title: 'New Relic user API key',
    provider: 'New Relic',
    prefix: 'NRAK-',
    body: '[A-Z0-9]{27}',
    sample: (gen) => `NRAK-${gen.chars(UPPER + DIGITS, 27)}`,
    name: 'NEW_RELIC_API_KEY',
    text: 'Delete the user key on the API keys page and create a new one; it acts as the user.',
    url: NEW_RELIC_KEYS,
  }),
  prefixed({
    id: 'new-relic-admin-key',
    title: 'New Relic admin API key',
    provider: 'New Relic',
    severity: 'critical',
    prefix: 'NRAA-',
    body: '[a-f0-9]{27}',
    sample: (gen) => `NRAA-${gen.chars(HEX, 27)}`,
    name: 'NEW_RELIC_ADMIN_KEY',
    text: 'Delete the admin key on the API keys page at once and move callers to user keys.',
    url: NEW_RELIC_KEYS,
  }),
  prefixed({
    id: 'new-relic-insights-key',
    title: 'New Relic Insights insert or query key',
    provider: 'New Relic',
    prefix: 'NRII-',
    alternatives: ['NRIQ-'],
    body: '[A-Za-z0-9_-]{32}',
    sample: (gen) => `${gen.pick(['NRII-', 'NRIQ-'])}${gen.chars(BASE64URL, 32)}`,
    name: 'NEW_RELIC_INSERT_KEY',
    text: 'Delete the Insights key on the API keys page and create an ingest key instead.',
    url: NEW_RELIC_KEYS,
  }),
  prefixed({
    id: 'new-relic-browser-key',
    title: 'New Relic browser or mobile ingest key',
    provider: 'New Relic',
    severity: 'low',
    prefix: 'NRJS-',
    alternatives: ['NRBR-'],
    body: '[a-f0-9]{19}',
    sample: (gen) => `${gen.pick(['NRJS-', 'NRBR-'])}${gen.chars(HEX, 19)}`,
    name: 'NEW_RELIC_BROWSER_KEY',
    text: 'Browser keys ship to clients by design; rotate it on the API keys page if data is being spoofed.',
    url: NEW_RELIC_KEYS,
  }),
  newRelicSuffixed('new-relic-license-key', 'New Relic license (ingest) key', 'NRAL', 36, 'Rotate the license key on the API keys page; agents report into your account with it.'),
  newRelicSuffixed('new-relic-mobile-token', 'New Relic mobile app token', '-NRMA', 42, 'Regenerate the mobile app token in the app settings; it ships in the app, so expect spoofed data until then.'),
  prefixed({
    id: 'sentry-org-token',
    title: 'Sentry organization auth token',
    provider: 'Sentry',
    prefix: 'sntrys_',
    body: 'eyJ[A-Za-z0-9+/]{30,600}={0,2}_[A-Za-z0-9+/]{43}',
    gate: { chars: BASE64, min: 30 },
    validate: validSentryOrgToken,
    sample: sentryOrgToken,
    name: 'SENTRY_AUTH_TOKEN',
    negatives: (gen) => [`sntrys_${gen.chars(ALNUM, 80)}_${gen.chars(ALNUM, 43)}`],
    text: 'Revoke the token under Settings > Auth Tokens (organization) and create a new one.',
    url: 'https://docs.sentry.io/account/auth-tokens/',
  }),
  prefixed({
    id: 'sentry-user-token',
    title: 'Sentry user auth token',
    provider: 'Sentry',
    prefix: 'sntryu_',
    body: '[a-f0-9]{64}',
    sample: (gen) => `sntryu_${gen.chars(HEX, 64)}`,
    name: 'SENTRY_AUTH_TOKEN',
    text: 'Revoke the personal token under User Settings > Personal Tokens; it acts as you.',
    url: 'https://docs.sentry.io/account/auth-tokens/',
  }),
  named({
    id: 'sentry-legacy-token',
    title: 'Sentry auth token (legacy)',
    provider: 'Sentry',
    words: ['sentry'],
    value: '[a-f0-9]{64}',
    chars: HEX,
    min: 64,
    sample: (gen) => gen.chars(HEX, 64),
    name: 'SENTRY_AUTH_TOKEN',
    text: 'Revoke the token in Sentry (User Settings > Personal Tokens) and create a scoped one.',
    url: 'https://docs.sentry.io/account/auth-tokens/',
  }),
  prefixed({
    id: 'grafana-cloud-token',
    title: 'Grafana Cloud access policy token',
    provider: 'Grafana',
    prefix: 'glc_',
    body: '[A-Za-z0-9+/]{32,400}={0,2}',
    gate: { chars: BASE64, min: 32 },
    sample: grafanaCloudToken,
    name: 'GRAFANA_CLOUD_TOKEN',
    text: 'Delete the token from its access policy in the Grafana Cloud portal and create a new one.',
    url: 'https://grafana.com/docs/grafana-cloud/security-and-account-management/authentication-and-permissions/access-policies/',
  }),
  prefixed({
    id: 'grafana-service-account-token',
    title: 'Grafana service account token',
    provider: 'Grafana',
    prefix: 'glsa_',
    body: '[A-Za-z0-9]{32}_[a-f0-9]{8}',
    sample: (gen) => `glsa_${gen.chars(ALNUM, 32)}_${gen.chars(HEX, 8)}`,
    name: 'GRAFANA_TOKEN',
    text: 'Delete the token under Administration > Service accounts and add a new one.',
    url: 'https://grafana.com/docs/grafana/latest/administration/service-accounts/',
  }),
  prefixed({
    id: 'grafana-api-key',
    title: 'Grafana API key (legacy)',
    provider: 'Grafana',
    // base64 of `{"k":"`: every legacy key is a JSON object whose first member is the key.
    prefix: 'eyJrIjoi',
    body: '[A-Za-z0-9]{50,300}={0,2}',
    gate: { chars: ALNUM, min: 50 },
    sample: grafanaLegacyKey,
    name: 'GRAFANA_API_KEY',
    text: 'Delete the API key and migrate to a service account token (API keys are deprecated).',
    url: 'https://grafana.com/docs/grafana/latest/administration/service-accounts/migrate-api-keys/',
  }),
];
