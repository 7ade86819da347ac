import { createHash } from 'node:crypto';
import { shannonEntropy } from '../scan/entropy.js';
import type { FindingPair } from '../scan/pairing.js';
import type { Rule, SampleGen } from '../scan/types.js';
import { ALNUM, BASE64, BASE64URL, DIGITS, HEX, LOWER, UPPER } from './alphabets.js';
import { anyCase, assigned, assignedValueGates, CREDENTIAL_WORD, NAME_TAIL, placeholderTexts, STRICT_FORMAT } from './ai.js';

const START = '(?<![A-Za-z0-9_-])';
const END = '(?![A-Za-z0-9_-])';

/** A text where the value is assigned to a neutral name, so only the format speaks for it. */
const unnamed = (value: string): string => `API_TOKEN=${value}\n`;

// ---------------------------------------------------------------------------------------------------
// Google API keys (Maps, Firebase, and Gemini keys from Google AI Studio): `AIza` + 35 base64url.
// ---------------------------------------------------------------------------------------------------

const googleApiKey = (gen: SampleGen, n = 35): string => `AIza${gen.chars(BASE64URL, n)}`;

// ---------------------------------------------------------------------------------------------------
// Azure AI services (Azure OpenAI, Cognitive Services). Keys issued before 2024 are 32 hex digits, which
// only a name can tell apart from a hash. Newer keys are Microsoft's 84-character "common annotated
// security key": 52 random characters, the fixed signature JQQJ99 (JQQJ9D derived, JQQJ9H hashed), a
// creation year and month (A-L), 12 platform characters, 4 provider characters (AAA + a service letter
// for Cognitive Services), the provider signature ACOG and a 4-character checksum.
// ---------------------------------------------------------------------------------------------------

const AZURE_SIGNATURE = 'JQQJ9';
const AZURE_URL = 'https://learn.microsoft.com/en-us/azure/ai-services/rotate-keys';

function azureAnnotatedKey(gen: SampleGen, provider = 'ACOG'): string {
  return (
    gen.chars(ALNUM, 52) +
    AZURE_SIGNATURE +
    gen.pick(['9', 'D']) +
    gen.chars(UPPER, 1) +
    gen.chars('ABCDEFGHIJKL', 1) +
    gen.chars(ALNUM, 12) +
    'AAA' +
    gen.chars(UPPER, 1) +
    provider +
    gen.chars(ALNUM, 4)
  );
}

const azureHexKey = (gen: SampleGen, n = 32): string => gen.chars(HEX, n);

/** An annotated key whose provider signature names one service: the rule checks the whole layout. */
function azureAnnotatedRule(id: string, title: string, signature: string, severity: Rule['severity'], name: string, text: string, url: string): Rule {
  return {
    id,
    title,
    provider: 'Microsoft Azure',
    severity,
    keywords: [AZURE_SIGNATURE.toLowerCase()],
    lookback: 52,
    maxLength: 40,
    startRun: { chars: ALNUM, min: 52, max: 52 },
    pattern: new RegExp(`(?<![A-Za-z0-9+/])[A-Za-z0-9]{52}${AZURE_SIGNATURE}[9DH][A-Za-z0-9][A-L][A-Za-z0-9]{16}${signature}[A-Za-z0-9]{4}(?![A-Za-z0-9+/=])`),
    minEntropy: 4,
    ...STRICT_FORMAT,
    remediation: { text, url },
    samples: {
      secret: (gen) => azureAnnotatedKey(gen, signature),
      name,
      negatives: (gen) => [azureAnnotatedKey(gen, signature).slice(0, 80), azureAnnotatedKey(gen, 'ACOG'), ...placeholderTexts(name)],
    },
  };
}

// ---------------------------------------------------------------------------------------------------
// AWS. Access key ids are a 4-letter type prefix and 16 base32 characters (A-Z, 2-7): AKIA long-term,
// ASIA temporary (STS), ABIA STS service bearer, ACCA context-specific. A secret access key is 40 base64
// characters with no marker, so it is keyed on the variable's name.
// ---------------------------------------------------------------------------------------------------

const BASE32 = `${UPPER}234567`;
const AWS_ID_PREFIXES = ['AKIA', 'ASIA', 'ABIA', 'ACCA'] as const;
const AWS_URL = 'https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_access-keys.html#rotating_access_keys_console';

const awsKeyId = (gen: SampleGen): string => gen.pick(AWS_ID_PREFIXES) + gen.chars(BASE32, 16);
const awsSecret = (gen: SampleGen, n = 40): string => gen.chars(BASE64, n);

/** AWS documentation's sample credentials, assembled so that the literal values never sit in this file. */
const AWS_DOC_KEY_ID = ['AKIA', 'IOSFODNN7', 'EXAMPLE'].join('');
const AWS_DOC_SECRET = ['wJalrXUtnFEMI', 'K7MDENG', 'bPxRfiCY'].join('/') + ['EXAMPLE', 'KEY'].join('');

/** How close an access key id and its secret must be to count as one credential. */
const AWS_PAIR_LINES = 5;

/**
 * An access key id next to a secret access key is a working credential, not two half-leaks: both
 * findings say so and become critical. The engine applies it with `pairFindings`.
 */
export const AWS_KEY_PAIR: FindingPair = {
  a: 'aws-access-key-id',
  b: 'aws-secret-access-key',
  maxLines: AWS_PAIR_LINES,
  note: `AWS access key id and secret access key found within ${AWS_PAIR_LINES} lines of each other: together they sign requests as the IAM identity. Deactivate the access key now.`,
  severity: 'critical',
};

/** Pairs of cloud rules that must be judged together. */
export const CLOUD_PAIRS: readonly FindingPair[] = [AWS_KEY_PAIR];

// ---------------------------------------------------------------------------------------------------
// GCP service-account key files: JSON whose "private_key" holds a PKCS#8 PEM with its newlines escaped.
// The rule reports the "private_key" string value, which covers the PEM block the private-key rule also
// sees: the longer span wins, so one leaked file makes one finding, labelled as the service account.
// ---------------------------------------------------------------------------------------------------

const PEM_BODY = String.raw`(?:\\n|[A-Za-z0-9+/=]){64,8192}`;
/** Where "service_account" may sit: before the key (the usual order) or after it. */
const SA_BEFORE = 12000;
const SA_AFTER = 2000;

