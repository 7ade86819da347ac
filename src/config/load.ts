import { open } from 'node:fs/promises';
import picomatch from 'picomatch';
import type { Document } from 'yaml';
import type { SecretScope } from '../report/model.js';
import { BUILTIN_PAIRS, BUILTIN_RULES } from '../rules/index.js';
import { Engine, secretOf } from '../scan/engine.js';
import type { Rule, Severity } from '../scan/types.js';
import { CONFIG_SPEC, type RawConfig } from './config-spec.js';
import { ConfigError, type FieldPath, describe, escapeText, quote } from './errors.js';
import { LinearPattern, LinearPatternError } from '../scan/linear-pattern.js';
import { parseRegex } from './regex-syntax.js';
import { keywordFits, leadingSets } from './safe-pattern.js';
import { type ConformContext, closest, conform } from './spec.js';
import { type Config, MAX_ALIAS_COUNT, MAX_CONFIG_BYTES, type SecretPolicy, defaultConfig } from './types.js';
import yamlSeam from './yaml.cjs';

/** Shown for custom rules that give no remediation of their own. */
const DEFAULT_REMEDIATION = {
  text: 'Revoke the key where it was issued, issue a new one and keep it in a secret store, not in the repository.',
  url: 'https://docs.github.com/actions/security-guides/using-secrets-in-github-actions',
};

export interface ParseOptions {
  /** The built-in catalogue custom rules must not clash with and `rules.disable` may name. Default `BUILTIN_RULES`. */
  builtinRules?: readonly Rule[];
}

/**
 * Parses and validates a config file's text. Pure: `file` only names the file in error messages.
 * An empty document (or only comments) gives the defaults.
 * @throws ConfigError, with a one-line message naming the file, line, field and what was expected.
 */
export function parseConfig(text: string, file: string, options: ParseOptions = {}): Config {
  const fail = (path: FieldPath, expected: string, got?: string, line?: number, cause?: unknown): never => {
    throw new ConfigError({ file, path, expected, ...(got === undefined ? {} : { got }), ...(line === undefined ? {} : { line }), cause });
  };
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > MAX_CONFIG_BYTES) fail([], `a config file of at most ${MAX_CONFIG_BYTES} bytes`, `${bytes} bytes`);

  const { LineCounter, parseDocument } = yamlSeam.load();
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true, version: '1.2', schema: 'core' });
  const lineAt = (offset: number | undefined) => (offset === undefined ? undefined : lineCounter.linePos(offset).line);
  const syntax = doc.errors[0];
  if (syntax !== undefined) fail([], 'valid YAML', `a syntax error: ${escapeText(syntax.message)}`, lineAt(syntax.pos[0]), syntax);
  const warning = doc.warnings[0];
  if (warning !== undefined) fail([], 'plain YAML without custom tags', escapeText(warning.message), lineAt(warning.pos[0]), warning);

  let value: unknown;
  try {
    value = doc.toJS({ mapAsMap: true, maxAliasCount: MAX_ALIAS_COUNT });
  } catch (error) {
    fail([], `YAML whose anchors and aliases expand at most ${MAX_ALIAS_COUNT} times`, 'more (a document that expands exponentially)', undefined, error);
  }
  if (value === null || value === undefined) return { ...defaultConfig(), file };
  if (!(value instanceof Map)) {
    fail([], 'a mapping at the top level, with keys such as version, paths, rules, allow, rotation, verify', describe(value), lineAt(doc.contents?.range[0]));
  }

  const ctx: ConformContext = {
    fail: (path, expected, got, at = { path, key: false }) => fail(path, expected, got, lineAt(locate(doc, at.path, at.key))),
  };
  const raw = conform(CONFIG_SPEC, value, [], ctx);
  return build(raw, file, options, ctx);
}

