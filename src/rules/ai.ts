import type { Rule, SampleGen, Severity, ValueRun } from '../scan/types.js';
import { ALNUM, BASE64URL, HEX, LOWER, UPPER } from './alphabets.js';
import { looksMadeUp, readsAsWords, wordyTails } from './made-up.js';

// ---------------------------------------------------------------------------------------------------
// Assignment context, shared with cloud.ts. Some keys have no prefix (Mistral, Cohere, Azure) or a prefix
// other providers share (DeepSeek's `sk-`), so their rules fire only where a name that mentions the
// provider is assigned. The pattern starts at the provider's word (the keyword), runs through the rest of
// the name and an assignment in any common syntax, and captures the value as `secret`.
// ---------------------------------------------------------------------------------------------------

/** The rest of a variable name after the provider's word, e.g. `_API_KEY`, `.api.key` or `ApiKey`. */
export const NAME_TAIL = String.raw`[\w.-]{0,40}?`;

/**
 * The operators between a name and its value, beyond `=`, `:`, `=>` and `:=`:
 * - Makefile `?=`, `::=` and `:::=`, PHP `.=`;
 * - typed declarations: Kotlin and Python `: String =`, Go `string =` (after a blank, so a name ending
 *   in `string` is still a name);
 * - XML `" value="`, also with `value` on the next line (`<add key="…"` then `value="…"`);
 * - an element's content, also on the next line, right after the name (`<apiToken>`), never after a
 *   blank, a quote or `-` (`a > b`, `"…">`, `token->x`);
 * - a call's second argument after a first that is the name as a whole string literal, when the second is
 *   a string literal too: `System.setProperty("X_TOKEN", "…")`, `GetEnvOrDefault("api_token", "…")`;
 *   not a list of names (`["twilioSid", "twilioToken"]`).
 */
const OPERATORS = [
  '=>',
  ':{1,3}=',
  '[?.]=',
  '=',
  String.raw`:[ \t]{0,4}(?:str|string|String)[ \t]{0,4}=`,
  String.raw`(?:string|String)(?<=[ \t](?:string|String))[ \t]{1,4}=`,
  ':',
  String.raw`(?:\r?\n(?<=["'][ \t]{0,4}\r?\n)[ \t]{0,16})?value[ \t]{0,2}=`,
  String.raw`>(?<![\\"'\`\] \t-]>)(?:[ \t]{0,4}\r?\n[ \t]{0,16})?`,
  String.raw`,(?<=\([ \t]{0,4}\\?["'\`][\w.-]{1,80}\\?["'\`][ \t]{0,4},)(?=[ \t]{0,4}\\?["'\`])`,
];

/**
 * Closing quotes or brackets, an assignment (see OPERATORS), opening quotes: JSON `": "`, notebook
 * `\"] = \"`, shell `export NAME=`, Makefile `NAME ::= `, `setProperty("NAME", "`. Each quote is one
 * alternative (a backslash always comes with its quote) so a text splits only one way.
 */
export const ASSIGN = String.raw`(?:\\["'\`]|["'\`\]]){0,3}[ \t]{0,4}(?:${OPERATORS.join('|')})[ \t]{0,4}(?:\\["'\`]|["'\`]){0,2}`;

/**
 * How far ASSIGN reaches: its first character of `=:>,` lies at most 35 characters in (quotes or
 * brackets and blanks, 10, then a line break, 16 blanks, `value` and 2 blanks before its `=`), and the
 * value starts at most 44 in (those 10, the longest operator, 26, blanks and opening quotes, 8).
 */
export const ASSIGN_TO_OPERATOR = 35;
export const ASSIGN_REACH = 44;

/**
 * The longest name rest the rules keyed by a variable name write: a word's tail (40 characters), a
 * credential word of up to 6 and 40 more.
 */
export const NAME_REACH = 86;

/**
 * `valueRun` for rules keyed by a variable name: the assignment's `=`, `:`, `>` or `,` lies within the
 * name's rest and ASSIGN's reach to its operator. Text made of provider names (`twiliotwilio...`) has no
 * operator near, and the pattern is not run at each name.
 */
