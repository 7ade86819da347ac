import * as core from '@actions/core';
import { parseShard, type Shard } from './rotation/shard.js';

/**
 * What can fail the run: leaked keys, keyed APIs reached over plain http:// (transport findings), and
 * secrets overdue for rotation (which needs the rotation audit, i.e. a `secrets-token`).
 */
export const FAIL_REASONS = ['leaks', 'transport', 'overdue-secrets'] as const;
export type FailReason = (typeof FAIL_REASONS)[number];
/** The `fail-on` words: a comma-separated list of reasons, or `any` (all of them) or `never` alone. */
export const FAIL_ON = [...FAIL_REASONS, 'any', 'never'] as const;

/** The parsed `fail-on` input. */
export interface FailOn {
  leaks: boolean;
  transport: boolean;
  overdueSecrets: boolean;
  /** The input as the messages name it (`leaks`, `leaks, transport`, `any`). */
  label: string;
}

/** When a pull request comment is created; an existing one is kept up to date whatever this says. */
export const COMMENT_WHEN = ['on-findings', 'always', 'never'] as const;
export type CommentWhen = (typeof COMMENT_WHEN)[number];

/** Where the Provider keys section may appear: `private-only` keeps it out of public repositories' reports. */
export const PROVIDER_KEYS_REPORT = ['private-only', 'always'] as const;
export type ProviderKeysReportWhere = (typeof PROVIDER_KEYS_REPORT)[number];

/** The `config` input's default in action.yml: a missing file there just means "no config". */
export const DEFAULT_CONFIG_INPUT = '.github/key-hygiene.yml';

export interface Inputs {
  githubToken: string;
  /** Empty when not given: the rotation audit is then skipped. */
  secretsToken: string;
  config: { path: string; explicit: boolean };
  failOn: FailOn;
  comment: CommentWhen;
  checkRun: boolean;
  scanCommits: boolean;
  /** Empty when no SARIF file is wanted. */
  sarifFile: string;
  maxSecretAgeDays: number;
  /** Audit the whole organization's secrets on scheduled runs (`audit-org`). */
  auditOrg: boolean;
  /** One slice of the organization's repositories, for a matrix of jobs. */
  shard?: Shard;
  /** Opt-in live verification of found keys with their providers. */
  verify: boolean;
  /** Show secret and repository names and ages in the job summary and tracking issue of a public repository. */
  discloseNames: boolean;
  /** Mention owners in the weekly tracking issue (`mention-owners`), where few enough people would be notified. */
  mentionOwners: boolean;
  /** The pull request to audit on `workflow_run` (the fork-safe pattern), when the payload does not name it. */
  pullRequest?: number;
  /** OpenAI organization admin key for the key inventory; empty when not given. Masked as soon as it is read. */
  openaiAdminKey: string;
  /** Anthropic Admin API key for the key inventory; empty when not given. Masked as soon as it is read. */
  anthropicAdminKey: string;
  providerKeysReport: ProviderKeysReportWhere;
  /** Revoke, at the provider, inventory keys found leaked in the change under review. */
  revokeLeaked: boolean;
}

/** An input value the action cannot use; the message names the input, the value and what is valid. */
export class InputError extends Error {
  constructor(name: string, value: string, valid: string) {
    super(`Input "${name}" has the invalid value "${escapeValue(value)}"; valid values: ${valid}.`);
    this.name = 'InputError';
  }
}

/** Reads one input by name; `core.getInput` in the action, a map lookup in tests. */
export type InputReader = (name: string) => string;

/**
 * Reads and validates every input at once, so a bad value fails the run before any API call.
 * Inputs are trimmed; an empty value means the input's default.
 */
