/**
 * `npm run demo`: the action against a local fake GitHub API, on a sample pull request that plants
 * keys of several providers. Every key is generated here, from the rules' own sample generators, and
 * exists nowhere else. Prints the comment and the check run the action posted, writes the comment to a
 * file and prints that file's path last (`--quiet`: only the path; `--out FILE`: where).
 *
 * The action runs from the TypeScript sources through tsx, as the runner would run dist/index.js, so the demo
 * never waits for a build and always shows the current code; `--dist` runs the built dist/index.js instead.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { startFakeGitHub } from '../__tests__/fake-github/server.js';
import { fakeSha, type FakeFile } from '../__tests__/fake-github/state.js';
import { loadWebhookPayload, runAction } from '../__tests__/helpers/run-action.js';
import { seededGen } from '../__tests__/helpers/sample-gen.js';
import { BUILTIN_RULES } from '../src/rules/index.js';

const OWNER = 'acme';
const REPO = 'webshop';
const PR = 42;
const HEAD = fakeSha('demo-head');
const BASE = fakeSha('demo-base');
const DAY = 86_400_000;

function secretOfRule(id: string, seed: number): string {
  const rule = BUILTIN_RULES.find((r) => r.id === id);
  if (rule === undefined) throw new Error(`no rule ${id}`);
  return rule.samples.secret(seededGen(seed));
}

function firstPositive(id: string, seed: number): string {
  const rule = BUILTIN_RULES.find((r) => r.id === id);
  const positive = rule?.samples.positives?.(seededGen(seed))[0];
  if (positive === undefined) throw new Error(`no positive sample for ${id}`);
  return positive.text;
}

function added(path: string, lines: string[], status: FakeFile['status'] = 'added'): FakeFile {
  return { filename: path, status, patch: `@@ -0,0 +1,${lines.length} @@\n${lines.map((l) => `+${l}`).join('\n')}` };
}

export interface DemoResult {
  comment: string;
  checkRun: { name: string; conclusion: string | null; title: string; annotations: number; summary: string };
  outputs: Record<string, string>;
  exitCode: number;
  apiCalls: number;
  /** Every planted value, so a test can prove none was printed. */
  planted: string[];
}

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** How the action runs: from the sources (default) or the built bundle. */
export type DemoEntry = 'sources' | 'dist';

function entryOptions(entry: DemoEntry): { entry: string; nodeArgs: string[] } {
  if (entry === 'dist') return { entry: join(ROOT, 'dist/index.js'), nodeArgs: [] };
  return { entry: join(ROOT, 'src/index.ts'), nodeArgs: ['--import', pathToFileURL(join(ROOT, 'scripts/register-ts.mjs')).href] };
}

