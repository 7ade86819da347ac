import { type Infer, array, boolean, integer, map, number, object, oneOf, string } from './spec.js';

/**
 * The shape of `.github/key-hygiene.yml`, the single source for the loader's structural checks and for
 * schema/key-hygiene.schema.json (see __tests__/config/schema.test.ts).
 */

/** A century: long enough for any policy, short enough that date arithmetic stays exact. */
const MAX_DAYS = 36500;

const KEBAB_ID = '^[a-z0-9]+(-[a-z0-9]+)*$';

const days = (description: string) =>
  integer(description, { minimum: 1, maximum: MAX_DAYS, expect: `a whole number of days from 1 to ${MAX_DAYS}` });

const ruleId = (description: string) =>
  string(description, { pattern: KEBAB_ID, maxLength: 64, expect: 'a kebab-case rule id such as "generic-credential"' });

const sampleList = (description: string) =>
  array(description, string('A literal text.', { maxLength: 4096, minLength: 1 }), { maxItems: 50 });

const customRule = object(
  'A rule of your own, checked when the file loads: its pattern must compile on RE2, its keywords must start its matches and its samples must behave.',
  {
    id: string('Stable id used in `rules.disable`, SARIF and fingerprints. Must not clash with a built-in rule.', {
      pattern: KEBAB_ID,
      maxLength: 64,
      expect: 'a kebab-case id such as "acme-token"',
    }),
    title: string('What the finding is called in reports. Default: the id.', { maxLength: 200 }),
    provider: string('Who issues the key. Default: "Custom".', { maxLength: 100 }),
    severity: string('Default: high.', { enum: ['critical', 'high', 'medium', 'low'], maxLength: 8 }),
    keywords: array(
      'Lowercase literals, each a prefix of what the pattern matches. The engine looks for them (case-insensitively) and tries the pattern only where one occurs.',
      string('A keyword.', {
        pattern: '^[!-@\\[-~]{3,64}$',
        maxLength: 64,
        expect: 'a lowercase literal of 3 to 64 characters without spaces, such as "acme_"',
      }),
      { minItems: 1, maxItems: 20, uniqueItems: true },
    ),
    pattern: string(
      'Regular expression in RE2 syntax for the key, starting at a keyword; it runs in linear time. No backreferences, no lookahead except one trailing (?!x) of a single character or class; repeat counts up to 1000; a match is at most 1024 characters. A leading (?i) makes it case-insensitive.',
      { maxLength: 2000, expect: 'a regular expression' },
    ),
    'secret-group': oneOf('Capture group holding the secret (number or name). Default: the group named "secret", else the whole match.', 'a capture group number or name', [
      integer('Group number.', { minimum: 0, maximum: 99 }),
      string('Group name.', { pattern: '^[A-Za-z_$][A-Za-z0-9_$]*$', maxLength: 64, expect: 'a capture group name' }),
    ]),
    'min-entropy': number('Minimum Shannon entropy of the secret in bits per character; lower values are dropped as placeholders.', {
      minimum: 0,
      maximum: 8,
    }),
    remediation: object(
      'What to do when this key leaks.',
      {
        text: string('One line: how to revoke or rotate the key.', { maxLength: 500 }),
        url: string('The page where the key is revoked or rotated.', {
          pattern: '^https://[^\\s]+$',
          maxLength: 2000,
          expect: 'an https:// URL',
        }),
      },
      ['text'],
    ),
    samples: object('Literal texts checked at load time. Mark lines holding real-looking samples with "key-hygiene:allow" so the scan skips them.', {
      positive: sampleList('Texts in which the rule must report a secret.'),
      negative: sampleList('Texts in which the rule must report nothing.'),
    }),
  },
  ['id', 'keywords', 'pattern'],
);

const scopeDays = (scope: string) => days(`Maximum age in days of ${scope} secrets.`);

const secretPolicy = oneOf(
  'A number of days, or a mapping with max-age-days (and optionally scope), or exempt with a reason.',
  'a number of days or a mapping with max-age-days, scope or exempt',
  [
    days('Maximum age in days.'),
    object('A policy for the secrets this name matches.', {
      'max-age-days': days('Maximum age in days.'),
      scope: string('Only secrets of this kind match.', {
        enum: ['actions', 'environment', 'dependabot', 'codespaces', 'organization'],
        maxLength: 16,
      }),
      exempt: string('Why this secret is never due (required to exempt it).', {
        pattern: '\\S',
        maxLength: 500,
        expect: 'a reason why the secret is exempt',
      }),
    }),
  ],
);

/** A GitHub user or team as CODEOWNERS writes them; emails are not mentioned, so they are not accepted here. */
const owner = string('A GitHub user (@name) or team (@org/team).', {
  pattern: '^@[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})(?:/[A-Za-z0-9_.-]{1,100})?$',
  maxLength: 141,
  expect: 'a GitHub user or team such as "@octocat" or "@acme/platform"',
});

