/**
 * The pull request comment as a reviewer meets it: rendered by a GFM renderer (what the web shows) and raw
 * (what e-mail notifications, `gh pr view` and the API show). Built from keys generated at test time.
 */
import { describe, expect, it } from 'vitest';
import { renderMarkdown } from '../../src/report/markdown.js';
import type { Report } from '../../src/report/model.js';
import { BUILTIN_PAIRS, BUILTIN_RULES } from '../../src/rules/index.js';
import { Engine } from '../../src/scan/engine.js';
import type { Finding } from '../../src/scan/types.js';
import { elements, hrefs, renderGfm, REPORT_ELEMENTS, tables, textOutsideCode } from '../helpers/gfm.js';
import { seededGen } from '../helpers/sample-gen.js';
import { finding, HEAD_SHA } from './fixture.js';

const MARKER = '<!-- key-hygiene:comment -->';
const engine = new Engine(BUILTIN_RULES, { pairs: BUILTIN_PAIRS });
const REMEDIATION_URLS = new Set(BUILTIN_RULES.map((r) => r.remediation.url));
const INVISIBLE = /[\u200b-\u200f\u2060-\u206f\ufeff\u00ad]/;

function secretOfRule(id: string, seed: number): string {
  const rule = BUILTIN_RULES.find((r) => r.id === id);
  if (rule === undefined) throw new Error(`no rule ${id}`);
  return rule.samples.secret(seededGen(seed));
}

function scan(path: string, text: string): Finding[] {
  return engine.scan({ path, text, source: 'added' });
}

/** A pull request that adds a Stripe key, a GitHub token and an AWS key pair, with one overdue secret. */
function leakyReport(): { report: Report; secrets: string[] } {
  const stripe = secretOfRule('stripe-live-secret-key', 11);
  const github = secretOfRule('github-pat', 12);
  const awsId = secretOfRule('aws-access-key-id', 13).replace(/^A[A-Z]{3}/, 'AKIA');
  const awsSecret = secretOfRule('aws-secret-access-key', 14);
  const findings = [
    ...scan('src/pay.ts', `export const stripe = new Stripe("${stripe}");\n`),
    ...scan('config/deploy.env', `GITHUB_TOKEN=${github}\n`),
    ...scan('infra/aws/credentials', `[default]\naws_access_key_id = ${awsId}\naws_secret_access_key = ${awsSecret}\n`),
  ];
  const day = (n: number): string => new Date(Date.UTC(2026, 0, 1) - n * 86_400_000).toISOString();
  const report: Report = {
    target: { kind: 'pull_request', serverUrl: 'https://github.com', owner: 'acme', repo: 'shop', headSha: HEAD_SHA, pullNumber: 7 },
    stats: { files: 3, bytes: 400, durationMs: 12 },
    notes: [],
    findings,
    rotation: {
      status: 'audited',
      problems: [],
      entries: [
        { scope: 'actions', name: 'STRIPE_SECRET_KEY', createdAt: day(400), updatedAt: day(200), ageDays: 200, dueDate: '2025-09-01', status: 'overdue', neverRotated: false },
        { scope: 'actions', name: 'SENTRY_DSN', createdAt: day(30), updatedAt: day(30), ageDays: 30, dueDate: '2026-03-01', status: 'ok', neverRotated: false },
      ],
    },
  };
  return { report, secrets: [stripe, github, awsId, awsSecret] };
}

