/**
 * Every workflow must run as written: the ones in the README, docs/*.md and CONTRIBUTING.md that users
 * copy, and the repository's own under .github/workflows. Each parses, has its triggers and its
 * permissions, passes the action only inputs that action.yml declares, grants each step the permissions
 * it needs, defines every `matrix.x` and `steps.id` it uses, and calls the current major version of the
 * actions it names.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const ROOT = new URL('../', import.meta.url);
const action = parse(readFileSync(new URL('action.yml', ROOT), 'utf8')) as { inputs: Record<string, unknown> };

/** The Markdown files whose YAML blocks users copy. */
const DOCUMENTS = [
  'README.md',
  'CONTRIBUTING.md',
  ...(existsSync(new URL('docs/', ROOT)) ? readdirSync(new URL('docs/', ROOT)).filter((f) => f.endsWith('.md')).sort().map((f) => `docs/${f}`) : []),
].filter((f) => existsSync(new URL(f, ROOT)));

/** The repository's own workflows. */
const WORKFLOW_FILES = readdirSync(new URL('.github/workflows/', ROOT))
  .filter((f) => /\.ya?ml$/.test(f))
  .sort()
  .map((f) => `.github/workflows/${f}`);

/**
 * The current major version of each action the examples and workflows call (looked up 2026-12-06 on each
 * action's releases). A new major is a deliberate update of this table and of every example.
 */
const CURRENT: Record<string, string> = {
  'actions/checkout': 'v6',
  'actions/setup-node': 'v6',
  'actions/upload-artifact': 'v7',
  'actions/download-artifact': 'v8',
  'github/codeql-action/upload-sarif': 'v4',
};

/** A step that runs this action: from the Marketplace name, or from the checkout itself. */
function isThisAction(uses: string | undefined): boolean {
  return uses === './' || (uses ?? '').startsWith('key-hygiene/key-hygiene@');
}

interface Step {
  id?: string;
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
}
interface Job {
  permissions?: Permissions;
  strategy?: { matrix?: Record<string, unknown> };
  steps: Step[];
}
type Permissions = Record<string, 'read' | 'write' | 'none'> | 'read-all' | 'write-all';
interface Workflow {
  name?: string;
  on: unknown;
  permissions?: Permissions;
  jobs: Record<string, Job>;
}

/** Every fenced YAML block of a Markdown file, with its heading and line for messages. */
function yamlBlocks(file: string): Array<{ title: string; text: string }> {
  const blocks: Array<{ title: string; text: string }> = [];
  let heading = '';
  const lines = readFileSync(new URL(file, ROOT), 'utf8').split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    if (line.startsWith('#')) heading = line.replace(/^#+\s*/, '');
    if (line.trim() !== '```yaml') continue;
    const body: string[] = [];
    for (i++; i < lines.length && (lines[i] ?? '').trim() !== '```'; i++) body.push(lines[i] ?? '');
    blocks.push({ title: `${file}: ${heading} (line ${i - body.length})`, text: body.join('\n') });
  }
  return blocks;
}

/** Every workflow: the repository's own files, and each YAML block of the documents that has `jobs:`. */
function workflows(): Array<{ title: string; workflow: Workflow }> {
  const found = WORKFLOW_FILES.map((file) => ({ title: file, workflow: parse(readFileSync(new URL(file, ROOT), 'utf8')) as Workflow }));
  for (const file of DOCUMENTS) {
    for (const { title, text } of yamlBlocks(file)) {
      const parsed = parse(text) as unknown;
      if (typeof parsed === 'object' && parsed !== null && 'jobs' in parsed) found.push({ title, workflow: parsed as Workflow });
    }
  }
  return found;
}

function events(on: unknown): string[] {
  if (typeof on === 'string') return [on];
  if (Array.isArray(on)) return on.map(String);
  return Object.keys(on as Record<string, unknown>);
}

const LEVEL = { none: 0, read: 1, write: 2 } as const;