const ASSIGNMENT_GATE: ValueRun = { chars: '=:>,', min: 1, within: NAME_REACH + ASSIGN_TO_OPERATOR };

/**
 * `valueRun` for a value of at least `min` characters of `chars` assigned to a provider-named variable:
 * the assignment's operator, then the value, which starts within the name's rest and a whole ASSIGN. A
 * name assigned something short (`TWILIO_TOKEN="abc"`) does not reach the pattern either.
 */
export function assignedValueGates(chars: string, min: number): ValueRun[] {
  return [ASSIGNMENT_GATE, { chars, min, within: NAME_REACH + ASSIGN_REACH }];
}

/** `deepseek` -> `[Dd][Ee]...`, so a name matches in any case while the value's alphabet stays exact. */
export function anyCase(word: string): string {
  return [...word].map((c) => (/[a-z]/i.test(c) ? `[${c.toUpperCase()}${c.toLowerCase()}]` : `\\${c}`)).join('');
}

/**
 * A pattern for `<name> <assign> <value>`: `name` is a regex source that starts with the rule's keyword
 * (write words with `anyCase`), `value` the key's own format. The value is captured as `secret` and must
 * not run on into more key characters.
 */
export function assigned(name: string, value: string, valueEnd = '(?![A-Za-z0-9_-])'): RegExp {
  return new RegExp(`(?:${name})${NAME_TAIL}${ASSIGN}(?<secret>${value})${valueEnd}`);
}

/** A name word that says the value is a credential: `..._API_KEY`, `...Token`, `...SECRET`. */
export const CREDENTIAL_WORD = `(?:${['key', 'token', 'secret'].map(anyCase).join('|')})`;

/**
 * Values that only stand for a key: templates, lookups, elisions and prose, assigned to `name`.
 * Every rule uses them as negatives.
 */
export function placeholderTexts(name: string, prefix = ''): string[] {
  return [
    `${name}=${prefix}...`,
    `${name}="${prefix}your-api-key-here"`,
    `${name}=<${name}>`,
    `${name}=\${${name}}`,
    `const key = process.env.${name};`,
    `${name.toLowerCase()} = os.environ["${name}"]`,
    `${name}: \${{ secrets.${name} }}`,
  ];
}

// ---------------------------------------------------------------------------------------------------
// OpenAI. Every key OpenAI issues carries `T3BlbkFJ` (base64 of "OpenAI") in its body; project,
// service-account and admin keys add a typed prefix and longer, base64url bodies either side of it.
// ---------------------------------------------------------------------------------------------------

/**
 * Long random bodies of these formats now and then hold `xXxX` or a delimited `my`, which the shared
 * placeholder filter reads as filler. Their shape (prefix, marker, exact length) already rules out
 * template text, so they skip that filter and rely on `minEntropy` against fillers such as `hf_xxxx...`.
 */
export const STRICT_FORMAT = { skipPlaceholderCheck: true } as const;

/** Keys are never glued to a word before them: `task-...` or `disk-...` is not `sk-...`. */
const START = '(?<![A-Za-z0-9_-])';
const END = '(?![A-Za-z0-9_-])';
const OPENAI_MARKER = 'T3BlbkFJ';

/** Body lengths seen either side of the marker: 20 in 2024's keys, 58 or 74 in current ones. */
function openaiTyped(prefix: string, gen: SampleGen): string {
  const side = gen.pick([20, 58, 74]);
  return `${prefix}${gen.chars(BASE64URL, side)}${OPENAI_MARKER}${gen.chars(BASE64URL, side)}`;
}

/**
 * Before `sk-svcacct-` (2024), a service account's key carried the account's name instead: `sk-`, the
 * name (letters, digits and hyphens), `-`, then a user key's body of 20 characters, the marker and 20.
 */
