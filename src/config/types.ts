import type { SecretScope } from '../report/model.js';
import type { Rule } from '../scan/types.js';
import type { LinearPattern } from '../scan/linear-pattern.js';

/** Where the action and the CLI look when no config path is given. */
export const DEFAULT_CONFIG_PATH = '.github/key-hygiene.yml';

/** Larger config files are refused before parsing: nobody writes a megabyte of settings by hand. */
export const MAX_CONFIG_BYTES = 1024 * 1024;

/**
 * Anchors and aliases may be expanded this many times at most: enough for any hand-written file, far
 * too few for a "billion laughs" document to exhaust memory.
 */
export const MAX_ALIAS_COUNT = 50;

export interface PathsConfig {
  /** Picomatch globs of repository-relative paths to skip, on top of the built-in allowlist. */
  ignore: readonly string[];
  /** False drops the built-in path allowlist. */
  useDefaults: boolean;
}

export interface RulesConfig {
  /** Rule ids to skip; every id names a built-in or custom rule. */
  disable: readonly string[];
  /** Custom rules, compiled on RE2 and checked (keywords, samples). */
  custom: readonly Rule[];
}

export interface AllowConfig {
  /** A secret matching one of these is accepted. User patterns, so on RE2 (linear time). */
  values: readonly LinearPattern[];
  /** Lowercase fingerprints of accepted findings. */
  fingerprints: readonly string[];
}

/** A per-secret policy; `name` is a case-insensitive glob over secret names. */
export type SecretPolicy = { name: string; scope?: SecretScope } & ({ maxAgeDays: number } | { exempt: string });

export interface RotationConfig {
  /** When set, overrides the action's `max-age-days` input. */
  maxAgeDays?: number;
  /** Days before the due date when a secret is "due soon". */
  warnDays: number;
  /** Maximum age per scope; overrides `maxAgeDays`. */
  scopes: Readonly<Partial<Record<SecretScope, number>>>;
  /** In file order; the first match wins and overrides `scopes`. */
  secrets: readonly SecretPolicy[];
  /** Audit Codespaces secrets (needs a token with write access). */
  codespaces: boolean;
  /** Owners by secret name glob, in file order; the last match wins, as in CODEOWNERS. */
  owners: ReadonlyArray<{ pattern: string; owners: readonly string[] }>;
  providerKeys: ProviderKeysConfig;
}

/** `rotation.provider-keys`: how OpenAI and Anthropic keys read through an admin key are judged. */
export interface ProviderKeysConfig {
  /** When set, overrides rotation `maxAgeDays` (and the input) for provider keys. */
  maxAgeDays?: number;
  providers: Readonly<Partial<Record<'openai' | 'anthropic', number>>>;
  /** In file order; the first match wins. */
  projects: ReadonlyArray<{ pattern: string; maxAgeDays: number }>;
  unusedDays: number;
  spikeFactor: number;
}

export interface VerifyConfig {
  /** Lowercase provider ids whose keys may be checked live. Empty: no live checks. */
  providers: readonly string[];
  /** Also verify on pull requests from forks. */
  allowForks: boolean;
}

/** The loaded configuration; every section is filled in, with defaults where the file said nothing. */
export interface Config {
  version: 1;
  /** The file it was read from; absent for the built-in defaults. */
  file?: string;
  paths: PathsConfig;
  rules: RulesConfig;
  allow: AllowConfig;
  rotation: RotationConfig;
  verify: VerifyConfig;
}

/** A fresh copy of the configuration used when there is no config file. */
export function defaultConfig(): Config {
  return {
    version: 1,
    paths: { ignore: [], useDefaults: true },
    rules: { disable: [], custom: [] },
    allow: { values: [], fingerprints: [] },
    rotation: { warnDays: 14, scopes: {}, secrets: [], codespaces: false, owners: [], providerKeys: { providers: {}, projects: [], unusedDays: 30, spikeFactor: 3 } },
    verify: { providers: [], allowForks: false },
  };
}

/** The defaults, frozen: read them, or call `defaultConfig()` for a copy to change. */
export const DEFAULT_CONFIG: Readonly<Config> = deepFreeze(defaultConfig());

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}
