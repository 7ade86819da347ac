import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { HISTORY_HOWTO, MAX_AUDIT_FILE_BYTES, runScheduledAudit } from '../../src/action/scheduled-audit.js';
import { buildEngine, defaultConfig } from '../../src/config/index.js';
import { readArchive, type ArchiveSkip } from '../../src/github/archive.js';
import { fakeSha } from '../fake-github/index.js';
import { NOW, clientFor, fake, githubKey, quietLog, stopAll } from './setup.js';

afterEach(stopAll);

/** GitHub's budget for the content and history of a 20,000-file repository, secret listings not counted. */
const CONTENT_BUDGET = 15;

describe('the default branch read from the repository archive', () => {
  it('reads a 20,000-file tree in at most 15 API calls and finds the keys in it', async () => {
    const keys = [githubKey(), githubKey()];
    const files: Record<string, string> = {};
    for (let i = 0; i < 20_000; i++) files[`pkg${i % 50}/dir${i % 7}/file-${i}.ts`] = `export const value${i} = ${i};\n`;
    // A path past ustar's 100 bytes (the archive carries it in a pax header) and a non-ASCII one.
    const longPath = `${'deep/'.repeat(30)}config.env`;
    files[longPath] = `API_TOKEN=${keys[0]}\n`;
    files['docs/ünïcode-ñame.md'] = `token: ${keys[1]}\n`;
    files['assets/image.bin'] = `\0\0${keys[0]}`;
    files['node_modules/x/index.js'] = `"${keys[0]}"`;
    files['data/huge.sql'] = `-- ${keys[1]}\n${'y'.repeat(MAX_AUDIT_FILE_BYTES)}`;
    files['link-to-config'] = 'deep/';
    const gh = await fake({
      repos: [{ owner: 'acme', name: 'big', snapshots: [{ sha: fakeSha('big'), ref: 'main', files, symlinks: { 'link-to-config': 'deep/' } }] }],
    });
    const github = clientFor(gh);
    const log = quietLog();
    const config = defaultConfig();
    const { report } = await runScheduledAudit({
      github,
      repo: { owner: 'acme', repo: 'big' },
      serverUrl: 'https://github.example.invalid',
      config,
      engine: buildEngine(config),
      maxSecretAgeDays: 90,
      now: NOW,
      log,
    });

    expect(report.findings.map((f) => [f.file, f.line, f.ruleId])).toEqual([
      [longPath, 1, 'github-pat'],
      ['docs/ünïcode-ñame.md', 1, 'github-pat'],
    ]);
    expect(report.stats.files).toBe(20_002);
    // The archive's top directory names the commit it holds: the report links there, not to the moving branch.
    expect(report.target.headSha).toBe(fakeSha('big').slice(0, 7));
    expect(report.stats.skipped).toEqual({ binary: 1, ignored: 1, tooLarge: 1 });
    expect(report.stats.apiCalls).toBeLessThanOrEqual(CONTENT_BUDGET);
    expect(report.stats.apiCalls).toBe(github.calls());
    // The repository, the archive link, the secret-scanning alerts: nothing per file.
    expect(gh.requests.filter((r) => !r.path.startsWith('/_codeload/')).map((r) => `${r.method} ${r.path}`)).toEqual([
      'GET /repos/acme/big',
      'GET /repos/acme/big/tarball/main',
      'GET /repos/acme/big/secret-scanning/alerts',
    ]);
    expect(log.lines.join('\n')).toMatch(/Default branch main: 20005 files read from the repository archive \([\d.]+ MB compressed\) in 1 API call \(2 API calls so far\)/);
  }, 60_000);

  it('reads a private repository through the link GitHub signs, without sending the API token there', async () => {
    const key = githubKey();
    const gh = await fake({
      repos: [{ owner: 'acme', name: 'secret', private: true, snapshots: [{ sha: fakeSha('p'), ref: 'main', files: { '.env': `GH=${key}\n` } }] }],
    });
    const config = defaultConfig();
    const { report } = await runScheduledAudit({
      github: clientFor(gh),
      repo: { owner: 'acme', repo: 'secret' },
      serverUrl: 'https://github.example.invalid',
      config,
      engine: buildEngine(config),
      maxSecretAgeDays: 90,
      now: NOW,
      log: quietLog(),
    });
    expect(report.findings.map((f) => f.file)).toEqual(['.env']);
    const download = gh.requests.find((r) => r.path.startsWith('/_codeload/'));
    expect(download?.query['token']).toMatch(/^[0-9a-f]{20}$/);
    expect(download?.headers['authorization']).toBeUndefined();
    expect(report.notes).toEqual([HISTORY_HOWTO]);
  });
});

describe('readArchive', () => {
  const servers: Array<{ close(): void }> = [];
  afterEach(() => {
    for (const s of servers.splice(0)) s.close();
  });

  async function serve(body: Buffer, status = 200): Promise<string> {
    const server = createServer((_req, res) => {
      res.writeHead(status, { 'content-type': 'application/x-gzip' });
      res.end(body);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    servers.push(server);
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}/archive.tar.gz`;
  }

  const visitor = () => {
    const seen: string[] = [];
    const skips: Array<[string, ArchiveSkip]> = [];
    return { seen, skips, skip: () => undefined, file: (p: string) => seen.push(p), skipped: (p: string, r: ArchiveSkip) => skips.push([p, r]) };
  };

  it('fails with one line when the body is not gzip', async () => {
    const url = await serve(Buffer.from('<html>not an archive</html>'));
    await expect(readArchive(url, visitor())).rejects.toThrow(/^Could not read the repository archive: the archive is not valid gzip \(.+\)\.$/);
  });

  it('fails when the archive is cut short, rather than reporting a partial tree as whole', async () => {
    const gh = await fake({
      repos: [{ owner: 'acme', name: 'app', snapshots: [{ sha: fakeSha('c'), ref: 'main', files: Object.fromEntries(Array.from({ length: 200 }, (_, i) => [`f${i}.txt`, `line ${i}\n`.repeat(200)])) }] }],
    });
    const whole = await fetch(`${gh.url}/_codeload/acme/app/legacy.tar.gz/${fakeSha('c')}`).then(async (r) => Buffer.from(await r.arrayBuffer()));
    const url = await serve(whole.subarray(0, Math.floor(whole.length / 2)));
    await expect(readArchive(url, visitor())).rejects.toThrow(/^Could not read the repository archive: /);
  });

  it('names the status when the link answers an error', async () => {
    const url = await serve(gzipSync(Buffer.alloc(0)), 410);
    await expect(readArchive(url, visitor())).rejects.toThrow('Could not read the repository archive: the archive download answered 410.');
  });
});