const NAMED_SERVICE_ACCOUNT = `sk-(?!(?:proj|svcacct|admin|None|ant|or)-)[A-Za-z0-9][A-Za-z0-9-]{0,48}-[A-Za-z0-9]{20}${OPENAI_MARKER}[A-Za-z0-9]{20}`;

function namedServiceAccountKey(gen: SampleGen): string {
  const name = `${gen.pick(['deploy', 'billing', 'etl', 'support'])}-${gen.pick(['bot', 'worker', 'svc'])}`;
  return `sk-${name}-${gen.chars(ALNUM, 20)}${OPENAI_MARKER}${gen.chars(ALNUM, 20)}`;
}

const openaiTypedRule = (
  id: string,
  kind: 'proj' | 'svcacct' | 'admin',
  title: string,
  severity: Severity,
  text: string,
  url: string,
): Rule => {
  const prefix = `sk-${kind}-`;
  const typed = `${prefix}[A-Za-z0-9_-]{20,80}${OPENAI_MARKER}[A-Za-z0-9_-]{20,80}`;
  const named = kind === 'svcacct';
  return {
    id,
    title,
    provider: 'OpenAI',
    severity,
    keywords: named ? ['sk-'] : [prefix],
    pattern: new RegExp(`${START}${named ? `(?:${typed}|${NAMED_SERVICE_ACCOUNT})` : typed}${END}`),
    minEntropy: 4,
    ...STRICT_FORMAT,
    remediation: { text, url },
    samples: {
      secret: (gen) => openaiTyped(prefix, gen),
      name: kind === 'admin' ? 'OPENAI_ADMIN_KEY' : 'OPENAI_API_KEY',
      ...(named
        ? {
            positives: (gen: SampleGen) => {
              const key = namedServiceAccountKey(gen);
              return [{ text: `OPENAI_API_KEY = "${key}"\n`, secret: key }];
            },
          }
        : {}),
      negatives: (gen) => {
        const key = openaiTyped(prefix, gen);
        const old = namedServiceAccountKey(gen);
        return [
          // Cut before the marker: a truncated paste, not a key.
          key.slice(0, key.indexOf(OPENAI_MARKER)),
          // No marker at all.
          `${prefix}${gen.chars(ALNUM, 48)}`,
          ...(named ? [old.slice(0, old.indexOf(OPENAI_MARKER)), `sk-etl-bot-${gen.chars(ALNUM, 48)}`] : []),
          ...placeholderTexts('OPENAI_API_KEY', prefix),
        ];
      },
    },
  };
};

// ---------------------------------------------------------------------------------------------------
// Anthropic: `sk-ant-api03-` or `sk-ant-admin01-`, 93 base64url characters, then `AA`.
// ---------------------------------------------------------------------------------------------------

const anthropicKey = (prefix: string, gen: SampleGen): string => `${prefix}${gen.chars(BASE64URL, 93)}AA`;

const anthropicRule = (id: string, prefix: string, title: string, severity: Severity, text: string, url: string): Rule => ({
  id,
  title,
  provider: 'Anthropic',
  severity,
  keywords: [prefix],
  pattern: new RegExp(`${START}${prefix}[A-Za-z0-9_-]{93}AA${END}`),
  minEntropy: 4,
  ...STRICT_FORMAT,
  remediation: { text, url },
  samples: {
    secret: (gen) => anthropicKey(prefix, gen),
    name: 'ANTHROPIC_API_KEY',
    negatives: (gen) => {
      const key = anthropicKey(prefix, gen);
      return [
        key.slice(0, -10),
        // Wrong tail: every issued key ends in AA.
        `${key.slice(0, -2)}BB`,
        ...placeholderTexts('ANTHROPIC_API_KEY', prefix),
      ];
    },
  },
});

// ---------------------------------------------------------------------------------------------------
// Prefixed keys of other AI providers: prefix, then a fixed-length body.
// ---------------------------------------------------------------------------------------------------

