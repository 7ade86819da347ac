import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/report/model.js';
import { renderJson } from '../../src/report/json.js';
import { renderMarkdown } from '../../src/report/markdown.js';
import { renderSarif } from '../../src/report/sarif.js';
import { renderText } from '../../src/report/text.js';
import { BUILTIN_RULES } from '../../src/rules/index.js';
import { Engine, secretOf } from '../../src/scan/engine.js';
import type { Finding, Rule } from '../../src/scan/types.js';
import { SYNTAXES } from '../helpers/syntaxes.js';
import { runCli, tempDir } from '../cli/helpers.js';
import { fcParams, plant, secretWindows, syntaxArb, windowSet, type Planted } from './arbitraries.js';

const engine = new Engine(BUILTIN_RULES);

/** Every rendering a user or a log can see, for one report. */
function renderAll(report: Report): Record<string, string> {
  return {
    json: renderJson(report),
    sarif: renderSarif(report, BUILTIN_RULES),
    'markdown comment': renderMarkdown(report, { surface: 'comment', marker: '<!-- key-hygiene -->' }),
    'markdown check': renderMarkdown(report, { surface: 'check' }),
    'markdown summary': renderMarkdown(report, { surface: 'summary' }),
    text: renderText(report, { color: false }),
    'text (colour)': renderText(report, { color: true }),
  };
}

function reportOf(findings: Finding[], bytes: number): Report {
  return { findings, stats: { files: 1, bytes, durationMs: 3 }, notes: [], target: { kind: 'local' } };
}

/**
 * What outputs print whatever was found: the SARIF rule table, titles and remediation links. A window of a
 * "secret" found there is public (the host names the insecure-URL rule reports), not a leak.
 */
const PUBLIC_TEXT = [
  ...Object.values(renderAll(reportOf([], 0))),
  ...BUILTIN_RULES.flatMap((r) => [r.id, r.title, r.provider, r.remediation.text, r.remediation.url]),
].join('\n');
const PUBLIC_WINDOWS = windowSet([PUBLIC_TEXT]);

/** An output, with its 8-character windows computed on first need (for secrets with many windows). */
class Output {
  private all: Set<string> | undefined;
  constructor(
    readonly surface: string,
    readonly text: string,
  ) {}

  /** The first of `windows` that occurs in this output. */
  find(windows: readonly string[]): string | undefined {
    // A few windows are fastest searched directly; a PEM block's thousands through a set of the output's.
    if (windows.length <= 64) return windows.find((w) => this.text.includes(w));
    this.all ??= windowSet([this.text]);
    return windows.find((w) => this.all?.has(w));
  }
}

function outputsOf(rendered: Record<string, string>): Output[] {
  return Object.entries(rendered).map(([surface, text]) => new Output(surface, text));
}

/**
 * Fails when an output holds the secret or any 8-character window of its random body. The message never
 * quotes the secret itself, so a failing test does not print it either.
 */
function expectRedacted(outputs: readonly Output[], planted: Planted, seed: number): void {
  const windows = secretWindows(planted.rule, planted.secret, seed, PUBLIC_WINDOWS);
  // A value the outputs print anyway (a public host name) is no secret to leak.
  const isPublic = PUBLIC_TEXT.includes(planted.secret);
  for (const out of outputs) {
    if (!isPublic) expect(out.text.includes(planted.secret), `${out.surface} output contains the ${planted.rule.id} secret`).toBe(false);
    const leaked = out.find(windows);
    const at = leaked === undefined ? -1 : planted.secret.indexOf(leaked);
    expect(at, `${out.surface} output contains 8 characters of the ${planted.rule.id} secret's random body (at offset ${at})`).toBe(-1);
  }
}

/** Random text to put around a planted file: any characters, or text full of assignment syntax. */
const surrounding = fc.oneof(
  fc.string({ maxLength: 60 }),
  fc.string({ unit: 'binary', maxLength: 60 }),
  fc.array(fc.constantFrom('=', ':', '"', "'", '`', ' ', '\t', 'key', 'token', 'secret', '_', '-', '\\', '{', '}', '\n', 'x'), { maxLength: 30 }).map((a) => a.join('')),
);

/** One property run: plant, surround, scan, render everything, and check no output reveals the secret. */
function checkRule(rule: Rule, seed: number, syntax: (typeof SYNTAXES)[number], prefix: string, suffix: string, sameLine: boolean): void {
  const planted = plant(rule, seed, syntax);
  const text = sameLine ? `${prefix}${planted.text}${suffix}` : `${prefix}\n${planted.text}\n${suffix}`;
  const findings = engine.scan({ path: planted.path, text, source: 'file' });
  // On its own lines the planted key must be found, or the property would hold vacuously.
  if (!sameLine) expect(findings.some((f) => secretOf(f) === planted.secret), `${rule.id} key not found in ${syntax.label}`).toBe(true);
  for (const f of findings) expect(JSON.stringify(f).includes(planted.secret)).toBe(false);
  expectRedacted(outputsOf(renderAll(reportOf(findings, text.length))), planted, seed);
}