/**
 * A real key body is a DER SEQUENCE long enough to need a two-byte length, which base64 writes as `MII`,
 * and random enough that a run of one letter or a made-up filler fails.
 */
function validServiceAccountKey(value: string): boolean {
  const body = value
    .replace(/-----(?:BEGIN|END) (?:RSA )?PRIVATE KEY-----/g, '')
    .replace(/\\n/g, '');
  return body.length >= 600 && body.startsWith('MII') && shannonEntropy(body) >= 5;
}

/** A PKCS#8 PEM with a random body, newlines escaped as in a key file's JSON. */
function escapedPem(gen: SampleGen, bodyLength = 1620): string {
  const body = `MIIE${gen.chars(BASE64, bodyLength - 6)}==`;
  const lines: string[] = [];
  for (let i = 0; i < body.length; i += 64) lines.push(body.slice(i, i + 64));
  return `-----BEGIN PRIVATE KEY-----\\n${lines.join('\\n')}\\n-----END PRIVATE KEY-----\\n`;
}

function serviceAccountJson(gen: SampleGen, privateKey: string, options: { typeLast?: boolean; withType?: boolean } = {}): string {
  const project = `${gen.chars(LOWER, 6)}-${gen.chars(DIGITS, 6)}`;
  const email = `deployer@${project}.iam.gserviceaccount.com`;
  const fields = [
    `  "project_id": "${project}"`,
    `  "private_key_id": "${gen.chars(HEX, 40)}"`,
    `  "private_key": "${privateKey}"`,
    `  "client_email": "${email}"`,
    `  "client_id": "${gen.chars(DIGITS, 21)}"`,
    '  "auth_uri": "https://accounts.google.com/o/oauth2/auth"',
    '  "token_uri": "https://oauth2.googleapis.com/token"',
    '  "universe_domain": "googleapis.com"',
  ];
  const type = '  "type": "service_account"';
  if (options.withType !== false) {
    if (options.typeLast === true) fields.push(type);
    else fields.unshift(type);
  }
  return `{\n${fields.join(',\n')}\n}\n`;
}

// ---------------------------------------------------------------------------------------------------
// Databricks and DigitalOcean: prefixed tokens.
// ---------------------------------------------------------------------------------------------------

const databricksToken = (gen: SampleGen): string => `dapi${gen.chars(HEX, 32)}${gen.pick(['', '', '-2', '-3'])}`;

const DO_URL = 'https://cloud.digitalocean.com/account/api/tokens';

const digitalOceanRule = (id: string, prefix: 'dop_v1_' | 'doo_v1_' | 'dor_v1_', title: string, text: string): Rule => ({
  id,
  title,
  provider: 'DigitalOcean',
  severity: 'critical',
  keywords: [prefix],
  pattern: new RegExp(`${START}${prefix}[a-f0-9]{64}${END}`),
  minEntropy: 3,
  remediation: { text, url: DO_URL },
  samples: {
    secret: (gen) => `${prefix}${gen.chars(HEX, 64)}`,
    name: 'DIGITALOCEAN_TOKEN',
    negatives: (gen) => [`${prefix}${gen.chars(HEX, 60)}`, `${prefix}${gen.chars(UPPER, 64)}`, ...placeholderTexts('DIGITALOCEAN_TOKEN', prefix)],
  },
});

// ---------------------------------------------------------------------------------------------------
// Azure keys in Microsoft's identifiable formats carry a service signature at a fixed place: storage
// account keys `+ASt`, Cosmos DB `ACDb`, Container Registry `+ACR`, Functions `AzFu`, AI Search `AzSe`.
// The 84-character "common annotated" keys (see azureAnnotatedKey) name their service in the 4 characters
// before the checksum: `ACOG` AI services, `AZDO` DevOps, `AAZC` App Configuration, others elsewhere.
// ---------------------------------------------------------------------------------------------------

interface IdentifiableSpec {
  id: string;
  title: string;
  severity: Rule['severity'];
  signature: string;
  /** Characters before the signature, and after it (the last of which may be `==` padding). */
  before: number;
  after: number;
  /** Body alphabet: standard base64, or base64url for Functions keys, or alphanumerics for Search keys. */
  alphabet: string;
  padded: boolean;
  name: string;
  text: string;
  url: string;
}

const regexClass = (alphabet: string): string => `[${alphabet.replace(/[\]\\^-]/g, '\\$&').replace('ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'A-Z').replace('abcdefghijklmnopqrstuvwxyz', 'a-z').replace('0123456789', '0-9')}]`;

/** A key of `before` random characters, the signature, then `after` more (a 64-byte key's last base64 digit carries 2 bits). */
function identifiableKey(spec: IdentifiableSpec, gen: SampleGen): string {
  const tail = spec.padded ? `${gen.chars(spec.alphabet, spec.after - 3)}${gen.pick(['A', 'Q', 'g', 'w'])}==` : gen.chars(spec.alphabet, spec.after);
  return `${gen.chars(spec.alphabet, spec.before)}${spec.signature}${tail}`;
}

const identifiableRule = (spec: IdentifiableSpec): Rule => {
  const cls = regexClass(spec.alphabet);
  const tail = spec.padded ? `${cls}{${spec.after - 3}}[AQgw]==` : `${cls}{${spec.after}}`;
  const escaped = spec.signature.replace(/\+/g, '\\+');
  return {
    id: spec.id,
    title: spec.title,
    provider: 'Microsoft Azure',
    severity: spec.severity,
    keywords: [spec.signature.toLowerCase()],
    // The signature sits `before` characters into the key.
    lookback: spec.before,
    // Past the longest match, so that a window never ends where the closing lookahead needs a character.
    maxLength: spec.after + spec.signature.length + 8,
    startRun: { chars: spec.alphabet, min: spec.before, max: spec.before },
    pattern: new RegExp(`(?<!${cls})${cls}{${spec.before}}${escaped}${tail}(?!${cls}|=)`),
    minEntropy: 4,
    ...STRICT_FORMAT,
    remediation: { text: spec.text, url: spec.url },
    samples: {
      secret: (gen) => identifiableKey(spec, gen),
      name: spec.name,
      negatives: (gen) => {
        const key = identifiableKey(spec, gen);
        return [key.slice(0, -6), `${gen.chars(ALNUM, 1)}${key}`, `${spec.name}=${'A'.repeat(spec.before)}${spec.signature}${'A'.repeat(spec.after)}`, ...placeholderTexts(spec.name)];
      },
    },
  };
};