export const CONFIG_SPEC = object('key-hygiene configuration (.github/key-hygiene.yml).', {
  version: integer('Config format version.', { minimum: 1, maximum: 1, default: 1 }),
  paths: object('Which files the scan skips.', {
    ignore: array(
      'Globs (picomatch) of repository-relative paths to skip, added to the built-in allowlist. A glob without a slash matches the file name at any depth.',
      string('A glob.', {
        pattern: '^(?![!/]|\\./)[^\\s](.*[^\\s])?$',
        maxLength: 1024,
        expect: 'a repository-relative glob such as "**/fixtures/**" (no leading "/", "./" or "!", no surrounding spaces)',
      }),
      { maxItems: 1000 },
    ),
    'use-defaults': boolean('Keep the built-in path allowlist (lock files, vendored code, minified bundles...). false drops it.', true),
  }),
  rules: object('Which rules run.', {
    disable: array('Ids of rules to turn off (built-in or custom).', ruleId('A rule id.'), { maxItems: 500, uniqueItems: true }),
    custom: array('Rules of your own.', customRule, { maxItems: 200 }),
  }),
  allow: object('Values and findings that are accepted.', {
    values: array(
      'Regular expressions; a secret matching one is accepted (test keys, documented examples). Searched anywhere in the secret: anchor with ^ and $. A leading (?i) ignores case.',
      string('A regular expression in RE2 syntax (linear time).', { maxLength: 1000, expect: 'a regular expression' }),
      { maxItems: 200 },
    ),
    fingerprints: array(
      'Fingerprints of findings someone judged and accepted, as printed in the report.',
      string('A fingerprint.', { pattern: '^[0-9a-fA-F]{32}$', maxLength: 32, expect: 'a fingerprint of 32 hexadecimal characters' }),
      { maxItems: 10000 },
    ),
  }),
  rotation: object('How old secrets may get before they are due for rotation.', {
    'max-age-days': days("Default maximum age in days. Overrides the action's max-age-days input when set."),
    'warn-days': integer('How many days before the due date a secret is reported as due soon.', {
      minimum: 0,
      maximum: MAX_DAYS,
      default: 14,
      expect: `a whole number of days from 0 to ${MAX_DAYS}`,
    }),
    scopes: object('Maximum age per kind of secret; overrides max-age-days.', {
      actions: scopeDays('repository Actions'),
      environment: scopeDays('environment'),
      dependabot: scopeDays('Dependabot'),
      codespaces: scopeDays('Codespaces'),
      organization: scopeDays('organization'),
    }),
    secrets: map('Policies by secret name glob (case-insensitive); the first match wins and overrides scopes.', secretPolicy, {
      keyPattern: '^[A-Za-z0-9_*?\\[\\]{},!-]{1,255}$',
      keyExpect: 'a secret name or glob of letters, digits, underscores and * ? [ ] { } , ! - (secret names hold only letters, digits and underscores)',
      maxEntries: 1000,
    }),
    owners: map(
      'Who rotates which secrets, by secret name glob (case-insensitive); the last match wins, as in CODEOWNERS. The weekly issue names them on each secret and mentions them (see the mentions input).',
      oneOf('One owner or a list of owners.', 'an owner such as "@org/team" or "@user", or a list of them', [
        owner,
        array('Owners.', owner, { minItems: 1, maxItems: 20, uniqueItems: true }),
      ]),
      {
        keyPattern: '^[A-Za-z0-9_*?\\[\\]{},!-]{1,255}$',
        keyExpect: 'a secret name or glob of letters, digits, underscores and * ? [ ] { } , ! - (secret names hold only letters, digits and underscores)',
        maxEntries: 1000,
      },
    ),
    codespaces: boolean('Audit Codespaces secrets too. Listing them needs a token with write access, so it is off by default.', false),
    'provider-keys': object('How the provider key inventory (openai-admin-key, anthropic-admin-key inputs) judges OpenAI and Anthropic keys.', {
      'max-age-days': days('Maximum age of a provider key, by its created_at. Default: rotation max-age-days, else the max-secret-age-days input.'),
      openai: days('Maximum age of OpenAI keys; overrides max-age-days.'),
      anthropic: days('Maximum age of Anthropic keys; overrides max-age-days.'),
      projects: map('Maximum age by OpenAI project or Anthropic workspace, a case-insensitive glob over its name or id; the first match wins and overrides the provider.', days('Maximum age in days.'), {
        keyPattern: '^[^\\x00-\\x1f]{1,255}$',
        keyExpect: 'a project or workspace name, id or glob of 1 to 255 characters',
        maxEntries: 1000,
      }),
      'unused-days': integer('An active key unused for this many days is listed as a delete candidate.', {
        minimum: 1,
        maximum: MAX_DAYS,
        default: 30,
        expect: `a whole number of days from 1 to ${MAX_DAYS}`,
      }),
      'spike-factor': number('A key whose daily requests over the last 7 days exceed this many times its daily average over the 28 days before is listed as possible abuse.', {
        minimum: 1,
        maximum: 1000,
      }),
    }),
  }),
  verify: object('Opt-in live verification of found keys against their provider.', {
    providers: array(
      'Provider ids whose keys may be checked live; nothing is checked unless listed.',
      string('A provider id.', { pattern: KEBAB_ID, maxLength: 64, expect: 'a lowercase provider id such as "openai"' }),
      { maxItems: 100, uniqueItems: true },
    ),
    'allow-forks': boolean('Also verify on pull requests from forks.', false),
  }),
});

/** The file as written, after structural checks: kebab-case keys, optional sections possibly absent. */
export type RawConfig = Infer<typeof CONFIG_SPEC>;
