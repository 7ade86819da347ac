/**
 * Every workflow in the README must run as written: it has its triggers and its permissions, the
 * action's inputs exist in action.yml, each step has the permissions it needs, and every `matrix.x`
 * and `steps.id` it uses is defined.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
const action = parse(readFileSync(new URL('../action.yml', import.meta.url), 'utf8')) as { inputs: Record<string, unknown> };

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

/** Every fenced YAML block of the README that is a workflow (has `jobs:`), with its heading for messages. */
function workflows(): Array<{ title: string; workflow: Workflow }> {
  const found: Array<{ title: string; workflow: Workflow }> = [];
  let heading = '';
  const lines = readme.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    if (line.startsWith('#')) heading = line.replace(/^#+\s*/, '');
    if (line.trim() !== '```yaml') continue;
    const body: string[] = [];
    for (i++; i < lines.length && (lines[i] ?? '').trim() !== '```'; i++) body.push(lines[i] ?? '');
    const parsed = parse(body.join('\n')) as unknown;
    if (typeof parsed === 'object' && parsed !== null && 'jobs' in parsed) found.push({ title: `${heading} (line ${i - body.length})`, workflow: parsed as Workflow });
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
  if (uses.startsWith('key-hygiene/key-hygiene@')) {
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

describe('README workflows', () => {
  const all = workflows();

  it('are found', () => {
    expect(all.length).toBeGreaterThanOrEqual(5);
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
            if (!(step.uses ?? '').startsWith('key-hygiene/key-hygiene@')) continue;
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
