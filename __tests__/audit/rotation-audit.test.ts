import { afterEach, describe, expect, it } from 'vitest';
import { SKIPPED_REASON, auditRepositorySecrets, type RotationAuditOptions } from '../../src/action/rotation-audit.js';
import { LISTINGS } from '../../src/github/secrets.js';
import { renderJson } from '../../src/report/json.js';
import { BUILTIN_RULES } from '../../src/rules/index.js';
import { renderMarkdown } from '../../src/report/markdown.js';
import type { Report } from '../../src/report/model.js';
import { secretOf } from '../../src/scan/engine.js';
import type { FaultSpec } from '../fake-github/index.js';
import { seededGen } from '../helpers/sample-gen.js';
import { NOW, POLICY, clientFor, daysAgo, engine, fake, githubKey, stopAll } from './setup.js';

afterEach(stopAll);

const REPO = { owner: 'acme', repo: 'app' };
const OPTIONS: RotationAuditOptions = { policy: POLICY, now: NOW, engine, codespaces: false };

function byName<T extends { name: string }>(items: readonly T[]): Record<string, T> {
  return Object.fromEntries(items.map((i) => [i.name, i]));
}

describe('secret ages, end to end through the API', () => {
  it('judges the 90-day boundary, the due-soon window and never-rotated secrets by UTC calendar day', async () => {
    const gh = await fake({
      repos: [
        {
          owner: 'acme',
          name: 'app',
          secrets: {
            actions: [
              { name: 'EXACTLY_90', created_at: daysAgo(400), updated_at: daysAgo(90) },
              { name: 'DAYS_91', created_at: daysAgo(400), updated_at: daysAgo(91) },
              // 89.4 days by the clock, but updated on the UTC day 90 days back: due today, like EXACTLY_90.
              { name: 'LATE_ON_DAY_90', created_at: daysAgo(400), updated_at: '2026-08-30T23:59:59Z' },
              { name: 'WINDOW_OPENS', created_at: daysAgo(400), updated_at: daysAgo(76) },
              { name: 'BEFORE_WINDOW', created_at: daysAgo(400), updated_at: daysAgo(75) },
              { name: 'NEVER_ROTATED', created_at: daysAgo(200), updated_at: daysAgo(200) },
              { name: 'FRESH', created_at: daysAgo(5), updated_at: daysAgo(5) },
            ],
            dependabot: [{ name: 'NPM_TOKEN', created_at: daysAgo(120), updated_at: daysAgo(120) }],
          },
        },
      ],
    });
    const { report, readAnything } = await auditRepositorySecrets(clientFor(gh).client, REPO, OPTIONS);
    expect(report).toMatchObject({ status: 'audited', problems: [] });
    expect(readAnything).toBe(true);
    const e = byName(report.entries);
    expect(e['EXACTLY_90']).toMatchObject({ status: 'due-soon', ageDays: 90, dueDate: '2026-11-28', maxAgeDays: 90, neverRotated: false });
    expect(e['LATE_ON_DAY_90']).toMatchObject({ status: 'due-soon', ageDays: 90, dueDate: '2026-11-28' });
    expect(e['DAYS_91']).toMatchObject({ status: 'overdue', ageDays: 91, dueDate: '2026-11-27' });
    expect(e['WINDOW_OPENS']).toMatchObject({ status: 'due-soon', ageDays: 76, dueDate: '2026-12-12' });
    expect(e['BEFORE_WINDOW']).toMatchObject({ status: 'ok', ageDays: 75 });
    expect(e['NEVER_ROTATED']).toMatchObject({ status: 'overdue', ageDays: 200, neverRotated: true });
    expect(e['FRESH']).toMatchObject({ status: 'ok', ageDays: 5, neverRotated: true });
    expect(e['NPM_TOKEN']).toMatchObject({ scope: 'dependabot', status: 'overdue' });
    // Most urgent first: overdue (oldest first), then due soon, then ok.
    expect(report.entries.map((x) => x.status)).toEqual(['overdue', 'overdue', 'overdue', 'due-soon', 'due-soon', 'due-soon', 'ok', 'ok']);
    expect(report.entries[0]?.name).toBe('NEVER_ROTATED');
  });
});

