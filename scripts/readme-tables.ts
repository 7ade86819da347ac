/**
 * Keeps the README's reference tables true: the inputs and outputs tables come from action.yml and the
 * rule table from the catalogue. `--write` rewrites the README between the markers; the README test
 * calls `expectedReadme` and fails when the committed README differs.
 *
 *   node --import ./scripts/register-ts.mjs scripts/readme-tables.ts --write
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { BUILTIN_RULES } from '../src/rules/index.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

interface ActionYml {
  inputs: Record<string, { description: string; default?: string; required?: boolean }>;
  outputs: Record<string, { description: string }>;
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\s+/g, ' ').trim();
}

export function inputsTable(action: ActionYml): string {
  const rows = Object.entries(action.inputs).map(([name, i]) => {
    const def = i.default === undefined || i.default === '' ? '(empty)' : `\`${i.default}\``;
    return `| \`${name}\` | ${def} | ${cell(i.description)} |`;
  });
  return ['| Input | Default | Description |', '| --- | --- | --- |', ...rows].join('\n');
}

export function outputsTable(action: ActionYml): string {
  const rows = Object.entries(action.outputs).map(([name, o]) => `| \`${name}\` | ${cell(o.description)} |`);
  return ['| Output | Description |', '| --- | --- |', ...rows].join('\n');
}

export function rulesTable(): string {
  const rows = [...BUILTIN_RULES]
    .sort((a, b) => a.provider.localeCompare(b.provider) || a.id.localeCompare(b.id))
    .map((r) => {
      const checks = [r.validate !== undefined ? 'checksum/structure' : '', r.generic === true ? 'generic, entropy' : r.minEntropy !== undefined ? 'entropy' : '']
        .filter((c) => c !== '')
        .join(', ');
      return `| ${cell(r.provider)} | \`${r.id}\` | ${cell(r.title)} | ${r.severity} | ${checks === '' ? '—' : checks} |`;
    });
  return [`${BUILTIN_RULES.length} built-in rules.`, '', '| Provider | Rule id | Detects | Severity | Offline check |', '| --- | --- | --- | --- | --- |', ...rows].join('\n');
}

function replaceBetween(text: string, name: string, body: string): string {
  const start = `<!-- ${name}:start -->`;
  const end = `<!-- ${name}:end -->`;
  const i = text.indexOf(start);
  const j = text.indexOf(end);
  if (i === -1 || j < i) throw new Error(`README.md has no ${start} ... ${end} markers`);
  return `${text.slice(0, i + start.length)}\n${body}\n${text.slice(j)}`;
}

/** The README as it should be: the committed one with every generated table refreshed. */
export function expectedReadme(readme: string): string {
  const action = parse(readFileSync(`${ROOT}/action.yml`, 'utf8')) as ActionYml;
  let out = replaceBetween(readme, 'inputs', inputsTable(action));
  out = replaceBetween(out, 'outputs', outputsTable(action));
  out = replaceBetween(out, 'rules', rulesTable());
  return out;
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  const path = `${ROOT}/README.md`;
  const current = readFileSync(path, 'utf8');
  const next = expectedReadme(current);
  if (process.argv.includes('--write')) {
    writeFileSync(path, next);
    console.log(next === current ? 'README tables already up to date.' : 'README tables rewritten.');
  } else if (next !== current) {
    console.error('README tables are out of date: run `node --import ./scripts/register-ts.mjs scripts/readme-tables.ts --write`.');
    process.exit(1);
  }
}