/** The Azurite storage emulator's documented account key, published for local use: its SHA-256. */
const AZURITE_KEY_SHA256 = '0011cc25eb4320717494d2703e8cba85743e71b500283c21c8b88147992f9059';
const isAzuriteKey = (key: string): boolean => createHash('sha256').update(key).digest('hex') === AZURITE_KEY_SHA256;

const storageKey = (gen: SampleGen): string => `${gen.chars(BASE64, 85)}${gen.pick(['A', 'Q', 'g', 'w'])}==`;

/** An Entra ID client secret: 3 characters, a version digit, `Q~`, then 31 (version 7) or 34 (version 8) more. */
const ENTRA_CHARS = `${ALNUM}_~.-`;
function entraSecret(gen: SampleGen): string {
  const version = gen.pick(['7', '8']);
  return `${gen.chars(ENTRA_CHARS, 3)}${version}Q~${gen.chars(ENTRA_CHARS, version === '7' ? 31 : 34)}`;
}

/** A SAS signature: base64 of an HMAC-SHA256 (32 bytes), URL-encoded as it appears in a SAS URL. */
function sasSignature(gen: SampleGen): string {
  return encodeURIComponent(Buffer.from(gen.bytes(32)).toString('base64'));
}

function validSasSignature(sig: string): boolean {
  try {
    return Buffer.from(decodeURIComponent(sig), 'base64').length === 32;
  } catch {
    return false;
  }
}

/** A year from which samples' SAS tokens still run: two years after the test runs, so they never lapse. */
const FUTURE_YEAR = new Date().getUTCFullYear() + 2;

function sasUrl(gen: SampleGen, sig: string, expiry = `${FUTURE_YEAR}-12-31T18:00:00Z`): string {
  return `https://${gen.chars(LOWER, 10)}.blob.core.windows.net/backups/db.bak?sp=r&st=2026-01-05T10:00:00Z&se=${expiry}&spr=https&sv=2022-11-02&sr=b&sig=${sig}`;
}

/**
 * Whether the SAS around `index` has lapsed: its signed expiry (`se=`, part of what the signature covers,
 * so it cannot be moved) is in the past. Such a token opens nothing; Go's SAS tests hold dozens from 2018.
 */
