import { shannonEntropy } from '../scan/entropy.js';
import type { FindingPair } from '../scan/pairing.js';
import type { Rule, SampleGen } from '../scan/types.js';
import { ALNUM, BASE64, BASE64URL, DIGITS, HEX, LOWER, UPPER } from './alphabets.js';
import { anyCase, assigned, assignedValueGates, CREDENTIAL_WORD, placeholderTexts, STRICT_FORMAT } from './ai.js';

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
];