describe('pagination', () => {
  it('audits all 250 secrets over three pages of 100, and reads variables 30 at a time', async () => {
    const gh = await fake({
      repos: [
        {
          owner: 'acme',
          name: 'app',
          secrets: { actions: Array.from({ length: 250 }, (_, i) => ({ name: `SECRET_${String(i).padStart(3, '0')}`, updated_at: daysAgo(i) })) },
          variables: Array.from({ length: 65 }, (_, i) => ({ name: `VAR_${i}`, value: `value-${i}` })),
        },
      ],
    });
    const { report, variableFindings } = await auditRepositorySecrets(clientFor(gh).client, REPO, OPTIONS);
    expect(report.status).toBe('audited');
    expect(new Set(report.entries.map((e) => e.name)).size).toBe(250);
    // Ages 0..249: 91..249 are overdue, 76..90 due soon.
    expect(report.entries.filter((e) => e.status === 'overdue')).toHaveLength(159);
    expect(report.entries.filter((e) => e.status === 'due-soon')).toHaveLength(15);
    const secretPages = gh.requests.filter((r) => r.path === '/repos/acme/app/actions/secrets');
    expect(secretPages.map((r) => [r.query['per_page'], r.query['page'] ?? '1'])).toEqual([
      ['100', '1'],
      ['100', '2'],
      ['100', '3'],
    ]);
    const variablePages = gh.requests.filter((r) => r.path === '/repos/acme/app/actions/variables');
    expect(variablePages.map((r) => r.query['per_page'])).toEqual(['30', '30', '30']);
    expect(variableFindings).toEqual([]);
  });
});

describe('environments', () => {
  it('audits the secrets and variables of every environment, naming the environment', async () => {
    const key = githubKey();
    const envs = ['production', 'staging', 'preview'];
    const gh = await fake({
      repos: [
        {
          owner: 'acme',
          name: 'app',
          environments: envs.map((name, i) => ({
            name,
            secrets: [
              { name: 'DB_PASSWORD', created_at: daysAgo(300), updated_at: daysAgo(30 * (i + 2)) },
              { name: `${name.toUpperCase()}_ONLY`, updated_at: daysAgo(1) },
            ],
            variables: [
              { name: 'REGION', value: 'eu-west-1' },
              ...(name === 'staging' ? [{ name: 'DEPLOY_TOKEN', value: key }] : []),
            ],
          })),
        },
      ],
    });
    const { report, variableFindings } = await auditRepositorySecrets(clientFor(gh).client, REPO, OPTIONS);
    expect(report.status).toBe('audited');
    const summary = report.entries.map((e) => `${e.scope}:${e.environment}:${e.name}:${e.status}`).sort();
    // DB_PASSWORD is 60, 90 and 120 days old in production, staging and preview.
    expect(summary).toEqual([
      'environment:preview:DB_PASSWORD:overdue',
      'environment:preview:PREVIEW_ONLY:ok',
      'environment:production:DB_PASSWORD:ok',
      'environment:production:PRODUCTION_ONLY:ok',
      'environment:staging:DB_PASSWORD:due-soon',
      'environment:staging:STAGING_ONLY:ok',
    ]);
    expect(variableFindings.map((f) => `${f.source}:${f.file}:${f.ruleId}`)).toEqual([`variable:environments/staging/variables/DEPLOY_TOKEN:github-pat`]);
  });
});

/** Every listing the repository audit makes, with the path the fake sees and the label the problem line uses. */
const LISTING_CASES: Array<{ listing: keyof typeof LISTINGS; path: string; label: RegExp; lost: string[] }> = [
  { listing: 'actions', path: '/repos/acme/app/actions/secrets', label: /repository secrets/, lost: ['REPO_SECRET'] },
  { listing: 'organizationShared', path: '/repos/acme/app/actions/organization-secrets', label: /organization secrets shared with the repository/, lost: ['ORG_WIDE'] },
  { listing: 'dependabot', path: '/repos/acme/app/dependabot/secrets', label: /Dependabot secrets/, lost: ['NPM_TOKEN'] },
  { listing: 'codespaces', path: '/repos/acme/app/codespaces/secrets', label: /Codespaces secrets/, lost: ['CS_TOKEN'] },
  { listing: 'variables', path: '/repos/acme/app/actions/variables', label: /repository variables/, lost: [] },
  { listing: 'environments', path: '/repos/acme/app/environments', label: /environments/, lost: ['PROD_KEY'] },
  { listing: 'environmentSecrets', path: '/repos/acme/app/environments/production/secrets', label: /secrets of environment "production"/, lost: ['PROD_KEY'] },
  { listing: 'environmentVariables', path: '/repos/acme/app/environments/production/variables', label: /variables of environment "production"/, lost: [] },
];