/** Turns the structurally valid file into a Config, running the checks JSON Schema cannot express. */
function build(raw: RawConfig, file: string, options: ParseOptions, ctx: ConformContext): Config {
  const config = defaultConfig();
  config.file = file;
  const builtins = options.builtinRules ?? BUILTIN_RULES;

  const ignore = raw.paths?.ignore ?? [];
  ignore.forEach((glob, i) => checkGlob(glob, ['paths', 'ignore', i], ctx));
  config.paths = { ignore, useDefaults: raw.paths?.['use-defaults'] ?? true };

  const custom = (raw.rules?.custom ?? []).map((r, i) => compileCustomRule(r, ['rules', 'custom', i], builtins, options, ctx));
  const seen = new Map<string, number>();
  custom.forEach((rule, i) => {
    const earlier = seen.get(rule.id);
    if (earlier !== undefined) ctx.fail(['rules', 'custom', i, 'id'], `an id not used by another custom rule (rules.custom[${earlier}] has it)`, quote(rule.id));
    seen.set(rule.id, i);
  });
  const known = [...builtins.map((r) => r.id), ...custom.map((r) => r.id)];
  const disable = raw.rules?.disable ?? [];
  disable.forEach((id, i) => {
    if (known.includes(id)) return;
    const hint = closest(id, known);
    ctx.fail(['rules', 'disable', i], `the id of a built-in or custom rule${hint === undefined ? '' : ` (did you mean "${hint}"?)`}`, quote(id));
  });
  config.rules = { disable, custom };

  const values = (raw.allow?.values ?? []).map((source, i) => compileAllowValue(source, ['allow', 'values', i], ctx));
  config.allow = { values, fingerprints: (raw.allow?.fingerprints ?? []).map((f) => f.toLowerCase()) };

  const rotation: NonNullable<RawConfig['rotation']> = raw.rotation ?? {};
  const secrets: SecretPolicy[] = (rotation.secrets ?? []).map(([name, policy]) => {
    const path = ['rotation', 'secrets', name];
    checkGlob(name, path, ctx, true);
    if (typeof policy === 'number') return { name, maxAgeDays: policy };
    const scope = policy.scope as SecretScope | undefined;
    const base = scope === undefined ? { name } : { name, scope };
    if (policy.exempt !== undefined && policy['max-age-days'] !== undefined) {
      ctx.fail([...path, 'exempt'], 'either exempt or max-age-days, not both', 'both');
    }
    if (policy.exempt !== undefined) return { ...base, exempt: policy.exempt.trim() };
    if (policy['max-age-days'] !== undefined) return { ...base, maxAgeDays: policy['max-age-days'] };
    return ctx.fail(path, 'a mapping with max-age-days or exempt', 'neither');
  });
  const maxAgeDays = rotation['max-age-days'];
  config.rotation = {
    ...(maxAgeDays === undefined ? {} : { maxAgeDays }),
    warnDays: rotation['warn-days'] ?? 14,
    scopes: { ...rotation.scopes },
    secrets,
    codespaces: rotation.codespaces ?? false,
    owners: (rotation.owners ?? []).map(([pattern, owners]) => {
      checkGlob(pattern, ['rotation', 'owners', pattern], ctx, true);
      return { pattern, owners: typeof owners === 'string' ? [owners] : [...owners] };
    }),
    providerKeys: providerKeysConfig(rotation['provider-keys'] ?? {}, ctx),
  };

  config.verify = { providers: raw.verify?.providers ?? [], allowForks: raw.verify?.['allow-forks'] ?? false };
  return config;
}

function providerKeysConfig(raw: NonNullable<NonNullable<RawConfig['rotation']>['provider-keys']>, ctx: ConformContext): Config['rotation']['providerKeys'] {
  const projects = (raw.projects ?? []).map(([pattern, maxAgeDays]) => {
    checkGlob(pattern, ['rotation', 'provider-keys', 'projects', pattern], ctx, false);
    return { pattern, maxAgeDays };
  });
  const providers: { openai?: number; anthropic?: number } = {};
  if (raw.openai !== undefined) providers.openai = raw.openai;
  if (raw.anthropic !== undefined) providers.anthropic = raw.anthropic;
  return {
    ...(raw['max-age-days'] !== undefined ? { maxAgeDays: raw['max-age-days'] } : {}),
    providers,
    projects,
    unusedDays: raw['unused-days'] ?? 30,
    spikeFactor: raw['spike-factor'] ?? 3,
  };
}

type RawCustomRule = NonNullable<NonNullable<RawConfig['rules']>['custom']>[number];