export function getInputs(read: InputReader = (name) => core.getInput(name), mask: (secret: string) => void = (s) => core.setSecret(s)): Inputs {
  const get = (name: string): string => read(name).trim();
  // Masked before anything else can print them, including a validation error below.
  const openaiAdminKey = get('openai-admin-key');
  const anthropicAdminKey = get('anthropic-admin-key');
  for (const secret of [openaiAdminKey, anthropicAdminKey]) if (secret !== '') mask(secret);
  const githubToken = get('github-token');
  if (githubToken === '') {
    throw new Error('Input "github-token" is empty; leave it unset to use the workflow token (`${{ github.token }}`), or pass a token.');
  }
  const configInput = get('config');
  return {
    githubToken,
    secretsToken: get('secrets-token'),
    // The runner fills in action.yml's default, so "explicit" can only mean "differs from the default".
    config: { path: configInput === '' ? DEFAULT_CONFIG_INPUT : configInput, explicit: configInput !== '' && configInput !== DEFAULT_CONFIG_INPUT },
    failOn: failOn(get('fail-on')),
    comment: oneOf('comment', get('comment'), COMMENT_WHEN, 'on-findings'),
    checkRun: bool('check-run', get('check-run'), true),
    scanCommits: bool('scan-commits', get('scan-commits'), true),
    sarifFile: get('sarif-file'),
    maxSecretAgeDays: positiveInt('max-secret-age-days', get('max-secret-age-days'), 90),
    auditOrg: bool('audit-org', get('audit-org'), false),
    ...(get('shard') !== '' ? { shard: parseShard(get('shard')) } : {}),
    verify: bool('verify', get('verify'), false),
    discloseNames: bool('disclose-names', get('disclose-names'), false),
    mentionOwners: bool('mention-owners', get('mention-owners'), true),
    ...(get('pull-request') !== '' ? { pullRequest: pullNumber('pull-request', get('pull-request')) } : {}),
    openaiAdminKey,
    anthropicAdminKey,
    providerKeysReport: oneOf('provider-keys-report', get('provider-keys-report'), PROVIDER_KEYS_REPORT, 'private-only'),
    revokeLeaked: bool('revoke-leaked', get('revoke-leaked'), false),
  };
}

/**
 * `leaks` (the default) fails on leaked keys only: a plain-http API URL leaks nothing, so it is reported
 * and counted but fails the run only when `transport` is named (or `any`).
 */
function failOn(value: string): FailOn {
  const words = (value === '' ? 'leaks' : value).split(',').map((w) => w.trim());
  const valid = `${FAIL_ON.join(', ')}; or a comma-separated list of ${FAIL_REASONS.join(', ')}`;
  const known = (w: string): w is (typeof FAIL_ON)[number] => (FAIL_ON as readonly string[]).includes(w);
  if (!words.every(known) || (words.length > 1 && words.some((w) => w === 'any' || w === 'never'))) {
    throw new InputError('fail-on', value, valid);
  }
  const all = words.includes('any');
  const has = (w: FailReason): boolean => all || words.includes(w);
  return {
    leaks: has('leaks'),
    transport: has('transport'),
    overdueSecrets: has('overdue-secrets'),
    label: [...new Set(words)].join(', '),
  };
}

function oneOf<T extends string>(name: string, value: string, valid: readonly T[], fallback: T): T {
  if (value === '') return fallback;
  if ((valid as readonly string[]).includes(value)) return value as T;
  throw new InputError(name, value, valid.join(', '));
}

/** The YAML 1.2 core schema spellings, as `core.getBooleanInput` accepts them. */
function bool(name: string, value: string, fallback: boolean): boolean {
  if (value === '') return fallback;
  if (['true', 'True', 'TRUE'].includes(value)) return true;
  if (['false', 'False', 'FALSE'].includes(value)) return false;
  throw new InputError(name, value, 'true, false');
}

/** Days: a whole number from 1 to 3650 (ten years is already no rotation at all). */
function positiveInt(name: string, value: string, fallback: number): number {
  if (value === '') return fallback;
  const n = /^\d+$/.test(value) ? Number(value) : NaN;
  if (!Number.isSafeInteger(n) || n < 1 || n > 3650) throw new InputError(name, value, 'a whole number of days from 1 to 3650');
  return n;
}

function pullNumber(name: string, value: string): number {
  const n = /^#?\d{1,9}$/.test(value) ? Number(value.replace('#', '')) : NaN;
  if (!Number.isSafeInteger(n) || n < 1) throw new InputError(name, value, 'a pull request number such as 42');
  return n;
}

/** Keeps a bad value from spanning lines or running on: it is echoed into the log. */
function escapeValue(value: string): string {
  const oneLine = value.replace(/[\r\n]+/g, ' ');
  return oneLine.length > 100 ? `${oneLine.slice(0, 100)}…` : oneLine;
}