interface PrefixedSpec {
  id: string;
  title: string;
  provider: string;
  prefix: string;
  /** The body's character class (regex) and the alphabet samples are drawn from. */
  bodyClass: string;
  alphabet: string;
  length: number;
  name: string;
  text: string;
  url: string;
}

const prefixedRule = (s: PrefixedSpec): Rule => {
  const make = (gen: SampleGen, n = s.length): string => `${s.prefix}${gen.chars(s.alphabet, n)}`;
  return {
    id: s.id,
    title: s.title,
    provider: s.provider,
    severity: 'high',
    keywords: [s.prefix.toLowerCase()],
    owns: { prefixes: [s.prefix] },
    pattern: new RegExp(`${START}${s.prefix}${s.bodyClass}{${s.length}}${END}`),
    minEntropy: 3,
    ...STRICT_FORMAT,
    validate: (secret) => {
      const body = secret.slice(s.prefix.length);
      return !looksMadeUp(body) && !readsAsWords(body);
    },
    remediation: { text: s.text, url: s.url },
    samples: {
      secret: (gen) => make(gen),
      name: s.name,
      negatives: (gen) => [
        make(gen, s.length - 4),
        make(gen, s.length + 3),
        `${s.name}=${s.prefix}${'x'.repeat(s.length)}`,
        ...placeholderTexts(s.name, s.prefix),
        ...wordyTails(s.prefix, s.length),
      ],
    },
  };
};

// ---------------------------------------------------------------------------------------------------
// Context-keyed AI keys.
// ---------------------------------------------------------------------------------------------------

const DEEPSEEK_WORD = anyCase('deepseek');
/** How far from the key the word "deepseek" may sit: a few lines of code, e.g. a `base_url` argument. */
const DEEPSEEK_REACH = 200;

function deepseekKey(gen: SampleGen): string {
  return `sk-${gen.chars(HEX, 32)}`;
}

function mistralKey(gen: SampleGen): string {
  return gen.chars(ALNUM, 32);
}

function cohereKey(gen: SampleGen): string {
  return gen.chars(ALNUM, 40);
}

/** A text where the key is assigned to a neutral name, so only the format speaks for it. */
const unnamed = (value: string): string => `API_TOKEN=${value}\n`;