function compileCustomRule(raw: RawCustomRule, path: FieldPath, builtins: readonly Rule[], options: ParseOptions, ctx: ConformContext): Rule {
  if (builtins.some((r) => r.id === raw.id)) {
    ctx.fail([...path, 'id'], 'an id that is not a built-in rule (to replace a built-in rule, disable it and give yours another id)', quote(raw.id));
  }
  const patternPath = [...path, 'pattern'];
  const { source, flags } = splitInlineFlags(raw.pattern);
  const pattern = compileLinear(source, flags, patternPath, raw.pattern, ctx);
  checkKeywordsLead(source, flags, raw.keywords, path, raw.pattern, ctx);

  const group = raw['secret-group'];
  if (typeof group === 'number' && group > pattern.captureCount) {
    ctx.fail([...path, 'secret-group'], `a capture group of the pattern (it has ${pattern.captureCount})`, String(group));
  }
  if (typeof group === 'string' && !pattern.groupNames.includes(group)) {
    const names = pattern.groupNames;
    ctx.fail([...path, 'secret-group'], names.length === 0 ? 'a group name, but the pattern has no named groups' : `one of the pattern's group names ${names.join(', ')}`, quote(group));
  }

  const positives: Array<{ text: string; secret: string }> = [];
  const negatives = raw.samples?.negative ?? [];
  const rule: Rule = {
    id: raw.id,
    title: raw.title ?? raw.id,
    provider: raw.provider ?? 'Custom',
    severity: (raw.severity ?? 'high') as Severity,
    keywords: raw.keywords,
    pattern,
    maxLength: MAX_CUSTOM_MATCH,
    remediation: { text: raw.remediation?.text ?? DEFAULT_REMEDIATION.text, url: raw.remediation?.url ?? DEFAULT_REMEDIATION.url },
    samples: {
      // Literal samples have fixed values: the catalogue's wrapping test does not apply to them.
      wrap: false,
      secret: () => positives[0]?.secret ?? '',
      positives: () => positives,
      negatives: () => negatives,
    },
  };
  if (group !== undefined) rule.secretGroup = group;
  if (raw['min-entropy'] !== undefined) rule.minEntropy = raw['min-entropy'];

  const engine = new Engine([rule]);
  (raw.samples?.positive ?? []).forEach((text, i) => {
    const found = engine.scan({ path: 'sample', text, source: 'file' })[0];
    const secret = found === undefined ? undefined : secretOf(found);
    if (secret === undefined) {
      // The sample is not echoed: it is shaped like a real key.
      ctx.fail([...path, 'samples', 'positive', i], 'a text in which the rule reports a secret', `no finding in this sample of ${text.length} characters (check the keywords, pattern, min-entropy, and that the value is not a placeholder)`);
    }
    positives.push({ text, secret });
  });
  negatives.forEach((text, i) => {
    const found = engine.scan({ path: 'sample', text, source: 'file' })[0];
    if (found !== undefined) ctx.fail([...path, 'samples', 'negative', i], 'a text in which the rule reports nothing', `a finding ${quote(found.redacted)} at line ${found.line}, column ${found.column}`);
  });
  return rule;
}

function compileAllowValue(text: string, path: FieldPath, ctx: ConformContext): LinearPattern {
  const { source, flags } = splitInlineFlags(text);
  return compileLinear(source, flags, path, text, ctx);
}

/**
 * The longest match a custom rule may report. RE2 makes each attempt linear in what it reads; the cap
 * bounds what it reads per keyword, so a text full of keywords stays linear too.
 */
export const MAX_CUSTOM_MATCH = 1024;

/** A user pattern on RE2; its syntax errors become config errors at the field. */
function compileLinear(source: string, flags: string, path: FieldPath, written: string, ctx: ConformContext): LinearPattern {
  try {
    return new LinearPattern(source, flags);
  } catch (error) {
    if (!(error instanceof LinearPatternError)) throw error;
    return ctx.fail(
      path,
      `a regular expression in RE2 syntax (no lookahead except one trailing (?!x), no backreferences, repeat counts up to 1000): ${escapeText(error.message)}`,
      quote(written),
    );
  }
}

/**
 * The engine tries a custom pattern where one of its keywords occurs, so the pattern must begin with
 * each keyword. Checked on the pattern's parse where the JavaScript-syntax parser understands it (nearly
 * every key pattern); RE2-only syntax skips the check, and the rule's samples are then the proof.
 */
function checkKeywordsLead(source: string, flags: string, keywords: readonly string[], path: FieldPath, written: string, ctx: ConformContext): void {
  let leads: ReturnType<typeof leadingSets>;
  try {
    leads = leadingSets(parseRegex(source, flags).root);
  } catch {
    return;
  }
  if (leads.length === 0) {
    ctx.fail([...path, 'pattern'], 'a regular expression that begins with one of its keywords (the engine tries it where a keyword occurs)', quote(written));
  }
  keywords.forEach((keyword, k) => {
    if (!keywordFits(leads, keyword)) {
      ctx.fail([...path, 'keywords', k], `a prefix of what the pattern matches (the pattern cannot start with ${quote(keyword)})`, quote(keyword));
    }
  });
}

/** Patterns written for Go or PCRE tools often start with (?i); JavaScript spells that as the i flag. */
function splitInlineFlags(pattern: string): { source: string; flags: string } {
  return pattern.startsWith('(?i)') ? { source: pattern.slice(4), flags: 'i' } : { source: pattern, flags: '' };
}

/**
 * Options each path glob is matched with, so that what the loader accepts is what runs. `basename` only
 * for globs without a slash: picomatch 4 stops matching slashed globs with a slash in them when it is set.
 */
function globOptions(glob: string): picomatch.PicomatchOptions {
  return { dot: true, strictBrackets: true, basename: !glob.includes('/') };
}
const SECRET_GLOB_OPTIONS = { nocase: true, strictBrackets: true } as const;