/** Runs the demo and returns what the action posted; `print` writes it out for a person. */
export async function runDemo(print: (line: string) => void = () => {}, entry: DemoEntry = 'sources'): Promise<DemoResult> {
  const github = secretOfRule('github-pat', 1);
  const openai = secretOfRule('openai-project-key', 2);
  const stripe = secretOfRule('stripe-live-secret-key', 3);
  const awsId = secretOfRule('aws-access-key-id', 4).replace(/^A[A-Z]{3}/, 'AKIA');
  const awsSecret = secretOfRule('aws-secret-access-key', 5);
  const removedLater = secretOfRule('anthropic-api-key', 6);
  const pem = firstPositive('private-key-rsa', 7);
  const dbPassword = seededGen(8).chars('ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789', 20);
  const planted = [github, openai, stripe, awsId, awsSecret, removedLater, dbPassword];

  const finalFiles: FakeFile[] = [
    added('src/payments/stripe.ts', ['import Stripe from "stripe";', '', `export const stripe = new Stripe("${stripe}");`]),
    added('config/deploy.env', ['# deploy settings', `GITHUB_TOKEN=${github}`, `OPENAI_API_KEY=${openai}`, `DATABASE_URL=postgres://shop:${dbPassword}@db.internal:5432/shop`]),
    added('infra/aws/credentials', ['[default]', `aws_access_key_id = ${awsId}`, `aws_secret_access_key = ${awsSecret}`]),
    added('deploy/id_rsa', pem.split('\n').filter((l) => l !== '')),
    added('src/api/client.ts', ['export const API_BASE = "https://api.example.invalid";', 'export const timeoutMs = 5000;'], 'modified'),
  ];
  const firstCommit = fakeSha('demo-c1');
  const history: FakeFile = added('src/ai/summarize.ts', [`const anthropic = new Anthropic({ apiKey: "${removedLater}" });`]);
  const now = Date.now();
  const api = await startFakeGitHub({
    viewer: { login: 'github-actions[bot]', type: 'Bot' },
    repos: [
      {
        owner: OWNER,
        name: REPO,
        pulls: [
          {
            number: PR,
            head: { sha: HEAD, ref: 'feature/checkout' },
            base: { sha: BASE, ref: 'main' },
            files: finalFiles,
            commits: [
              { sha: firstCommit, message: 'Add summaries', files: [history] },
              { sha: HEAD, message: 'Checkout; move the Anthropic key out of the code', files: [...finalFiles, { ...added('src/ai/summarize.ts', ['const anthropic = new Anthropic();']), status: 'modified' }] },
            ],
          },
        ],
        secrets: {
          actions: [
            { name: 'STRIPE_SECRET_KEY', created_at: new Date(now - 400 * DAY).toISOString(), updated_at: new Date(now - 200 * DAY).toISOString() },
            { name: 'DEPLOY_TOKEN', created_at: new Date(now - 300 * DAY).toISOString(), updated_at: new Date(now - 80 * DAY).toISOString() },
            { name: 'SENTRY_DSN', created_at: new Date(now - 30 * DAY).toISOString(), updated_at: new Date(now - 30 * DAY).toISOString() },
          ],
        },
      },
    ],
  });
  const temp = await mkdtemp(join(tmpdir(), 'kh-demo-'));
  try {
    const payload = loadWebhookPayload('pull_request.synchronize', { repository: `${OWNER}/${REPO}`, number: PR, headSha: HEAD, baseSha: BASE });
    const run = await runAction({
      ...entryOptions(entry),
      api,
      eventName: 'pull_request',
      payload,
      inputs: { 'secrets-token': 'demo-secrets-reader' },
      workspace: join(temp, 'workspace'),
      // Links in the comment point where they would on GitHub, not at the fake API.
      env: { RUNNER_TEMP: join(temp, 'runner-temp'), GITHUB_SERVER_URL: 'https://github.com' },
    });
    const repo = api.state.repos.get(`${OWNER}/${REPO}`);
    const comment = repo?.comments.find((c) => c.issue_number === PR)?.body ?? '';
    const check = repo?.checkRuns[0];
    const checkRun = {
      name: check?.name ?? '',
      conclusion: check?.conclusion ?? null,
      title: check?.output?.title ?? '',
      annotations: (check?.annotationBatches ?? []).reduce((n, b) => n + b.length, 0),
      summary: check?.output?.summary ?? '',
    };
    const apiCalls = run.requests.length;

    print(`key-hygiene demo: the action (${entry === 'dist' ? 'dist/index.js' : 'src/index.ts, from sources'}) on pull request #42 of acme/webshop, against a fake GitHub API on 127.0.0.1.`);
    print('The pull request plants a GitHub token, an OpenAI key, a live Stripe key, an AWS key pair, a private key and a database password,');
    print('and an Anthropic key added in one commit and removed in the next. All were generated just now; none is real.\n');
    print('==================== The sticky pull request comment ====================\n');
    print(comment);
    print('==================== The check run ====================\n');
    print(`${checkRun.name}: ${checkRun.conclusion} — ${checkRun.title} (${checkRun.annotations} annotations on ${HEAD.slice(0, 7)})`);
    print(checkRun.summary.split('\n').slice(0, 6).join('\n'));
    print('...\n');
    print('==================== Outputs ====================\n');
    for (const [k, v] of Object.entries(run.outputs)) print(`${k}=${k === 'report' ? '<RUNNER_TEMP>/key-hygiene/report.json' : v}`);
    print(`\nThe action exited ${run.code}: it fails the run because it found leaked keys (fail-on: leaks), as it should.`);
    print(`GitHub API calls: ${apiCalls}.`);
    return { comment, checkRun, outputs: run.outputs, exitCode: run.code ?? -1, apiCalls, planted };
  } finally {
    await rm(temp, { recursive: true, force: true });
    await api.close();
  }
}

async function main(argv: string[]): Promise<void> {
  let quiet = false;
  let entry: DemoEntry = 'sources';
  let outFile = join(tmpdir(), 'key-hygiene-demo', 'comment.md');
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === '--quiet') quiet = true;
    else if (arg === '--dist') entry = 'dist';
    else if (arg === '--out' && argv[i + 1] !== undefined) outFile = resolve(argv[++i] as string);
    else {
      console.error(`demo: unknown argument ${JSON.stringify(arg)} (known: --quiet, --dist, --out FILE)`);
      process.exit(2);
    }
  }
  const out: string[] = [];
  const result = await runDemo((line) => {
    out.push(line);
    if (!quiet) console.log(line);
  }, entry);
  if (result.planted.some((s) => out.join('\n').includes(s))) {
    console.error('demo: a planted key appeared in the output; this is a bug.');
    process.exit(1);
  }
  if (result.comment === '') {
    console.error('demo: the action posted no comment; run without --quiet to see why.');
    process.exit(1);
  }
  await mkdir(dirname(outFile), { recursive: true });
  await writeFile(outFile, result.comment);
  if (!quiet) console.log('\nThe comment, as Markdown:');
  console.log(outFile);
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) await main(process.argv.slice(2));