describe('no rendering reveals a secret of any rule, whatever surrounds it', () => {
  it.each(BUILTIN_RULES.map((r) => [r.id, r] as const))('%s', (_, rule) => {
    fc.assert(
      fc.property(fc.nat(), syntaxArb, surrounding, surrounding, fc.boolean(), (seed, syntax, prefix, suffix, sameLine) =>
        checkRule(rule, seed, syntax, prefix, suffix, sameLine),
      ),
      fcParams(6),
    );
  });

  it('previews show at most 6 leading characters of the key', () => {
    fc.assert(
      fc.property(fc.constantFrom(...BUILTIN_RULES), fc.nat(), syntaxArb, (rule, seed, syntax) => {
        const planted = plant(rule, seed, syntax);
        const found = engine.scan({ path: planted.path, text: planted.text, source: 'file' }).find((f) => secretOf(f) === planted.secret);
        expect(found, `${rule.id} key not found`).toBeDefined();
        const shown = (found as Finding).redacted.split('\u2026')[0] as string;
        expect(shown.length).toBeLessThanOrEqual(6);
        expect(planted.secret.startsWith(shown)).toBe(true);
        expect(found?.length).toBe(planted.secret.length);
      }),
      fcParams(200),
    );
  });
});

describe('the CLI never prints or writes a secret', () => {
  let dir: string;
  let cleanup: () => void;
  beforeAll(() => {
    ({ dir, cleanup } = tempDir());
  });
  afterAll(() => cleanup());

  /** One file per rule under `root/tree`, each key in a syntax drawn from the seed; returns what was planted. */
  function plantAll(root: string, seed: number): Planted[] {
    return BUILTIN_RULES.map((rule, i) => {
      const syntax = SYNTAXES[(seed + i) % SYNTAXES.length] as (typeof SYNTAXES)[number];
      const planted = plant(rule, (seed + i * 7919) >>> 0, syntax);
      const path = `tree/${rule.id}/${planted.path}`;
      const file = join(root, path);
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, `${planted.text}\n`);
      return { ...planted, path };
    });
  }

  /** A git-style diff that adds every planted file, for --diff. */
  function diffOf(planted: Planted[]): string {
    return planted
      .map((p) => {
        const lines = `${p.text}\n`.split('\n').slice(0, -1);
        return [`diff --git a/${p.path} b/${p.path}`, 'new file mode 100644', '--- /dev/null', `+++ b/${p.path}`, `@@ -0,0 +1,${lines.length} @@`, ...lines.map((l) => `+${l}`)].join('\n');
      })
      .join('\n');
  }

  it('in every format, on stdout, stderr and --output, scanning files and a diff', async () => {
    await fc.assert(
      fc.asyncProperty(fc.nat(), async (seed) => {
        const root = join(dir, `run-${seed}`);
        const planted = plantAll(root, seed);
        writeFileSync(join(root, 'change.diff'), diffOf(planted));
        // A diff whose first hunk claims one line too few: the refusal on stderr must not quote the line.
        writeFileSync(join(root, 'broken.diff'), diffOf(planted).replace(/@@ -0,0 \+1,(\d+) @@/, (_, n: string) => `@@ -0,0 +1,${Number(n) - 1} @@`));

        const outputs: Record<string, string> = {};
        for (const format of ['text', 'json', 'sarif', 'markdown']) {
          const scan = await runCli(['scan', 'tree', '--format', format], { cwd: root, tty: true });
          expect(scan.code, scan.stderr).toBe(1);
          outputs[`scan ${format} stdout`] = scan.stdout;
          outputs[`scan ${format} stderr`] = scan.stderr;
          const out = join(root, `out.${format}`);
          const toFile = await runCli(['scan', 'tree', '--format', format, '--output', out], { cwd: root });
          outputs[`scan ${format} --output`] = readFileSync(out, 'utf8');
          outputs[`scan ${format} --output stdout+stderr`] = toFile.stdout + toFile.stderr;
          const diff = await runCli(['scan', '--diff', 'change.diff', '--format', format], { cwd: root });
          expect(diff.code, diff.stderr).toBe(1);
          outputs[`diff ${format}`] = diff.stdout + diff.stderr;
        }
        const broken = await runCli(['scan', '--diff', 'broken.diff'], { cwd: root });
        expect(broken.code).toBe(2);
        outputs['broken diff'] = broken.stdout + broken.stderr;

        // Every rule's key was reported, so the check below covers every format of key.
        const json = JSON.parse(outputs['scan json --output'] as string) as { findings: Array<{ ruleId: string; file: string }> };
        for (const p of planted) expect(json.findings.some((f) => f.ruleId === p.rule.id && f.file === p.path), `${p.rule.id} not reported`).toBe(true);
        const views = outputsOf(outputs);
        planted.forEach((p, i) => expectRedacted(views, p, seedOfPlant(seed, i)));
      }),
      // One run: each scans a file per rule thirteen times; the per-rule property above varies the text.
      { ...fcParams(1), endOnFailure: true },
    );
  });
});

function seedOfPlant(seed: number, i: number): number {
  return (seed + i * 7919) >>> 0;
}
