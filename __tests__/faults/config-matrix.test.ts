/**
 * Broken configuration files and action inputs, end to end: each must stop the CLI with exit status 2
 * and the action with a failed run, with one line that names the file (or input), the field and what
 * was expected. The config is tried where each entry point reads it: the CLI's `--config`, the action's
 * workspace on a push, and the pull request's base commit through the API.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_CONFIG_BYTES } from '../../src/config/types.js';
import { startFakeGitHub, type FakeGitHub } from '../fake-github/server.js';
import { fakeSha } from '../fake-github/state.js';
import { loadWebhookPayload, runAction, type RunActionResult } from '../helpers/run-action.js';
import { runCli } from '../cli/helpers.js';
import { BASE, FULL, HEAD, OWNER, PR, REPO } from '../action/scenario.js';
import { pool } from './matrix.js';

const CONFIG = '.github/key-hygiene.yml';
/** A fictional provider prefix, so that no pattern here looks like a real key format. */
const ACME = ['ac', 'me', '_'].join('');

/** `text` is the file's content; `directory` puts a directory at the path instead (an unreadable file). */
interface BadConfig {
  name: string;
  text?: string;
  directory?: boolean;
  /** The field the message must name (absent when the whole file is at fault). */
  field?: string;
  /** What the message must say was expected. */
  expected: RegExp;
}

/** A "billion laughs" document: ten aliases of ten aliases of ... would expand to 10^6 strings. */
const YAML_BOMB = [
  'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol","lol"]',
  'b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]',
  'c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]',
  'd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]',
  'e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d,*d]',
  'paths:',
  '  ignore: *e',
  '',
].join('\n');

const BAD_CONFIGS: readonly BadConfig[] = [
  { name: 'an unknown top-level key', text: 'version: 1\nrule:\n  disable: []\n', field: 'rule', expected: /expected only the keys/ },
  { name: 'an unknown nested key', text: 'paths:\n  ignored: []\n', field: 'paths', expected: /expected only the keys/ },
  { name: 'a string where a list is expected', text: 'rules:\n  disable: generic-credential\n', field: 'rules.disable', expected: /expected a list/ },
  { name: 'a number where a mapping is expected', text: 'rotation: 30\n', field: 'rotation', expected: /expected a mapping/ },
  { name: 'an unsupported version', text: 'version: 2\n', field: 'version', expected: /expected 1/ },
  { name: 'an invalid allow regex', text: "allow:\n  values: ['^test_(']\n", field: 'allow.values[0]', expected: /expected a regular expression in RE2 syntax .*missing closing \)/ },
  { name: 'an allow regex with a backreference', text: "allow:\n  values: ['^(a)\\1$']\n", field: 'allow.values[0]', expected: /expected a regular expression in RE2 syntax .*invalid escape sequence/ },
  {
    name: 'a custom pattern with a lookahead RE2 cannot run',
    text: `rules:\n  custom:\n    - id: acme\n      keywords: [${ACME}]\n      pattern: '${ACME}(?=x)[a-z]{8}'\n`,
    field: 'rules.custom[0].pattern',
    expected: /expected a regular expression in RE2 syntax .*unsupported Perl syntax/,
  },
  {
    name: 'a custom pattern with a repeat count over 1000',
    text: `rules:\n  custom:\n    - id: acme\n      keywords: [${ACME}]\n      pattern: '${ACME}[a-z]{1,2000}'\n`,
    field: 'rules.custom[0].pattern',
    expected: /expected a regular expression in RE2 syntax .*invalid repeat count/,
  },
  { name: 'an unbalanced glob', text: 'paths:\n  ignore: ["src/[abc"]\n', field: 'paths.ignore[0]', expected: /expected a valid glob/ },
  { name: 'an absolute glob', text: 'paths:\n  ignore: ["/src/**"]\n', field: 'paths.ignore[0]', expected: /expected a repository-relative glob/ },
  { name: 'a negative age', text: 'rotation:\n  max-age-days: -30\n', field: 'rotation.max-age-days', expected: /expected a whole number of days/ },
  { name: 'a negative per-scope age', text: 'rotation:\n  scopes:\n    actions: -1\n', field: 'rotation.scopes.actions', expected: /expected a whole number of days/ },
  { name: 'a YAML syntax error', text: 'paths:\n  ignore: [a, b\nrules: {}\n', expected: /expected valid YAML/ },
  { name: 'a YAML alias bomb', text: YAML_BOMB, expected: /alias/i },
  { name: 'an unreadable file (a directory at the path)', directory: true, expected: /expected a (regular|readable) file/ },
  { name: 'a file over 1 MiB', text: `# ${'x'.repeat(MAX_CONFIG_BYTES)}\nversion: 1\n`, expected: /expected at most|expected a file of at most|1 MiB|1048576/i },
];

/** Inputs the action refuses before any API call: [input, value, what the message must list]. */
const BAD_INPUTS: ReadonlyArray<[string, string, RegExp]> = [
  ['shard', 'three of four', /shard/],
  ['shard', '5/4', /shard/],
  ['fail-on', 'sometimes', /leaks, transport, overdue-secrets, any, never/],
  ['max-secret-age-days', '-5', /whole number of days/],
  ['max-secret-age-days', '90 days', /whole number of days/],
  ['check-run', 'yes', /true, false/],
];

/** Exactly one line, naming the file, the field and what was expected. */
function checkLine(line: string | undefined, bad: BadConfig, label: string): void {
  expect(line, `${label}: a message`).toBeDefined();
  const text = line ?? '';
  expect(text, `${label}: one line`).not.toMatch(/\n./);
  expect(text, `${label}: names the file`).toContain(CONFIG);
  if (bad.field !== undefined) expect(text, `${label}: names the field`).toContain(bad.field);
  expect(text, `${label}: says what was expected`).toMatch(bad.expected);
  expect(text, `${label}: no stack trace`).not.toMatch(/\n\s+at /);
}