function sasExpired(text: string, index: number): boolean {
  // The token's own text: back to the quote or blank before it, on to the one after it.
  const from = Math.max(0, index - 420);
  const before = text.slice(from, index);
  const cut = Math.max(before.lastIndexOf(' '), before.lastIndexOf('"'), before.lastIndexOf("'"), before.lastIndexOf('\n'));
  const after = text.slice(index, index + 160);
  const end = after.search(/[\s"'<>]/);
  const token = before.slice(cut + 1) + (end === -1 ? after : after.slice(0, end));
  const m = /(?:^|[?&;])se=([0-9]{4}-[0-9]{2}-[0-9]{2})(?:T([0-9]{2})(?::|%3[Aa])([0-9]{2}))?/.exec(token);
  if (m === null) return false;
  const when = Date.parse(`${m[1]}T${m[2] ?? '00'}:${m[3] ?? '00'}:00Z`);
  return Number.isFinite(when) && when < Date.now();
}

/** Azure DevOps PATs issued before 2024: 52 lowercase base32 characters. */
const devopsLegacyPat = (gen: SampleGen): string => gen.chars(`${LOWER.slice(0, 26)}234567`, 52);

// ---------------------------------------------------------------------------------------------------
// Amazon Bedrock API keys. Long-term keys are `ABSK` + base64 of `BedrockAPIKey-<id>-at-<account>:<secret>`;
// short-term keys are `bedrock-api-key-` + base64 of a presigned `bedrock.amazonaws.com` URL. Both decode.
// ---------------------------------------------------------------------------------------------------

const BEDROCK_LONG_HEAD = 'BedrockAPIKey-';
const BEDROCK_SHORT_HEAD = 'bedrock.amazonaws.com/';
/** base64 of the heads, as the keys start (both heads are a multiple of 3 bytes minus the last partial group). */
const BEDROCK_LONG_B64 = Buffer.from(BEDROCK_LONG_HEAD).toString('base64').slice(0, 18);
const BEDROCK_SHORT_B64 = Buffer.from(BEDROCK_SHORT_HEAD).toString('base64').slice(0, 28);

function validBedrockLongKey(key: string): boolean {
  const decoded = Buffer.from(key.slice(4), 'base64').toString('latin1');
  return decoded.startsWith(BEDROCK_LONG_HEAD) && /^BedrockAPIKey-[A-Za-z0-9_-]{1,64}-at-[0-9]{12}:[\x21-\x7e]{20,}$/.test(decoded);
}

function validBedrockShortKey(key: string): boolean {
  const decoded = Buffer.from(key.slice('bedrock-api-key-'.length), 'base64').toString('latin1');
  return decoded.startsWith(BEDROCK_SHORT_HEAD) && decoded.includes('Action=CallWithBearerToken') && /X-Amz-Signature=[0-9a-f]{64}/.test(decoded);
}

function bedrockLongKey(gen: SampleGen): string {
  const plain = `${BEDROCK_LONG_HEAD}${gen.chars(ALNUM, gen.int(4, 12))}-at-${gen.chars(DIGITS, 12)}:${gen.chars(BASE64, 40)}`;
  return `ABSK${Buffer.from(plain).toString('base64')}`;
}

function bedrockShortKey(gen: SampleGen): string {
  const credential = `${gen.pick(AWS_ID_PREFIXES)}${gen.chars(BASE32, 16)}%2F20260105%2Fus-east-1%2Fbedrock%2Faws4_request`;
  const url = `${BEDROCK_SHORT_HEAD}?Action=CallWithBearerToken&X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=${credential}&X-Amz-Date=20260105T101500Z&X-Amz-Expires=43200&X-Amz-SignedHeaders=host&X-Amz-Signature=${gen.chars(HEX, 64)}&Version=1`;
  return `bedrock-api-key-${Buffer.from(url).toString('base64')}`;
}

// ---------------------------------------------------------------------------------------------------
// Google OAuth: access tokens (`ya29.`), refresh tokens (`1//0`, as in `authorized_user` credential files
// that `gcloud auth application-default login` writes) and client secrets (`GOCSPX-`).
// ---------------------------------------------------------------------------------------------------

const googleAccessToken = (gen: SampleGen): string => `ya29.a0${gen.chars(BASE64URL, gen.int(150, 220))}`;
const googleRefreshToken = (gen: SampleGen): string => `1//0${gen.chars(UPPER, 1)}${gen.chars(BASE64URL, 98)}`;
const googleClientSecret = (gen: SampleGen): string => `GOCSPX-${gen.chars(BASE64URL, 28)}`;

function authorizedUserJson(gen: SampleGen, refresh: string, secret: string): string {
  return `{\n  "account": "",\n  "client_id": "${gen.chars(DIGITS, 12)}-${gen.chars(LOWER + DIGITS, 32)}.apps.googleusercontent.com",\n  "client_secret": "${secret}",\n  "quota_project_id": "acme-prod",\n  "refresh_token": "${refresh}",\n  "type": "authorized_user",\n  "universe_domain": "googleapis.com"\n}\n`;
}

export const cloudRules: Rule[] = [
  {
    id: 'google-api-key',
    title: 'Google API key (also Gemini / AI Studio keys)',
    provider: 'Google',
    severity: 'high',
    keywords: ['aiza'],
    pattern: new RegExp(`${START}AIza[A-Za-z0-9_-]{35}${END}`),
    minEntropy: 3.5,
    ...STRICT_FORMAT,
    remediation: {
      text: 'Delete or regenerate the key under APIs & Services > Credentials (Gemini keys: AI Studio > API keys), then restrict the new one.',
      url: 'https://console.cloud.google.com/apis/credentials',
    },
    samples: {
      secret: (gen) => googleApiKey(gen),
      name: 'GEMINI_API_KEY',
      negatives: (gen) => [
        googleApiKey(gen, 30),
        googleApiKey(gen, 40),
        `GOOGLE_API_KEY=AIzaSy${'X'.repeat(33)}`,
        `AIZA${gen.chars(BASE64URL, 35)}`,
        ...placeholderTexts('GOOGLE_API_KEY', 'AIza'),
      ],
    },
  },
  {
    id: 'azure-ai-services-key',
    title: 'Azure AI services / Azure OpenAI key',
    provider: 'Microsoft Azure',
    severity: 'high',
    keywords: [AZURE_SIGNATURE.toLowerCase()],
    // The signature sits 52 characters into the key.
    lookback: 52,
    maxLength: 40,
    // The lookbehind lets the key start only where its run of letters and digits starts.
    startRun: { chars: ALNUM, min: 52, max: 52 },
    pattern: new RegExp(`(?<![A-Za-z0-9+/])[A-Za-z0-9]{52}${AZURE_SIGNATURE}[9DH][A-Za-z0-9][A-L][A-Za-z0-9]{12}AAA[A-Za-z0-9]ACOG[A-Za-z0-9]{4}(?![A-Za-z0-9+/=])`),
    minEntropy: 4,
    ...STRICT_FORMAT,
    remediation: { text: 'Regenerate the key (Keys and Endpoint) after moving clients to the other key; prefer Entra ID auth.', url: AZURE_URL },
    samples: {
      secret: (gen) => azureAnnotatedKey(gen),
      name: 'AZURE_OPENAI_API_KEY',
      negatives: (gen) => {
        const key = azureAnnotatedKey(gen);
        return [
          key.slice(0, 80),
          // Another Azure service's signature (Event Grid) is not an AI services key.
          azureAnnotatedKey(gen, 'AZEG'),
          // 85 characters in a run are not an 84-character key, even where the last 84 would be one.
          `AZURE_OPENAI_API_KEY=${gen.chars(ALNUM, 1)}${azureAnnotatedKey(gen)}`,
          ...placeholderTexts('AZURE_OPENAI_API_KEY'),
        ];
      },
    },
  },
  azureAnnotatedRule('azure-devops-pat', 'Azure DevOps personal access token', 'AZDO', 'critical', 'AZURE_DEVOPS_PAT', 'Revoke the token under User settings > Personal access tokens in Azure DevOps and create a narrower one.', 'https://learn.microsoft.com/en-us/azure/devops/organizations/accounts/use-personal-access-tokens-to-authenticate#revoke-pats'),
  azureAnnotatedRule('azure-app-configuration-key', 'Azure App Configuration access key', 'AAZC', 'high', 'AZURE_APPCONFIG_SECRET', 'Regenerate the access key (App Configuration > Access settings) after moving clients to the other key; prefer Entra ID auth.', 'https://learn.microsoft.com/en-us/azure/azure-app-configuration/howto-disable-access-key-authentication'),
  {
    id: 'azure-annotated-key',
    title: 'Azure service key (common annotated format)',
    provider: 'Microsoft Azure',
    severity: 'high',
    keywords: [AZURE_SIGNATURE.toLowerCase()],
    lookback: 52,
    maxLength: 40,
    startRun: { chars: ALNUM, min: 52, max: 52 },
    // Any service but those with a rule of their own (AI services, DevOps, App Configuration).
    pattern: new RegExp(`(?<![A-Za-z0-9+/])[A-Za-z0-9]{52}${AZURE_SIGNATURE}[9DH][A-Za-z0-9][A-L][A-Za-z0-9]{16}(?!ACOG|AZDO|AAZC)[A-Z][A-Za-z0-9]{3}[A-Za-z0-9]{4}(?![A-Za-z0-9+/=])`),
    minEntropy: 4,
    ...STRICT_FORMAT,
    remediation: { text: 'Regenerate the key in the service\'s access keys page after moving clients to the other key; prefer Entra ID auth.', url: 'https://learn.microsoft.com/en-us/azure/key-vault/keys/how-to-configure-key-rotation' },
    samples: {
      secret: (gen) => azureAnnotatedKey(gen, gen.pick(['AZEG', 'AZRL', 'AZSB'])),
      name: 'AZURE_SERVICE_KEY',
      negatives: (gen) => [azureAnnotatedKey(gen).slice(0, 80), `${gen.chars(ALNUM, 52)}JQQJ9X${gen.chars(ALNUM, 26)}`, ...placeholderTexts('AZURE_SERVICE_KEY')],
    },
  },
  identifiableRule({
    id: 'azure-storage-account-key',
    title: 'Azure Storage account key',
    severity: 'critical',
    signature: '+ASt',
    before: 76,
    after: 8,
    alphabet: BASE64,
    padded: true,
    name: 'AZURE_STORAGE_KEY',
    text: 'Rotate the key (Storage account > Access keys) after moving clients to the other key; prefer Entra ID and user delegation SAS.',
    url: 'https://learn.microsoft.com/en-us/azure/storage/common/storage-account-keys-manage',
  }),
  identifiableRule({
    id: 'azure-cosmos-db-key',
    title: 'Azure Cosmos DB account key',
    severity: 'critical',
    signature: 'ACDb',
    before: 76,
    after: 8,
    alphabet: BASE64,
    padded: true,
    name: 'COSMOS_KEY',
    text: 'Regenerate the key (Cosmos DB > Keys) after moving clients to the other key; prefer Entra ID role-based access.',
    url: 'https://learn.microsoft.com/en-us/azure/cosmos-db/database-security',
  }),
  identifiableRule({
    id: 'azure-container-registry-password',
    title: 'Azure Container Registry password',
    severity: 'high',
    signature: '+ACR',
    before: 42,
    after: 6,
    alphabet: BASE64,
    padded: false,
    name: 'ACR_PASSWORD',
    text: 'Regenerate the admin password or token password (Container registry > Access keys / Tokens) and disable the admin user.',
    url: 'https://learn.microsoft.com/en-us/azure/container-registry/container-registry-authentication',
  }),
  identifiableRule({
    id: 'azure-functions-key',
    title: 'Azure Functions access key',
    severity: 'high',
    signature: 'AzFu',
    before: 44,
    after: 8,
    alphabet: BASE64URL,
    padded: true,
    name: 'AZURE_FUNCTION_KEY',
    text: 'Renew the function or host key (Function App > App keys / Function keys) and update its callers.',
    url: 'https://learn.microsoft.com/en-us/azure/azure-functions/function-keys-how-to',
  }),
  identifiableRule({
    id: 'azure-search-key',
    title: 'Azure AI Search API key',
    severity: 'high',
    signature: 'AzSe',
    before: 42,
    after: 6,
    alphabet: ALNUM,
    padded: false,
    name: 'AZURE_SEARCH_KEY',
    text: 'Regenerate the admin key (or delete the query key) under Search service > Keys; prefer Entra ID roles.',
    url: 'https://learn.microsoft.com/en-us/azure/search/search-security-api-keys',
  }),
  {
    id: 'azure-storage-connection-key',
    title: 'Azure Storage or Cosmos DB account key (connection string or named)',
    provider: 'Microsoft Azure',
    severity: 'critical',
    keywords: ['accountkey', 'account_key', 'account-key', 'account.key', 'azure_storage_key', 'azure_storage_access_key'],
    valueRun: assignedValueGates(BASE64, 86),
    pattern: assigned(
      `${anyCase('account')}[_.-]?${anyCase('key')}|${anyCase('azure_storage_')}(?:${anyCase('access_')})?${anyCase('key')}`,
      '[A-Za-z0-9+/]{86}==',
      '(?![A-Za-z0-9+/=_-])',
    ),
    minEntropy: 4,
    ...STRICT_FORMAT,
    validate: (key) => !isAzuriteKey(key),
    remediation: {
      text: 'Rotate the account key (Storage account or Cosmos DB > Keys) after moving clients to the other key; prefer Entra ID auth.',
      url: 'https://learn.microsoft.com/en-us/azure/storage/common/storage-account-keys-manage',
    },
    samples: {
      secret: storageKey,
      name: 'STORAGE_ACCOUNT_KEY',
      positives: (gen) => {
        const key = storageKey(gen);
        const cosmos = storageKey(gen);
        return [
          { text: `"ConnectionString": "DefaultEndpointsProtocol=https;AccountName=acmeprod;AccountKey=${key};EndpointSuffix=core.windows.net"\n`, secret: key },
          { text: `COSMOS=AccountEndpoint=https://acme.documents.azure.com:443/;AccountKey=${cosmos};\n`, secret: cosmos },
        ];
      },
      negatives: (gen) => [
        unnamed(storageKey(gen)),
        `AccountKey=${gen.chars(BASE64, 40)}==`,
        'DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=' + ['Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2U', 'VErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=='].join(''),
        ...placeholderTexts('STORAGE_ACCOUNT_KEY'),
      ],
    },
  },
  {
    id: 'azure-sas-token',
    title: 'Azure shared access signature (SAS) token',
    provider: 'Microsoft Azure',
    severity: 'high',
    keywords: ['&sig', '?sig'],
    // A SAS names its service version (`sv=`) before the signature; the signature is the secret.
    pattern: new RegExp(
      String.raw`(?<=(?<![A-Za-z0-9])sv=[0-9]{4}-[0-9]{2}-[0-9]{2}[^\s"'<>]{0,400})[?&]sig=(?<secret>(?:[A-Za-z0-9+/]|%2[BbFf]){43}(?:%3[Dd]|=))(?![A-Za-z0-9%+/=])`,
    ),
    validate: validSasSignature,
    acceptMatch: ({ text, index }) => !sasExpired(text, index),
    skipPlaceholderCheck: true,
    remediation: {
      text: 'Revoke the SAS: rotate the account key that signed it, or revoke the user delegation keys or the stored access policy it names.',
      url: 'https://learn.microsoft.com/en-us/azure/storage/common/sas-expiration-policy',
    },
    samples: {
      secret: sasSignature,
      wrap: false,
      positives: (gen) => {
        const sig = sasSignature(gen);
        const other = sasSignature(gen);
        return [
          { text: `BACKUP_URL="${sasUrl(gen, sig)}"\n`, secret: sig },
          { text: `"BlobEndpoint=https://acme.blob.core.windows.net/;SharedAccessSignature=sv=2022-11-02&ss=b&srt=co&sp=rl&se=${FUTURE_YEAR}-01-01T00:00:00Z&spr=https&sig=${other}"\n`, secret: other },
        ];
      },
      negatives: (gen) => [
        // No service version: a signature of something else.
        `https://cdn.example.net/a.png?sig=${sasSignature(gen)}`,
        sasUrl(gen, encodeURIComponent(Buffer.from(gen.bytes(24)).toString('base64'))),
        sasUrl(gen, '<signature>'),
        sasUrl(gen, '${SAS_SIG}'),
        // Lapsed: the signed expiry is past, so the token opens nothing.
        `URL="${sasUrl(gen, sasSignature(gen), '2019-03-01T00:00:00Z')}"\n`,
        `SharedAccessSignature=sv=2018-11-09&ss=b&srt=co&sp=rl&se=2020-01-01T00%3A00%3A00Z&spr=https&sig=${sasSignature(gen)}\n`,
      ],
    },
  },
  {
    id: 'azure-entra-client-secret',
    title: 'Microsoft Entra ID (Azure AD) client secret',
    provider: 'Microsoft Azure',
    severity: 'critical',
    keywords: ['q~'],
    // Three characters and the version digit come before the keyword.
    lookback: 4,
    // Past the longest match, so that a window never ends where the closing lookahead needs a character.
    maxLength: 48,
    startRun: { chars: ENTRA_CHARS, min: 4, max: 4 },
    pattern: /(?<![A-Za-z0-9_~.-])[A-Za-z0-9_~.-]{3}[0-9]Q~[A-Za-z0-9_~.-]{31,34}(?![A-Za-z0-9_~.-])/,
    minEntropy: 3.5,
    ...STRICT_FORMAT,
    remediation: {
      text: 'Delete the secret under App registrations > Certificates & secrets and move the app to a certificate or workload identity federation.',
      url: 'https://learn.microsoft.com/en-us/entra/identity-platform/how-to-add-credentials',
    },
    samples: {
      secret: entraSecret,
      name: 'AZURE_CLIENT_SECRET',
      negatives: (gen) => [
        `AZURE_CLIENT_SECRET=${gen.chars(ENTRA_CHARS, 3)}8Q~${'x'.repeat(34)}`,
        `${gen.chars(ENTRA_CHARS, 3)}8Q~${gen.chars(ALNUM, 20)}`,
        '~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~',
        '.ui.visible.right.sidebar~.ui.visible.left.sidebar~.pusher{transform:none}',
        ...placeholderTexts('AZURE_CLIENT_SECRET'),
      ],
    },
  },
  {
    id: 'azure-app-configuration-connection-string',
    title: 'Azure App Configuration connection string',
    provider: 'Microsoft Azure',
    severity: 'high',
    keywords: ['.azconfig.io;'],
    pattern: /\.azconfig\.io;Id=[^;\s"'<>]{1,40};Secret=(?<secret>[A-Za-z0-9+/]{43}=)(?![A-Za-z0-9+/=])/,
    minEntropy: 4,
    ...STRICT_FORMAT,
    remediation: { text: 'Regenerate the access key (App Configuration > Access settings) and prefer Entra ID auth.', url: 'https://learn.microsoft.com/en-us/azure/azure-app-configuration/howto-disable-access-key-authentication' },
    samples: {
      secret: (gen) => `${gen.chars(BASE64, 43)}=`,
      wrap: false,
      positives: (gen) => {
        const secret = `${gen.chars(BASE64, 43)}=`;
        return [{ text: `AppConfig=Endpoint=https://acme-config.azconfig.io;Id=${gen.chars(ALNUM, 4)}-l0-s0:${gen.chars(ALNUM, 20)};Secret=${secret}\n`, secret }];
      },
      negatives: () => ['Endpoint=https://acme-config.azconfig.io;Id=abc;Secret=<secret>', 'Endpoint=https://acme-config.azconfig.io;Id=abc;Secret=${APPCONFIG_SECRET}'],
    },
  },
  {
    id: 'azure-devops-legacy-pat',
    title: 'Azure DevOps personal access token (52 characters)',
    provider: 'Microsoft Azure',
    severity: 'high',
    keywords: ['devops', 'azdo', 'ado_'],
    valueRun: assignedValueGates(`${LOWER}234567`, 52),
    pattern: assigned(`(?:${['devops', 'azdo', 'ado_'].map(anyCase).join('|')})${NAME_TAIL}(?:${['pat', 'token', 'key', 'password'].map(anyCase).join('|')})`, '[a-z2-7]{52}'),
    minEntropy: 3.5,
    remediation: { text: 'Revoke the token under User settings > Personal access tokens in Azure DevOps and create a narrower one.', url: 'https://learn.microsoft.com/en-us/azure/devops/organizations/accounts/use-personal-access-tokens-to-authenticate#revoke-pats' },
    samples: {
      secret: devopsLegacyPat,
      name: 'AZURE_DEVOPS_PAT',
      negatives: (gen) => [unnamed(devopsLegacyPat(gen)), `AZURE_DEVOPS_PAT=${gen.chars(LOWER, 40)}`, `AZURE_DEVOPS_ORG=${devopsLegacyPat(gen)}`, ...placeholderTexts('AZURE_DEVOPS_PAT')],
    },
  },
  {
    id: 'azure-ai-services-legacy-key',
    title: 'Azure AI services / Azure OpenAI key (32 hex digits)',
    provider: 'Microsoft Azure',
    // 32 hex digits look like any hash: the rule needs azure, openai or cognitive in the key's name.
    severity: 'medium',
    keywords: ['azure', 'openai', 'cognitive', 'ocp-apim-subscription-key'],
    valueRun: assignedValueGates(ALNUM, 32),
    pattern: assigned(
      `(?:${['azure', 'openai', 'cognitive'].map(anyCase).join('|')})[\\w.-]{0,40}?${CREDENTIAL_WORD}|${anyCase('ocp-apim-subscription-key')}`,
      '[0-9a-fA-F]{32}',
    ),
    // 32 random hex digits can score as low as about 2.8 bits per character.
    minEntropy: 2.5,
    remediation: { text: 'Regenerate the key (Keys and Endpoint) after moving clients to the other key; prefer Entra ID auth.', url: AZURE_URL },
    samples: {
      secret: (gen) => azureHexKey(gen),
      name: 'AZURE_OPENAI_API_KEY',
      positives: (gen) => {
        const key = azureHexKey(gen);
        return [{ text: `curl -s "$ENDPOINT" -H "Ocp-Apim-Subscription-Key: ${key}"\n`, secret: key }];
      },
      negatives: (gen) => [
        unnamed(azureHexKey(gen)),
        `AZURE_OPENAI_API_KEY=${azureHexKey(gen, 31)}`,
        `AZURE_OPENAI_API_KEY=${azureHexKey(gen, 40)}`,
        `AZURE_OPENAI_DEPLOYMENT=${azureHexKey(gen)}`,
        ...placeholderTexts('AZURE_OPENAI_API_KEY'),
      ],
    },
  },
  {
    id: 'aws-access-key-id',
    title: 'AWS access key ID',
    provider: 'AWS',
    // An id alone signs nothing; next to its secret (see AWS_KEY_PAIR) it becomes critical.
    severity: 'high',
    keywords: AWS_ID_PREFIXES.map((p) => p.toLowerCase()),
    pattern: new RegExp(`(?<![A-Za-z0-9])(?:${AWS_ID_PREFIXES.join('|')})[A-Z2-7]{16}(?![A-Za-z0-9])`),
    // Random 20-character ids from a 32-letter alphabet dip to about 2.7 bits per character.
    minEntropy: 2.5,
    remediation: { text: 'Deactivate and delete the access key in IAM, then check CloudTrail for its use.', url: AWS_URL },
    samples: {
      secret: awsKeyId,
      name: 'AWS_ACCESS_KEY_ID',
      negatives: (gen) => [
        `AWS_ACCESS_KEY_ID=${AWS_DOC_KEY_ID}`,
        `AWS_ACCESS_KEY_ID=${awsKeyId(gen).slice(0, 18)}`,
        `AWS_ACCESS_KEY_ID=${awsKeyId(gen)}${gen.chars(UPPER, 2)}`,
        // Base32 has no 0, 1, 8 or 9.
        `AWS_ACCESS_KEY_ID=AKIA${gen.chars(BASE32, 15)}8`,
        `aws_access_key_id = akia${gen.chars(LOWER, 16)}`,
        ...placeholderTexts('AWS_ACCESS_KEY_ID', 'AKIA'),
      ],
    },
  },
  {
    id: 'aws-secret-access-key',
    title: 'AWS secret access key',
    provider: 'AWS',
    severity: 'high',
    keywords: ['aws', 'secret_access_key', 'secretaccesskey', 'secret.access.key', 'secret-access-key'],
    // The name says which credential it is, and AWS issues it in one shape: 40 characters.
    owns: { names: ['aws_secret_access_key', 'secret_access_key'] },
    valueRun: assignedValueGates(`${ALNUM}/+`, 40),
    pattern: assigned(
      `${anyCase('aws')}[\\w.-]{0,20}?${anyCase('secret')}|${anyCase('secret')}[_.-]?${anyCase('access')}[_.-]?${anyCase('key')}`,
      '[A-Za-z0-9/+]{40}',
      '(?![A-Za-z0-9/+=_-])',
    ),
    minEntropy: 3.5,
    remediation: { text: 'Deactivate and delete the access key in IAM, then check CloudTrail for its use.', url: AWS_URL },
    samples: {
      secret: (gen) => awsSecret(gen),
      name: 'AWS_SECRET_ACCESS_KEY',
      positives: (gen) => {
        const secret = awsSecret(gen);
        // The shape `aws iam create-access-key` prints.
        return [{ text: `{\n  "AccessKey": {\n    "Status": "Active",\n    "SecretAccessKey": "${secret}"\n  }\n}\n`, secret }];
      },
      negatives: (gen) => [
        `aws_secret_access_key = ${AWS_DOC_SECRET}`,
        unnamed(awsSecret(gen)),
        `SECRET_KEY=${awsSecret(gen)}`,
        `AWS_SECRET_ACCESS_KEY=${awsSecret(gen, 39)}`,
        `AWS_SECRET_ACCESS_KEY=${awsSecret(gen, 41)}`,
        ...placeholderTexts('AWS_SECRET_ACCESS_KEY'),
      ],
    },
  },
  {
    id: 'gcp-service-account-key',
    title: 'Google Cloud service account key file',
    provider: 'Google Cloud',
    severity: 'critical',
    keywords: ['"private_key"'],
    pattern: new RegExp(
      String.raw`"private_key"[ \t]{0,4}:[ \t]{0,4}"(?<secret>-----BEGIN (?:RSA )?PRIVATE KEY-----${PEM_BODY}-----END (?:RSA )?PRIVATE KEY-----(?:\\n)?)"` +
        `(?:(?<="service_account"[\\s\\S]{0,${SA_BEFORE}})|(?=[\\s\\S]{0,${SA_AFTER}}"service_account"))`,
    ),
    // "PRIVATE KEY" reads as placeholder words; the body is checked structurally instead.
    skipPlaceholderCheck: true,
    validate: validServiceAccountKey,
    remediation: {
      text: 'Delete the key from the service account (IAM > Service accounts > Keys); prefer workload identity federation to key files.',
      url: 'https://console.cloud.google.com/iam-admin/serviceaccounts',
    },
    samples: {
      secret: (gen) => escapedPem(gen),
      wrap: false,
      positives: (gen) => {
        const first = escapedPem(gen);
        const second = escapedPem(gen, 3240);
        return [
          { text: serviceAccountJson(gen, first), secret: first },
          { text: serviceAccountJson(gen, second, { typeLast: true }), secret: second },
        ];
      },
      negatives: (gen) => [
        // Not a service account file.
        serviceAccountJson(gen, escapedPem(gen), { withType: false }),
        // A filler body, not a key.
        serviceAccountJson(gen, `-----BEGIN PRIVATE KEY-----\\n${'MIIE'.padEnd(1600, 'A')}\\n-----END PRIVATE KEY-----\\n`),
        // Truncated: no END line.
        serviceAccountJson(gen, escapedPem(gen).slice(0, 900)),
        serviceAccountJson(gen, '-----BEGIN PRIVATE KEY-----\\n<your key>\\n-----END PRIVATE KEY-----\\n'),
      ],
    },
  },
  {
    id: 'databricks-token',
    title: 'Databricks personal access token',
    provider: 'Databricks',
    severity: 'high',
    keywords: ['dapi'],
    // 32 hex digits, sometimes followed by a one-digit suffix (`-2`) in tokens from Azure Databricks.
    pattern: new RegExp(`${START}dapi[a-h0-9]{32}(?:-[0-9])?${END}`),
    minEntropy: 2.5,
    remediation: { text: 'Revoke the token in User Settings > Developer > Access tokens (or through the Token API).', url: 'https://docs.databricks.com/en/dev-tools/auth/pat.html' },
    samples: {
      secret: databricksToken,
      name: 'DATABRICKS_TOKEN',
      negatives: (gen) => [`dapi${gen.chars(HEX, 28)}`, `dapi${gen.chars(HEX, 36)}`, ...placeholderTexts('DATABRICKS_TOKEN', 'dapi')],
    },
  },
  digitalOceanRule('digitalocean-pat', 'dop_v1_', 'DigitalOcean personal access token', 'Delete the token under API > Tokens and create a scoped one.'),
  digitalOceanRule('digitalocean-oauth-token', 'doo_v1_', 'DigitalOcean OAuth access token', 'Revoke the OAuth application\'s access, or the token through the OAuth revoke endpoint.'),
  digitalOceanRule('digitalocean-refresh-token', 'dor_v1_', 'DigitalOcean OAuth refresh token', 'Revoke the OAuth application\'s access so the refresh token can no longer mint access tokens.'),
  {
    id: 'aws-bedrock-api-key',
    title: 'Amazon Bedrock API key (long-term)',
    provider: 'AWS',
    severity: 'critical',
    keywords: [`absk${BEDROCK_LONG_B64}`.toLowerCase()],
    pattern: new RegExp(`(?<![A-Za-z0-9+/])ABSK${BEDROCK_LONG_B64}[A-Za-z0-9+/]{40,300}={0,2}(?![A-Za-z0-9+/=])`),
    validate: validBedrockLongKey,
    remediation: { text: 'Delete the Bedrock API key (IAM > the user > Bedrock API keys) and use short-term keys or IAM roles instead.', url: 'https://docs.aws.amazon.com/bedrock/latest/userguide/api-keys-revoke.html' },
    samples: {
      secret: bedrockLongKey,
      name: 'AWS_BEARER_TOKEN_BEDROCK',
      negatives: (gen) => [
        bedrockLongKey(gen).slice(0, 40),
        `ABSK${BEDROCK_LONG_B64}${gen.chars(ALNUM, 100)}=`,
        ...placeholderTexts('AWS_BEARER_TOKEN_BEDROCK', 'ABSK'),
      ],
    },
  },
  {
    id: 'aws-bedrock-short-term-api-key',
    title: 'Amazon Bedrock API key (short-term)',
    provider: 'AWS',
    severity: 'high',
    keywords: [`bedrock-api-key-${BEDROCK_SHORT_B64}`.toLowerCase()],
    pattern: new RegExp(`(?<![A-Za-z0-9_-])bedrock-api-key-${BEDROCK_SHORT_B64}[A-Za-z0-9+/]{100,3000}={0,2}(?![A-Za-z0-9+/=])`),
    validate: validBedrockShortKey,
    remediation: {
      text: 'Short-term keys last at most 12 hours, as long as the session that signed them: revoke that session (deny tokens issued before now) if it is still live.',
      url: 'https://docs.aws.amazon.com/bedrock/latest/userguide/api-keys-revoke.html',
    },
    samples: {
      secret: bedrockShortKey,
      name: 'AWS_BEARER_TOKEN_BEDROCK',
      negatives: (gen) => [
        `bedrock-api-key-${BEDROCK_SHORT_B64}`,
        bedrockShortKey(gen).slice(0, 300),
        `bedrock-api-key-${BEDROCK_SHORT_B64}${gen.chars(ALNUM, 200)}`,
      ],
    },
  },
  {
    id: 'google-oauth-access-token',
    title: 'Google OAuth access token',
    provider: 'Google',
    severity: 'medium',
    keywords: ['ya29.'],
    pattern: /(?<![A-Za-z0-9_.-])ya29\.[A-Za-z0-9_-]{50,2000}(?![A-Za-z0-9_-])/,
    minEntropy: 4,
    ...STRICT_FORMAT,
    remediation: { text: 'Access tokens expire within an hour; revoke it now (oauth2.googleapis.com/revoke) and find what logged it.', url: 'https://developers.google.com/identity/protocols/oauth2/web-server#tokenrevoke' },
    samples: {
      secret: googleAccessToken,
      positives: (gen) => {
        const token = googleAccessToken(gen);
        return [{ text: `curl -H "Authorization: Bearer ${token}" https://www.googleapis.com/drive/v3/files\n`, secret: token }];
      },
      negatives: (gen) => [`ya29.${gen.chars(BASE64URL, 20)}`, `ya29.${'x'.repeat(80)}`, ...placeholderTexts('GOOGLE_ACCESS_TOKEN', 'ya29.')],
    },
  },
  {
    id: 'google-oauth-refresh-token',
    title: 'Google OAuth refresh token (authorized_user credentials)',
    provider: 'Google',
    severity: 'critical',
    keywords: ['1//0'],
    pattern: /(?<![A-Za-z0-9_/-])1\/\/0[A-Za-z0-9_-]{60,400}(?![A-Za-z0-9_-])/,
    minEntropy: 4,
    ...STRICT_FORMAT,
    remediation: {
      text: 'Revoke the grant (myaccount.google.com > Third-party access, or `gcloud auth application-default revoke`) and delete the credentials file.',
      url: 'https://myaccount.google.com/connections',
    },
    samples: {
      secret: googleRefreshToken,
      positives: (gen) => {
        const refresh = googleRefreshToken(gen);
        return [{ text: authorizedUserJson(gen, refresh, `GOCSPX-${'x'.repeat(28)}`), secret: refresh }];
      },
      negatives: (gen) => [`1//0${gen.chars(BASE64URL, 20)}`, 'x = 1//0', `REFRESH_TOKEN=1//0${'x'.repeat(80)}`],
    },
  },
  {
    id: 'google-oauth-client-secret',
    title: 'Google OAuth client secret',
    provider: 'Google',
    severity: 'high',
    keywords: ['gocspx-'],
    pattern: /(?<![A-Za-z0-9_-])GOCSPX-[A-Za-z0-9_-]{28}(?![A-Za-z0-9_-])/,
    minEntropy: 3.5,
    ...STRICT_FORMAT,
    remediation: { text: 'Add a new secret to the OAuth client (APIs & Services > Credentials), move the app to it, then disable and delete the leaked one.', url: 'https://console.cloud.google.com/apis/credentials' },
    samples: {
      secret: googleClientSecret,
      name: 'GOOGLE_CLIENT_SECRET',
      negatives: (gen) => [`GOCSPX-${gen.chars(BASE64URL, 20)}`, `GOOGLE_CLIENT_SECRET=GOCSPX-${'x'.repeat(28)}`, ...placeholderTexts('GOOGLE_CLIENT_SECRET', 'GOCSPX-')],
    },
  },
];