const ALL_SECRETS = ['REPO_SECRET', 'ORG_WIDE', 'NPM_TOKEN', 'CS_TOKEN', 'PROD_KEY'];

async function everyListingRepo() {
  return fake({
    orgs: [{ login: 'acme', secrets: { actions: [{ name: 'ORG_WIDE', updated_at: daysAgo(10) }] } }],
    repos: [
      {
        owner: 'acme',
        name: 'app',
        secrets: {
          actions: [{ name: 'REPO_SECRET', updated_at: daysAgo(10) }],
          dependabot: [{ name: 'NPM_TOKEN', updated_at: daysAgo(10) }],
          codespaces: [{ name: 'CS_TOKEN', updated_at: daysAgo(10) }],
        },
        variables: [{ name: 'PLAIN', value: 'x' }],
        environments: [{ name: 'production', secrets: [{ name: 'PROD_KEY', updated_at: daysAgo(10) }], variables: [{ name: 'URL', value: 'https://example.invalid' }] }],
      },
    ],
  });
}

describe('listings the token cannot read', () => {
  it('reads every listing when nothing fails', async () => {
    const gh = await everyListingRepo();
    const { report } = await auditRepositorySecrets(clientFor(gh).client, REPO, { ...OPTIONS, codespaces: true });
    expect(report.status).toBe('audited');
    expect(report.entries.map((e) => e.name).sort()).toEqual([...ALL_SECRETS].sort());
    // One request per listing, every listing in LISTING_CASES made.
    for (const c of LISTING_CASES) expect(gh.requests.filter((r) => r.path === c.path), c.path).toHaveLength(1);
  });

  for (const status of [403, 404] as const) {
    for (const c of LISTING_CASES) {
      it(`turns a ${status} on the ${c.listing} listing into one problem line and audits the rest`, async () => {
        const gh = await everyListingRepo();
        const fault: FaultSpec = { fault: 'status', status, method: 'GET', path: c.path };
        gh.faults.add(fault);
        const { report, readAnything } = await auditRepositorySecrets(clientFor(gh).client, REPO, { ...OPTIONS, codespaces: true });
        expect(report.status).toBe('partial');
        expect(readAnything).toBe(true);
        expect(report.problems).toHaveLength(1);
        const line = report.problems[0] ?? '';
        expect(line).toMatch(c.label);
        expect(line).toContain(`${status} on ${LISTINGS[c.listing].route}`);
        expect(line).toContain(`"${LISTINGS[c.listing].permission}"`);
        expect(line).not.toContain('\n');
        const expected = ALL_SECRETS.filter((n) => !c.lost.includes(n)).sort();
        expect(report.entries.map((e) => e.name).sort()).toEqual(expected);
      });
    }
  }

  it('blames the rate limit, not the permissions, when the limit is spent', async () => {
    const gh = await everyListingRepo();
    // An hour to the reset: too long for the client to wait, so the listing fails.
    gh.faults.add({ fault: 'primary-rate-limit', resetInSeconds: 3600, path: '/repos/acme/app/dependabot/secrets' });
    const { report } = await auditRepositorySecrets(clientFor(gh).client, REPO, OPTIONS);
    expect(report.problems).toEqual([
      'Could not read Dependabot secrets (403 on GET /repos/{owner}/{repo}/dependabot/secrets): GitHub\'s API rate limit was reached; rerun the audit later, or split it with "shard".',
    ]);
  });

  it('says the audit was skipped, and calls nothing, without a secrets-token', async () => {
    const gh = await everyListingRepo();
    const result = await auditRepositorySecrets(undefined, REPO, OPTIONS);
    expect(result).toEqual({ report: { status: 'skipped', entries: [], problems: [SKIPPED_REASON] }, variableFindings: [], readAnything: false });
    expect(SKIPPED_REASON).toMatch(/secrets-token/);
    expect(gh.requests).toHaveLength(0);
  });

  it('reports that nothing could be read when every listing is refused', async () => {
    const gh = await everyListingRepo();
    gh.faults.add({ fault: 'status', status: 403, path: '/repos/acme/app/*', times: 'always' });
    const { report, readAnything } = await auditRepositorySecrets(clientFor(gh).client, REPO, OPTIONS);
    expect(readAnything).toBe(false);
    expect(report.status).toBe('partial');
    expect(report.entries).toEqual([]);
    // Environments could not be listed, so their secrets and variables were never asked for.
    expect(report.problems).toHaveLength(5);
  });
});