export const aiRules: Rule[] = [
  openaiTypedRule(
    'openai-project-key',
    'proj',
    'OpenAI project API key',
    'high',
    'Delete the key in the project\'s API keys page and create a new one.',
    'https://platform.openai.com/api-keys',
  ),
  openaiTypedRule(
    'openai-service-account-key',
    'svcacct',
    'OpenAI service account key',
    'high',
    'Delete the service account key in the project settings and issue a new one.',
    'https://platform.openai.com/settings/organization/projects',
  ),
  openaiTypedRule(
    'openai-admin-key',
    'admin',
    'OpenAI admin API key',
    'critical',
    'Delete the admin key at once: it manages the whole organization (members, projects, keys).',
    'https://platform.openai.com/settings/organization/admin-keys',
  ),
  {
    id: 'openai-user-key',
    title: 'OpenAI API key (legacy user key)',
    provider: 'OpenAI',
    severity: 'high',
    keywords: ['sk-'],
    pattern: new RegExp(`${START}sk-[A-Za-z0-9]{20}${OPENAI_MARKER}[A-Za-z0-9]{20}${END}`),
    minEntropy: 4,
    ...STRICT_FORMAT,
    remediation: { text: 'Delete the key in the API keys page and create a project key instead.', url: 'https://platform.openai.com/api-keys' },
    samples: {
      secret: (gen) => `sk-${gen.chars(ALNUM, 20)}${OPENAI_MARKER}${gen.chars(ALNUM, 20)}`,
      name: 'OPENAI_API_KEY',
      negatives: (gen) => [
        `sk-${gen.chars(ALNUM, 48)}`,
        `sk-${gen.chars(ALNUM, 20)}${OPENAI_MARKER}${gen.chars(ALNUM, 12)}`,
        ...placeholderTexts('OPENAI_API_KEY', 'sk-'),
      ],
    },
  },
  anthropicRule(
    'anthropic-api-key',
    'sk-ant-api03-',
    'Anthropic API key',
    'high',
    'Delete the key in the Console and create a new one.',
    'https://console.anthropic.com/settings/keys',
  ),
  anthropicRule(
    'anthropic-admin-key',
    'sk-ant-admin01-',
    'Anthropic Admin API key',
    'critical',
    'Delete the admin key at once: it manages the organization\'s members, workspaces and API keys.',
    'https://console.anthropic.com/settings/admin-keys',
  ),
  {
    id: 'openrouter-api-key',
    title: 'OpenRouter API key',
    provider: 'OpenRouter',
    severity: 'high',
    keywords: ['sk-or-v1-'],
    pattern: new RegExp(`${START}sk-or-v1-[a-f0-9]{64}${END}`),
    minEntropy: 3,
    remediation: { text: 'Delete the key in OpenRouter\'s key settings and create a new one.', url: 'https://openrouter.ai/settings/keys' },
    samples: {
      secret: (gen) => `sk-or-v1-${gen.chars(HEX, 64)}`,
      name: 'OPENROUTER_API_KEY',
      negatives: (gen) => [`sk-or-v1-${gen.chars(HEX, 60)}`, `sk-or-v1-${gen.chars(UPPER, 64)}`, ...placeholderTexts('OPENROUTER_API_KEY', 'sk-or-v1-')],
    },
  },
  {
    id: 'deepseek-api-key',
    title: 'DeepSeek API key',
    provider: 'DeepSeek',
    // The shape (sk- and 32 hex digits) is only DeepSeek's when the provider is named nearby.
    severity: 'high',
    keywords: ['sk-'],
    pattern: new RegExp(
      `${START}sk-[a-f0-9]{32}${END}(?:(?<=${DEEPSEEK_WORD}[\\s\\S]{0,${DEEPSEEK_REACH}})|(?=[\\s\\S]{0,${DEEPSEEK_REACH}}${DEEPSEEK_WORD}))`,
    ),
    minEntropy: 2.5,
    remediation: { text: 'Delete the key in the DeepSeek platform and create a new one.', url: 'https://platform.deepseek.com/api_keys' },
    samples: {
      secret: deepseekKey,
      name: 'DEEPSEEK_API_KEY',
      positives: (gen) => {
        const key = deepseekKey(gen);
        return [
          {
            text: `client = OpenAI(\n    api_key="${key}",\n    base_url="https://api.deepseek.com",\n)\n`,
            secret: key,
          },
        ];
      },
      negatives: (gen) => [
        unnamed(deepseekKey(gen)),
        `DEEPSEEK_API_KEY=sk-${gen.chars(HEX, 28)}`,
        `DEEPSEEK_API_KEY=sk-${gen.chars(HEX, 40)}`,
        ...placeholderTexts('DEEPSEEK_API_KEY', 'sk-'),
      ],
    },
  },
  prefixedRule({
    id: 'huggingface-token',
    title: 'Hugging Face access token',
    provider: 'Hugging Face',
    prefix: 'hf_',
    bodyClass: '[A-Za-z]',
    alphabet: UPPER + LOWER,
    length: 34,
    name: 'HF_TOKEN',
    text: 'Invalidate the token in Access Tokens and create a fine-grained one.',
    url: 'https://huggingface.co/settings/tokens',
  }),
  prefixedRule({
    id: 'huggingface-org-token',
    title: 'Hugging Face organization API token (legacy)',
    provider: 'Hugging Face',
    prefix: 'api_org_',
    bodyClass: '[A-Za-z]',
    alphabet: UPPER + LOWER,
    length: 34,
    name: 'HF_ORG_TOKEN',
    text: 'Revoke the organization token in the organization settings and move to fine-grained user tokens.',
    url: 'https://huggingface.co/settings/tokens',
  }),
  prefixedRule({
    id: 'groq-api-key',
    title: 'Groq API key',
    provider: 'Groq',
    prefix: 'gsk_',
    bodyClass: '[A-Za-z0-9]',
    alphabet: ALNUM,
    length: 52,
    name: 'GROQ_API_KEY',
    text: 'Delete the key in the GroqCloud console and create a new one.',
    url: 'https://console.groq.com/keys',
  }),
  prefixedRule({
    id: 'replicate-api-token',
    title: 'Replicate API token',
    provider: 'Replicate',
    prefix: 'r8_',
    bodyClass: '[A-Za-z0-9]',
    alphabet: ALNUM,
    length: 37,
    name: 'REPLICATE_API_TOKEN',
    text: 'Disable the token in your Replicate account and create a new one.',
    url: 'https://replicate.com/account/api-tokens',
  }),
  prefixedRule({
    id: 'perplexity-api-key',
    title: 'Perplexity API key',
    provider: 'Perplexity',
    prefix: 'pplx-',
    bodyClass: '[A-Za-z0-9]',
    alphabet: ALNUM,
    length: 48,
    name: 'PERPLEXITY_API_KEY',
    text: 'Revoke the key in the API settings and generate a new one.',
    url: 'https://www.perplexity.ai/account/api/keys',
  }),
  prefixedRule({
    id: 'xai-api-key',
    title: 'xAI (Grok) API key',
    provider: 'xAI',
    prefix: 'xai-',
    bodyClass: '[A-Za-z0-9]',
    alphabet: ALNUM,
    length: 80,
    name: 'XAI_API_KEY',
    text: 'Delete the key in the xAI console (API Keys) and create a new one.',
    url: 'https://console.x.ai',
  }),
  {
    id: 'mistral-api-key',
    title: 'Mistral AI API key',
    provider: 'Mistral AI',
    // 32 letters and digits with no prefix: only the variable's name says whose key it is.
    severity: 'medium',
    keywords: ['mistral'],
    valueRun: assignedValueGates(ALNUM, 32),
    pattern: assigned(`${anyCase('mistral')}${NAME_TAIL}${CREDENTIAL_WORD}`, '[A-Za-z0-9]{32}'),
    minEntropy: 3.5,
    remediation: { text: 'Delete the key in La Plateforme\'s API keys page and create a new one.', url: 'https://console.mistral.ai/api-keys' },
    samples: {
      secret: mistralKey,
      name: 'MISTRAL_API_KEY',
      negatives: (gen) => [
        unnamed(mistralKey(gen)),
        `MISTRAL_API_KEY=${gen.chars(ALNUM, 28)}`,
        `MISTRAL_API_KEY=${gen.chars(ALNUM, 40)}`,
        `MISTRAL_MODEL=${mistralKey(gen)}`,
        ...placeholderTexts('MISTRAL_API_KEY'),
      ],
    },
  },
  {
    id: 'cohere-api-key',
    title: 'Cohere API key',
    provider: 'Cohere',
    severity: 'medium',
    // CO_API_KEY is the variable Cohere's SDKs read.
    keywords: ['cohere', 'co_api_key'],
    valueRun: assignedValueGates(ALNUM, 40),
    pattern: assigned(`${anyCase('cohere')}${NAME_TAIL}${CREDENTIAL_WORD}|${anyCase('co_api_key')}`, '[A-Za-z0-9]{40}'),
    minEntropy: 3.5,
    remediation: { text: 'Delete the key in the Cohere dashboard and create a new one.', url: 'https://dashboard.cohere.com/api-keys' },
    samples: {
      secret: cohereKey,
      name: 'COHERE_API_KEY',
      positives: (gen) => {
        const key = cohereKey(gen);
        return [{ text: `export CO_API_KEY=${key}\n`, secret: key }];
      },
      negatives: (gen) => [
        unnamed(cohereKey(gen)),
        `COHERE_API_KEY=${gen.chars(ALNUM, 32)}`,
        `cohere_model = "${cohereKey(gen)}"`,
        ...placeholderTexts('COHERE_API_KEY'),
      ],
    },
  },
];