/** What each step needs from the job's `permissions:`. */
function needs(step: Step, on: string[]): Record<string, 'read' | 'write'> {
  const uses = step.uses ?? '';
  if (isThisAction(uses)) {
    const w = step.with ?? {};
    const need: Record<string, 'read' | 'write'> = { contents: 'read' };
    const onPull = on.some((e) => ['pull_request', 'pull_request_target', 'workflow_run'].includes(e));
    if (onPull && w['comment'] !== 'never') need['pull-requests'] = 'write';
    if (w['check-run'] !== false && w['check-run'] !== 'false' && on.some((e) => ['pull_request', 'pull_request_target', 'workflow_run', 'push', 'merge_group'].includes(e))) {
      need['checks'] = 'write';
    }
    if (on.some((e) => e === 'schedule' || e === 'workflow_dispatch')) need['issues'] = 'write';
    return need;
  }
  // GitHub's docs for upload-sarif: security-events: write always, actions: read in private repositories.
  if (uses.startsWith('github/codeql-action/upload-sarif@')) return { 'security-events': 'write', actions: 'read' };
  if (uses.startsWith('actions/checkout@')) return { contents: 'read' };
  // Downloading another run's artifact reads that run through the API.
  if (uses.startsWith('actions/download-artifact@') && step.with?.['run-id'] !== undefined) return { actions: 'read' };
  return {};
}

function granted(permissions: Permissions | undefined, scope: string): number {
  if (permissions === undefined) return -1;
  if (permissions === 'write-all') return LEVEL.write;
  if (permissions === 'read-all') return LEVEL.read;
  return LEVEL[permissions[scope] ?? 'none'];
}

describe('workflows', () => {
  const all = workflows();

  it('are found: the repository\'s own, and the documented ones', () => {
    expect(WORKFLOW_FILES).toEqual(expect.arrayContaining(['.github/workflows/ci.yml', '.github/workflows/key-hygiene.yml', '.github/workflows/release.yml']));
    expect(all.length - WORKFLOW_FILES.length).toBeGreaterThanOrEqual(5);
  });

  it('every YAML block of the documents parses', () => {
    for (const file of DOCUMENTS) {
      for (const { title, text } of yamlBlocks(file)) expect(() => parse(text), title).not.toThrow();
    }
  });

  it('the dogfood workflow runs this action from the checkout, on pull requests and on a schedule', () => {
    const dogfood = all.find((w) => w.title === '.github/workflows/key-hygiene.yml')?.workflow;
    expect(events(dogfood?.on)).toEqual(expect.arrayContaining(['pull_request', 'schedule']));
    const steps = Object.values(dogfood?.jobs ?? {}).flatMap((j) => j.steps);
    expect(steps.map((s) => s.uses)).toContain('./');
  });

  for (const { title, workflow } of all) {
    describe(title, () => {
      it('has triggers and permissions', () => {
        expect(events(workflow.on).length, 'on:').toBeGreaterThan(0);
        for (const [name, job] of Object.entries(workflow.jobs)) {
          expect(workflow.permissions ?? job.permissions, `permissions: of job ${name}`).toBeDefined();
        }
      });

      it('passes only inputs action.yml declares', () => {
        for (const job of Object.values(workflow.jobs)) {
          for (const step of job.steps) {
            if (!isThisAction(step.uses)) continue;
            for (const input of Object.keys(step.with ?? {})) expect(Object.keys(action.inputs), `input ${input}`).toContain(input);
          }
        }
      });

      it('grants each step the permissions it needs', () => {
        const on = events(workflow.on);
        for (const [name, job] of Object.entries(workflow.jobs)) {
          const permissions = job.permissions ?? workflow.permissions;
          for (const step of job.steps) {
            for (const [scope, level] of Object.entries(needs(step, on))) {
              expect(granted(permissions, scope), `job ${name}, step ${step.uses ?? step.run}: ${scope}: ${level}`).toBeGreaterThanOrEqual(LEVEL[level]);
            }
          }
        }
      });

      it('calls the current major version of the actions it names', () => {
        for (const job of Object.values(workflow.jobs)) {
          for (const step of job.steps) {
            const [name, ref] = (step.uses ?? '').split('@');
            if (name !== undefined && CURRENT[name] !== undefined) expect(`${name}@${ref}`).toBe(`${name}@${CURRENT[name]}`);
          }
        }
      });

      it('defines every matrix value and step output it uses', () => {
        for (const [name, job] of Object.entries(workflow.jobs)) {
          const ids = new Set<string>();
          for (const step of job.steps) {
            const text = JSON.stringify(step);
            for (const m of text.matchAll(/\bmatrix\.([\w-]+)/g)) expect(Object.keys(job.strategy?.matrix ?? {}), `job ${name}: matrix.${m[1]}`).toContain(m[1]);
            for (const m of text.matchAll(/\bsteps\.([\w-]+)\./g)) expect([...ids], `job ${name}: steps.${m[1]}`).toContain(m[1]);
            if (step.id !== undefined) ids.add(step.id);
          }
        }
      });
    });
  }
});