describe('credentials stored as variables', () => {
  it('reports them with source variable and a note, and never shows the value', async () => {
    const repoKey = githubKey();
    const envKey = githubKey();
    const gh = await fake({
      repos: [
        {
          owner: 'acme',
          name: 'app',
          secrets: { actions: [{ name: 'OLD', updated_at: daysAgo(365) }] },
          variables: [
            { name: 'DEPLOY_TOKEN', value: repoKey },
            { name: 'CONFIG', value: `registry=https://npm.example.invalid\ntoken=${envKey}\n` },
          ],
          environments: [{ name: 'production', variables: [{ name: 'GH_TOKEN', value: envKey }] }],
        },
      ],
    });
    const { report: rotation, variableFindings } = await auditRepositorySecrets(clientFor(gh).client, REPO, OPTIONS);
    const found = variableFindings.map((f) => ({ source: f.source, file: f.file, line: f.line, secretMatches: secretOf(f) === (f.file.includes('DEPLOY') ? repoKey : envKey) }));
    expect(found).toEqual([
      { source: 'variable', file: 'variables/DEPLOY_TOKEN', line: 1, secretMatches: true },
      { source: 'variable', file: 'variables/CONFIG', line: 2, secretMatches: true },
      { source: 'variable', file: 'environments/production/variables/GH_TOKEN', line: 1, secretMatches: true },
    ]);
    for (const f of variableFindings) {
      expect(f.notes?.join(' ')).toContain('move it to a secret and rotate it');
      expect(f.redacted).not.toContain(repoKey.slice(8));
    }

    const report: Report = { findings: variableFindings, stats: { files: 0, bytes: 0, durationMs: 0 }, notes: [], rotation, target: { kind: 'schedule', owner: 'acme', repo: 'app' } };
    const outputs = [
      JSON.stringify(rotation),
      JSON.stringify(variableFindings),
      renderJson(report),
      renderMarkdown(report, { surface: 'summary' }),
      renderMarkdown(report, { surface: 'comment' }),
    ];
    for (const out of outputs) {
      for (const key of [repoKey, envKey]) {
        expect(out.includes(key)).toBe(false);
        // Not even the random body without its prefix.
        expect(out.includes(key.slice(4, 30))).toBe(false);
      }
    }
    expect(renderJson(report)).toContain('move it to a secret and rotate it');
    expect(renderMarkdown(report, { surface: 'summary' })).toContain('DEPLOY_TOKEN');
  });
});

describe('variable names as context', () => {
  it('finds a key whose format needs its keyword when the variable name supplies it, with the column in the value', async () => {
    const rule = BUILTIN_RULES.find((r) => r.id === 'aws-secret-access-key');
    expect(rule?.samples.name).toBe('AWS_SECRET_ACCESS_KEY');
    const key = rule!.samples.secret(seededGen(42));
    const gh = await fake({
      repos: [
        {
          owner: 'acme',
          name: 'app',
          variables: [
            { name: 'AWS_SECRET_ACCESS_KEY', value: key },
            // Ordinary settings: none of them is a credential.
            { name: 'AWS_REGION', value: 'eu-west-1' },
            { name: 'NODE_VERSION', value: '20' },
            { name: 'API_URL', value: 'https://api.example.invalid/v1' },
            { name: 'TOKEN_ISSUER', value: 'https://token.actions.githubusercontent.com' },
            { name: 'IMAGE_TAG', value: 'sha-0123456789abcdef0123456789abcdef01234567' },
            { name: 'API_KEY_HEADER', value: 'X-Api-Key' },
          ],
        },
      ],
    });
    const { variableFindings } = await auditRepositorySecrets(clientFor(gh).client, REPO, OPTIONS);
    expect(variableFindings.map((f) => [f.ruleId, f.file, f.line, f.column])).toEqual([['aws-secret-access-key', 'variables/AWS_SECRET_ACCESS_KEY', 1, 1]]);
    expect(secretOf(variableFindings[0]!) === key).toBe(true);
  });
});
