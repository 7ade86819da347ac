import type { Rule, SampleGen, Severity } from '../scan/types.js';
import { ALNUM, BASE64URL, DIGITS, HEX, LOWER } from './alphabets.js';
import { anyCase, assigned, assignedValueGates, CREDENTIAL_WORD, placeholderTexts, STRICT_FORMAT } from './ai.js';

// ---------------------------------------------------------------------------------------------------
// AI and ML platforms beyond the model vendors of ai.ts: observability (LangSmith, Weights & Biases),
// vector stores (Pinecone, Voyage), inference hosts (Together, Fireworks, Cerebras), speech (ElevenLabs,
// AssemblyAI) and search (Tavily). Prefixed formats stand alone; prefixless ones need the provider's name.
// ---------------------------------------------------------------------------------------------------

const START = '(?<![A-Za-z0-9_-])';
const END = '(?![A-Za-z0-9_-])';

/** A text where the value is assigned to a neutral name, so only the format speaks for it. */
const unnamed = (value: string): string => `API_TOKEN=${value}\n`;

interface PrefixedSpec {
  id: string;
  title: string;
  provider: string;
  severity?: Severity;
  /** The literal prefix (also the keyword, lowercased). */
  prefix: string;
  /** Regex source of everything after the prefix. */
  body: string;
  make(gen: SampleGen): string;
  /** Same-prefix values that are not keys (truncated, wrong alphabet...). */
  nearMisses(gen: SampleGen): string[];
  name: string;
  minEntropy?: number;
  validate?(secret: string): boolean;
  text: string;
  url: string;
}

const prefixed = (s: PrefixedSpec): Rule => ({
  id: s.id,
  title: s.title,
  provider: s.provider,
  severity: s.severity ?? 'high',
  keywords: [s.prefix.toLowerCase()],
  owns: { prefixes: [s.prefix] },
  pattern: new RegExp(`${START}${s.prefix.replace(/[.-]/g, '\\$&')}${s.body}${END}`),
  minEntropy: s.minEntropy ?? 3,
  ...STRICT_FORMAT,
  ...(s.validate ? { validate: s.validate } : {}),
  remediation: { text: s.text, url: s.url },
  samples: {
    secret: s.make,
    name: s.name,
    negatives: (gen) => [...s.nearMisses(gen), `${s.name}=${s.prefix}${'x'.repeat(40)}`, ...placeholderTexts(s.name, s.prefix)],
  },
});

interface NamedSpec {
  id: string;
  title: string;
  provider: string;
  /** Words (lowercase) that start the variable's name; the first few keywords of the rule. */
  words: string[];
  /** Whole names that need no credential word after them (`XI_API_KEY`). */
  names?: string[];
  value: string;
  valueChars: string;
  valueMin: number;
  make(gen: SampleGen): string;
  name: string;
  nearMisses(gen: SampleGen): string[];
  minEntropy?: number;
  text: string;
  url: string;
}

/**
 * A prefixless key: only a name such as `ASSEMBLYAI_API_KEY` says whose it is, so severity is medium.
 * The name may hold spaces (`assemblyai key = ...`, as logs and prose write it).
 */
const named = (s: NamedSpec): Rule => ({
  id: s.id,
  title: s.title,
  provider: s.provider,
  severity: 'medium',
  keywords: [...s.words, ...(s.names ?? [])],
  owns: { names: [...s.words.filter((w) => w.length >= 4), ...(s.names ?? [])] },
  valueRun: assignedValueGates(s.valueChars, s.valueMin),
  pattern: assigned(
    [`(?:${s.words.map(anyCase).join('|')})[\\w. -]{0,40}?${CREDENTIAL_WORD}`, ...(s.names ?? []).map(anyCase)].join('|'),
    s.value,
  ),
  minEntropy: s.minEntropy ?? 3,
  remediation: { text: s.text, url: s.url },
  samples: {
    secret: s.make,
    name: s.name,
    negatives: (gen) => [unnamed(s.make(gen)), ...s.nearMisses(gen), ...placeholderTexts(s.name)],
  },
});