function checkGlob(glob: string, path: FieldPath, ctx: ConformContext, secretName = false): void {
  let re: RegExp;
  try {
    re = picomatch.makeRe(glob, secretName ? SECRET_GLOB_OPTIONS : globOptions(glob));
  } catch (error) {
    return ctx.fail(path, `a valid glob (${escapeText((error as Error).message)})`, quote(glob), { path, key: secretName });
  }
  // picomatch compiles some broken globs (a trailing backslash, a reversed range) to a pattern that matches nothing.
  if (re.source === '$^') ctx.fail(path, 'a glob that can match something', quote(glob), { path, key: secretName });
  if (secretName && glob.replace(/\[[^\]]*\]/g, '').includes('-')) {
    ctx.fail(path, 'a secret name glob without "-" outside brackets (secret names hold only letters, digits and underscores)', quote(glob), { path, key: true });
  }
  if (!secretName && /\\(?![*?[\]{}()!+@,\\])/.test(glob)) {
    ctx.fail(path, 'a glob with forward slashes (a backslash escapes the next character)', quote(glob));
  }
}

/**
 * A matcher for config globs, with the options the loader validated them with: dot files match, and a
 * glob without a slash matches the file name at any depth.
 */
export function globMatcher(globs: readonly string[]): (path: string) => boolean {
  const matchers = globs.map((glob) => picomatch(glob, globOptions(glob)));
  return (path) => matchers.some((match) => match(path));
}

/** A matcher for a secret-name glob of `rotation.secrets` (case-insensitive, as GitHub secret names are). */
export function secretNameMatcher(glob: string): (name: string) => boolean {
  return picomatch(glob, SECRET_GLOB_OPTIONS);
}

/**
 * Reads and parses the config file. A missing file gives the defaults unless the path was named
 * explicitly (an input or a CLI flag), in which case it is an error, as is any unreadable file.
 */
export async function loadConfig(path: string, opts: { explicit: boolean }, options: ParseOptions = {}): Promise<Config> {
  const fail = (expected: string, got: string, cause?: unknown): never => {
    throw new ConfigError({ file: path, path: [], expected, got, cause });
  };
  let text = '';
  try {
    const handle = await open(path, 'r');
    try {
      const stat = await handle.stat();
      if (!stat.isFile()) fail('a regular file', stat.isDirectory() ? 'a directory' : 'something else');
      if (stat.size > MAX_CONFIG_BYTES) fail(`a config file of at most ${MAX_CONFIG_BYTES} bytes`, `${stat.size} bytes`);
      text = await handle.readFile('utf8');
    } finally {
      await handle.close();
    }
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') {
      if (!opts.explicit) return defaultConfig();
      fail('an existing file (the config path was given explicitly)', 'no such file', error);
    }
    fail('a readable file', `${code ?? 'an error'}: ${escapeText((error as Error).message)}`, error);
  }
  return parseConfig(text, path, options);
}

/**
 * The engine a config asks for: built-in rules plus custom ones (after the specific built-ins, before
 * the generic ones, so custom rules win ties against generic matches), minus disabled rules, with the
 * allowed values and accepted fingerprints.
 */
export function buildEngine(config: Config, builtinRules: readonly Rule[] = BUILTIN_RULES): Engine {
  const specific = builtinRules.filter((r) => r.generic !== true);
  const generic = builtinRules.filter((r) => r.generic === true);
  return new Engine([...specific, ...config.rules.custom, ...generic], {
    disabledRules: config.rules.disable,
    allowValues: [...config.allow.values],
    ignoreFingerprints: config.allow.fingerprints,
    pairs: BUILTIN_PAIRS,
  });
}

/** Offset of the node at `path` (its key with `atKey`), or of the nearest ancestor that exists. */
function locate(doc: Document, path: FieldPath, atKey: boolean): number | undefined {
  const { isAlias, isMap, isScalar, isSeq } = yamlSeam.load();
  let node: unknown = doc.contents;
  let offset = rangeStart(node);
  for (let i = 0; i < path.length; i++) {
    const seg = path[i];
    if (isAlias(node)) node = node.resolve(doc);
    if (isMap(node)) {
      const pair = node.items.find((p) => String(isScalar(p.key) ? p.key.value : p.key) === String(seg));
      if (pair === undefined) return offset;
      const last = i === path.length - 1;
      node = pair.value;
      offset = (last && atKey) || rangeStart(node) === undefined ? (rangeStart(pair.key) ?? offset) : rangeStart(node);
    } else if (isSeq(node) && typeof seg === 'number') {
      node = node.items[seg];
      offset = rangeStart(node) ?? offset;
    } else return offset;
  }
  return offset;
}

function rangeStart(node: unknown): number | undefined {
  const range = (node as { range?: [number, number, number] } | null | undefined)?.range;
  return range?.[0];
}