/** What holds for any comment: only our elements, only our links, tables whose rows match their header. */
function expectSafe(md: string, html: string, raw = true, ruleUrl?: string): void {
  if (raw) expect(md).not.toMatch(/&#\d+;/);
  expect(md).not.toMatch(INVISIBLE);
  for (const name of elements(html)) expect(REPORT_ELEMENTS, `<${name}>`).toContain(name);
  for (const href of hrefs(html)) expect(href.startsWith('https://github.com/acme/shop/') || REMEDIATION_URLS.has(href) || href === ruleUrl, href).toBe(true);
  for (const table of tables(html)) {
    const width = table[0]?.length ?? 0;
    for (const row of table) expect(row).toHaveLength(width);
  }
  const plain = textOutsideCode(html);
  expect(plain).not.toMatch(/(^|[^\w])@\w/);
  expect(plain).not.toMatch(/(^|[^\w])#\d/);
  expect(plain).not.toMatch(/\bwww\./i);
}

describe('the comment, rendered and raw', () => {
  const { report, secrets } = leakyReport();
  const md = renderMarkdown(report, { surface: 'comment', marker: MARKER });
  const html = renderGfm(md);

  it('holds the scanner findings this test planted', () => {
    expect(report.findings.map((f) => f.ruleId).sort()).toEqual(['aws-access-key-id', 'aws-secret-access-key', 'github-pat', 'stripe-live-secret-key']);
  });

  it('shows no secret, raw or rendered', () => {
    for (const secret of secrets) {
      expect(md.includes(secret)).toBe(false);
      expect(html.includes(secret)).toBe(false);
    }
  });

  it('reads raw: no character references or invisible characters, and names and paths are greppable', () => {
    expectSafe(md, html);
    expect(md).toContain('`STRIPE_SECRET_KEY`');
    expect(md).toContain('`config/deploy.env:1`');
    expect(md).toContain('`infra/aws/credentials:2`');
  });

  it('says first what to do: revoke at the provider, then remove from the branch', () => {
    const first = md.split('\n').find((l) => l.startsWith('**First**')) ?? '';
    expect(first).toMatch(/revoke each key at its provider.*then.*remove it from the branch/);
    // It comes right after the verdict, before any table.
    expect(md.indexOf(first)).toBeLessThan(md.indexOf('| Severity'));
  });

  it('links each key name to where it is revoked, with no separate "Revoke or rotate" link', () => {
    expect(md).not.toContain('Revoke or rotate](');
    const [keys] = tables(html);
    const stripe = report.findings.find((f) => f.ruleId === 'stripe-live-secret-key');
    expect(html).toContain(`<a href="${stripe?.remediation.url}" title="Revoke or rotate it here">${stripe?.title}</a>`);
    expect(keys?.[0]).toEqual(['Severity', 'Key', 'Location', 'Preview', 'What to do']);
  });

  it('keeps severity on one line and says a pair note once', () => {
    const [keys] = tables(html);
    for (const row of (keys ?? []).slice(1)) expect(row[0]).toMatch(/^(🔴|🟠|🟡|🔵)\u00a0(Critical|High|Medium|Low)$/);
    const pairNote = report.findings.find((f) => f.ruleId.startsWith('aws-') && f.notes !== undefined)?.notes?.[0] ?? '';
    expect(pairNote).not.toBe('');
    expect(md.split(pairNote).length - 1).toBe(1);
    expect(md).toMatch(/Paired with `infra\/aws\/credentials:[23]`: see that row\./);
  });

  it('folds the rotation table under <details> when a secret is overdue, and leaves it out otherwise', () => {
    expect(html).toMatch(/<details><summary>1 overdue of 2 secrets<\/summary>[\s\S]*<code>STRIPE_SECRET_KEY<\/code>[\s\S]*<\/details>/);
    const healthy: Report = { ...report, rotation: { status: 'audited', problems: [], entries: (report.rotation?.entries ?? []).filter((e) => e.status === 'ok') } };
    const clean = renderMarkdown(healthy, { surface: 'comment' });
    expect(clean).toContain('within the rotation policy. The job summary and the weekly audit list them.');
    expect(clean).not.toContain('SENTRY_DSN');
    // The job summary keeps the whole table.
    expect(renderMarkdown(healthy, { surface: 'summary' })).toContain('`SENTRY_DSN`');
  });
});

const HOSTILE_NAMES = [
  'a|b|c.ts',
  '<img src=x onerror=alert(1)>.js',
  'tick`s``and```fences.txt',
  '@octocat and @acme/security #1.txt',
  '[click me](https://evil.example)/x.md',
  'www.evil.example/GH-12.md',
  '<!-- unterminated.txt',
  '</code><script>x</script>.js',
  '`` ` ``.ts',
  ' spaced .ts',
  ':rocket: $x$ ~~gone~~ **bold** _em_.md',
  '&amp;&#64;entity.ts',
  'back\\|slash.ts',
];

describe('hostile names, rendered', () => {
  const report: Report = {
    target: { kind: 'pull_request', serverUrl: 'https://github.com', owner: 'acme', repo: 'shop', headSha: HEAD_SHA, pullNumber: 7 },
    stats: { files: 1, bytes: 1, durationMs: 1 },
    notes: ['Scanned <script> whole: a|b @octocat #12 https://evil.example', '# not a heading', '1. not a list'],
    findings: HOSTILE_NAMES.map((file, i) =>
      finding({
        file,
        line: i + 1,
        title: 'Custom <b>rule</b> | with @team and [link](https://evil.example) ![i](https://evil.example/i.png)',
        remediation: { text: 'Ask @acme/ops, see #3 or <https://evil.example> & &lt;', url: 'https://evil.example/ok' },
        notes: ['<details> @acme/ops'],
      }),
    ),
  };
  for (const surface of ['comment', 'check', 'summary'] as const) {
    it(`injects nothing and keeps every cell (${surface})`, () => {
      const md = renderMarkdown(report, { surface, marker: MARKER });
      const html = renderGfm(md);
      // Raw, these names hold `&#` themselves, and one (a backslash before a pipe) is HTML code on purpose.
      expectSafe(md, html, false, 'https://evil.example/ok');
      expect(html).not.toMatch(/(href|src)="https:\/\/evil\.example\/(?!ok")/);
      const [keys] = tables(html);
      expect(keys).toHaveLength(HOSTILE_NAMES.length + 1);
      // Each name shows as it is, in its own Location cell.
      const locations = (keys ?? []).slice(1).map((r) => r[2]);
      expect(locations.sort()).toEqual(HOSTILE_NAMES.map((f, i) => `${f}:${i + 1}`.trim()).sort());
      for (const row of (keys ?? []).slice(1)) expect(row[1]).toBe('Custom <b>rule</b> | with @team and [link](https://evil.example) ![i](https://evil.example/i.png)');
      expect(html).toContain('<li># not a heading</li>');
      expect(html).toContain('<li>1. not a list</li>');
    });
  }
});