// LangSmith: `lsv2_` + `pt` (personal) or `sk` (service) + `_` + 32 hex + `_` + 10 hex.
const langsmithKey = (gen: SampleGen, kind = gen.pick(['pt', 'sk'])): string => `lsv2_${kind}_${gen.chars(HEX, 32)}_${gen.chars(HEX, 10)}`;

// Pinecone: `pcsk_`, a short key id, `_`, then the secret part.
const pineconeKey = (gen: SampleGen): string => `pcsk_${gen.chars(ALNUM, gen.int(5, 6))}_${gen.chars(ALNUM, 63)}`;

// Together AI's current keys: `tgp_v1_` and 43 base64url characters (32 random bytes).
const togetherKey = (gen: SampleGen): string => `tgp_v1_${gen.chars(BASE64URL, 43)}`;

// Tavily: `tvly-`, an optional environment (`dev-`, `prod-`), then 32 letters and digits.
const tavilyKey = (gen: SampleGen): string => `tvly-${gen.pick(['', 'dev-', 'prod-'])}${gen.chars(ALNUM, 32)}`;

// Cerebras: `csk-` and 48 lowercase letters and digits.
const cerebrasKey = (gen: SampleGen): string => `csk-${gen.chars(LOWER + DIGITS, 48)}`;

// Fireworks AI: `fw_` and 24 letters and digits.
const fireworksKey = (gen: SampleGen): string => `fw_${gen.chars(ALNUM, 24)}`;

/** A short prefix (`fw_`) also starts names such as `fw_versionString`: a key mixes case and digits. */
const mixedCaseAndDigits = (secret: string): boolean => /[0-9]/.test(secret) && /[A-Z]/.test(secret) && /[a-z]/.test(secret.slice(3));

// ElevenLabs: current keys are `sk_` and 48 hex digits; older ones 32 hex digits with no prefix.
const elevenlabsKey = (gen: SampleGen): string => `sk_${gen.chars(HEX, 48)}`;

// Voyage AI: `pa-` and 43 base64url characters. The prefix is short and common, so the word "voyage"
// must sit near the key (a variable name, an import or the client's constructor).
const VOYAGE_WORD = anyCase('voyage');
const VOYAGE_REACH = 200;
const voyageKey = (gen: SampleGen): string => `pa-${gen.chars(BASE64URL, 43)}`;