async function placeConfig(root: string, bad: BadConfig): Promise<string> {
  const path = join(root, CONFIG);
  await mkdir(dirname(path), { recursive: true });
  if (bad.directory === true) await mkdir(path, { recursive: true });
  else await writeFile(path, bad.text ?? '');
  return path;
}

let temp: string;
beforeAll(async () => {
  temp = await mkdtemp(join(tmpdir(), 'kh-config-matrix-'));
});
afterAll(async () => {
  await rm(temp, { recursive: true, force: true });
});

describe(`${BAD_CONFIGS.length} broken config files`, () => {
  it.each(BAD_CONFIGS.map((b) => [b.name, b] as const))('CLI: %s → exit 2 and one line on stderr', async (name, bad) => {
    const root = await mkdtemp(join(temp, 'cli-'));
    await writeFile(join(root, 'app.ts'), 'export const answer = 42;\n');
    const file = await placeConfig(root, bad);
    const run = await runCli(['scan', '--config', file, root], { cwd: root });
    expect(run.code, `${name}: exit status`).toBe(2);
    const lines = run.stderr.split('\n').filter((l) => l.trim() !== '');
    expect(lines, `${name}: stderr is one line:\n${run.stderr}`).toHaveLength(1);
    checkLine(lines[0], bad, name);
    expect(run.stdout).toBe('');
  });

  it('action: each fails the run with one ::error:: line, from the workspace (push) and from the base commit (pull request)', async () => {
    const api = await startFakeGitHub({ repos: [{ owner: OWNER, name: REPO }] });
    try {
      const cases = BAD_CONFIGS.flatMap((bad) => [
        { bad, where: 'workspace' as const },
        // A directory cannot be committed as the config file's content; the API case needs a file.
        ...(bad.directory === true ? [] : [{ bad, where: 'base commit' as const }]),
      ]);
      const results = await pool(cases, 8, async ({ bad, where }) => ({ bad, where, run: await runWith(api, bad, where) }));
      for (const { bad, where, run } of results) {
        const label = `${bad.name} (${where})`;
        expect(run.code, `${label}: exit status\n${run.stdout}\n${run.stderr}`).toBe(1);
        const errors = run.commands.filter((c) => c.command === 'error');
        expect(errors, `${label}: one ::error:: line`).toHaveLength(1);
        checkLine(errors[0]?.message, bad, label);
        expect(run.stderr, `${label}: nothing on stderr`).toBe('');
        // Nothing was scanned or published with a config the user did not mean.
        expect(run.requests.filter((r) => r.method !== 'GET'), `${label}: no writes`).toHaveLength(0);
      }
      expect(results).toHaveLength(2 * BAD_CONFIGS.length - 1);
    } finally {
      await api.close();
    }
  }, 120_000);
});

/** Runs the action on a push (config in the workspace) or a pull request (config at the base commit). */
async function runWith(api: FakeGitHub, bad: BadConfig, where: 'workspace' | 'base commit'): Promise<RunActionResult> {
  const dir = await mkdtemp(join(temp, 'action-'));
  const workspace = join(dir, 'workspace');
  await mkdir(workspace, { recursive: true });
  if (where === 'workspace') {
    await placeConfig(workspace, bad);
    const after = fakeSha(`push:${bad.name}`);
    const payload = loadWebhookPayload('push', { repository: FULL, after, before: fakeSha(`before:${bad.name}`) });
    return runAction({ api, eventName: 'push', payload, workspace, env: { RUNNER_TEMP: join(dir, 'runner-temp') } });
  }
  // Each case gets its own pull request and base commit, so the runs can share one fake.
  const number = 100 + BAD_CONFIGS.indexOf(bad);
  const base = fakeSha(`base:${bad.name}`);
  const repo = api.state.repos.get(FULL);
  if (repo === undefined) throw new Error('no repository');
  repo.snapshots.set(base, { sha: base, files: { [CONFIG]: bad.text ?? '' } });
  repo.pulls.set(number, { number, head: { sha: HEAD, ref: `feature-${number}` }, base: { sha: base, ref: 'main' }, files: [], commits: [] });
  const payload = loadWebhookPayload('pull_request.synchronize', { repository: FULL, number, headSha: HEAD, baseSha: base });
  return runAction({ api, eventName: 'pull_request', payload, workspace, env: { RUNNER_TEMP: join(dir, 'runner-temp') } });
}

describe(`${BAD_INPUTS.length} bad action inputs`, () => {
  it('each fails the run before any API call, naming the input, the value and the valid values', async () => {
    const api = await startFakeGitHub({ repos: [{ owner: OWNER, name: REPO }] });
    try {
      const payload = loadWebhookPayload('pull_request.synchronize', { repository: FULL, number: PR, headSha: HEAD, baseSha: BASE });
      const results = await pool(BAD_INPUTS, 6, async ([input, value, valid]) => ({ input, value, valid, run: await runAction({ api, eventName: 'pull_request', payload, inputs: { [input]: value } }) }));
      for (const { input, value, valid, run } of results) {
        const label = `${input}: ${value}`;
        expect(run.code, label).toBe(1);
        const errors = run.commands.filter((c) => c.command === 'error');
        expect(errors, `${label}: one ::error:: line`).toHaveLength(1);
        const message = errors[0]?.message ?? '';
        expect(message, label).toContain(`"${input}"`);
        expect(message, label).toContain(value);
        expect(message, label).toMatch(valid);
        expect(run.requests, `${label}: no API call`).toHaveLength(0);
      }
    } finally {
      await api.close();
    }
  }, 60_000);
});