export const mlPlatformRules: Rule[] = [
  prefixed({
    id: 'langsmith-api-key',
    title: 'LangSmith API key',
    provider: 'LangSmith',
    prefix: 'lsv2_',
    body: '(?:pt|sk)_[a-f0-9]{32}_[a-f0-9]{10}',
    make: (gen) => langsmithKey(gen),
    nearMisses: (gen) => [langsmithKey(gen).slice(0, -3), `lsv2_pt_${gen.chars(ALNUM, 32)}_${gen.chars(HEX, 10)}`],
    name: 'LANGSMITH_API_KEY',
    minEntropy: 2.5,
    text: 'Delete the key under Settings > API Keys in LangSmith and create a new one; it reads and writes every trace of the workspace.',
    url: 'https://docs.smith.langchain.com/administration/how_to_guides/organization_management/create_account_api_key',
  }),
  prefixed({
    id: 'pinecone-api-key',
    title: 'Pinecone API key',
    provider: 'Pinecone',
    prefix: 'pcsk_',
    body: '[A-Za-z0-9]{5,6}_[A-Za-z0-9]{63}',
    make: pineconeKey,
    nearMisses: (gen) => [`pcsk__${gen.chars(ALNUM, 63)}`, `pcsk_${gen.chars(ALNUM, 5)}_${gen.chars(ALNUM, 12)}`, `${pineconeKey(gen)}${gen.chars(ALNUM, 5)}`],
    name: 'PINECONE_API_KEY',
    minEntropy: 3.5,
    text: 'Delete the key in the Pinecone console (API Keys) and create a new one.',
    url: 'https://app.pinecone.io/organizations/-/projects/-/keys',
  }),
  prefixed({
    id: 'together-api-key',
    title: 'Together AI API key',
    provider: 'Together AI',
    prefix: 'tgp_v1_',
    body: '[A-Za-z0-9_-]{43}',
    make: togetherKey,
    nearMisses: (gen) => [togetherKey(gen).slice(0, -8)],
    name: 'TOGETHER_API_KEY',
    minEntropy: 3.5,
    text: 'Revoke the key under Settings > API Keys in Together AI and create a new one.',
    url: 'https://api.together.ai/settings/api-keys',
  }),
  prefixed({
    id: 'tavily-api-key',
    title: 'Tavily API key',
    provider: 'Tavily',
    prefix: 'tvly-',
    body: '(?:dev-|prod-)?[A-Za-z0-9]{32}',
    make: tavilyKey,
    nearMisses: (gen) => [`tvly-${gen.chars(ALNUM, 20)}`, `tvly-dev-${gen.chars(ALNUM, 40)}`],
    name: 'TAVILY_API_KEY',
    minEntropy: 3.5,
    text: 'Delete the key in the Tavily dashboard and create a new one.',
    url: 'https://app.tavily.com/home',
  }),
  prefixed({
    id: 'cerebras-api-key',
    title: 'Cerebras API key',
    provider: 'Cerebras',
    prefix: 'csk-',
    body: '[a-z0-9]{48}',
    make: cerebrasKey,
    nearMisses: (gen) => [`csk-${gen.chars(LOWER, 30)}`, `csk-${gen.chars(ALNUM, 48)}`],
    name: 'CEREBRAS_API_KEY',
    minEntropy: 3.5,
    text: 'Delete the key in the Cerebras Cloud console (API Keys) and create a new one.',
    url: 'https://cloud.cerebras.ai/platform',
  }),
  prefixed({
    id: 'fireworks-api-key',
    title: 'Fireworks AI API key',
    provider: 'Fireworks AI',
    prefix: 'fw_',
    body: '[A-Za-z0-9]{24}',
    make: (gen) => {
      // Draws until the sample mixes case and digits, as issued keys do (the odd all-letter draw is rare).
      for (;;) {
        const key = fireworksKey(gen);
        if (mixedCaseAndDigits(key)) return key;
      }
    },
    nearMisses: (gen) => [`fw_${gen.chars(ALNUM, 18)}`, 'const fw_versionStringForDevice = 1;', 'fw_updateFirmwareImageNow'],
    name: 'FIREWORKS_API_KEY',
    minEntropy: 3.5,
    validate: mixedCaseAndDigits,
    text: 'Delete the key under Account > API Keys in Fireworks AI (or `firectl delete api-key`) and create a new one.',
    url: 'https://fireworks.ai/account/api-keys',
  }),
  prefixed({
    id: 'elevenlabs-api-key',
    title: 'ElevenLabs API key',
    provider: 'ElevenLabs',
    prefix: 'sk_',
    body: '[a-f0-9]{48}',
    make: elevenlabsKey,
    nearMisses: (gen) => [`sk_${gen.chars(HEX, 40)}`, `sk_${gen.chars(HEX, 56)}`, `sk_live_${gen.chars(HEX, 48)}`],
    name: 'ELEVENLABS_API_KEY',
    minEntropy: 3,
    text: 'Delete the key in ElevenLabs (Developers > API Keys) and create one restricted to the endpoints you use.',
    url: 'https://elevenlabs.io/app/settings/api-keys',
  }),
  named({
    id: 'elevenlabs-legacy-api-key',
    title: 'ElevenLabs API key (32 hex digits)',
    provider: 'ElevenLabs',
    words: ['elevenlabs', 'eleven_labs'],
    // The header and variable ElevenLabs' SDKs use.
    names: ['xi_api_key', 'xi-api-key'],
    value: '[a-f0-9]{32}',
    valueChars: HEX,
    valueMin: 32,
    make: (gen) => gen.chars(HEX, 32),
    name: 'ELEVENLABS_API_KEY',
    nearMisses: (gen) => [`ELEVENLABS_API_KEY=${gen.chars(HEX, 28)}`, `ELEVENLABS_VOICE_ID=${gen.chars(HEX, 32)}`],
    minEntropy: 2.5,
    text: 'Delete the key in ElevenLabs (Developers > API Keys) and create one restricted to the endpoints you use.',
    url: 'https://elevenlabs.io/app/settings/api-keys',
  }),
  named({
    id: 'assemblyai-api-key',
    title: 'AssemblyAI API key',
    provider: 'AssemblyAI',
    words: ['assemblyai', 'assembly_ai', 'assembly-ai'],
    value: '[a-z0-9]{32}',
    valueChars: `${LOWER}${DIGITS}`,
    valueMin: 32,
    make: (gen) => gen.chars(LOWER + DIGITS, 32),
    name: 'ASSEMBLYAI_API_KEY',
    nearMisses: (gen) => [`ASSEMBLYAI_API_KEY=${gen.chars(LOWER + DIGITS, 40)}`, `ASSEMBLYAI_WEBHOOK_ID=${gen.chars(LOWER + DIGITS, 32)}`],
    minEntropy: 3.2,
    text: 'Rotate the key in the AssemblyAI dashboard (API Keys) and update every client.',
    url: 'https://www.assemblyai.com/app/api-keys',
  }),
  named({
    id: 'wandb-api-key',
    title: 'Weights & Biases API key',
    provider: 'Weights & Biases',
    words: ['wandb', 'weightsandbiases', 'weights_and_biases'],
    // Keys of a self-hosted W&B server carry the `local-` prefix.
    value: '(?:local-)?[a-f0-9]{40}',
    valueChars: HEX,
    valueMin: 40,
    make: (gen) => `${gen.pick(['', '', 'local-'])}${gen.chars(HEX, 40)}`,
    name: 'WANDB_API_KEY',
    nearMisses: (gen) => [`WANDB_API_KEY=${gen.chars(HEX, 34)}`, `WANDB_RUN_ID=${gen.chars(HEX, 40)}`],
    minEntropy: 2.5,
    text: 'Revoke the key under User Settings > API Keys in Weights & Biases and create a new one.',
    url: 'https://wandb.ai/authorize',
  }),
  {
    id: 'voyage-api-key',
    title: 'Voyage AI API key',
    provider: 'Voyage AI',
    severity: 'high',
    keywords: ['pa-'],
    valueRun: { chars: BASE64URL, min: 43, within: 0 },
    pattern: new RegExp(
      `${START}pa-[A-Za-z0-9_-]{43}${END}(?:(?<=${VOYAGE_WORD}[\\s\\S]{0,${VOYAGE_REACH}})|(?=[\\s\\S]{0,${VOYAGE_REACH}}${VOYAGE_WORD}))`,
    ),
    minEntropy: 3.5,
    ...STRICT_FORMAT,
    remediation: { text: 'Delete the key in the Voyage AI dashboard (API keys) and create a new one.', url: 'https://dashboard.voyageai.com/organization/api-keys' },
    samples: {
      secret: voyageKey,
      name: 'VOYAGE_API_KEY',
      positives: (gen) => {
        const key = voyageKey(gen);
        return [{ text: `import voyageai\n\nclient = voyageai.Client(api_key="${key}")\n`, secret: key }];
      },
      negatives: (gen) => [unnamed(voyageKey(gen)), `VOYAGE_API_KEY=pa-${gen.chars(BASE64URL, 30)}`, ...placeholderTexts('VOYAGE_API_KEY', 'pa-')],
    },
  },
];
