import { afterEach, describe, expect, it } from 'vitest';
import type { FakeGitHub } from '../fake-github/server.js';
import { loadWebhookPayload } from '../helpers/run-action.js';
import { BASE, FULL, HEAD, PR, key, leakyFile, runOnPull, startWith } from './scenario.js';

let api: FakeGitHub | undefined;
afterEach(async () => {
  await api?.close();
  api = undefined;
});

// Live checks against real providers cannot run here (no network beyond this machine); the checks
// themselves are tested against local fake providers in __tests__/verify. These tests cover the gate.
describe('verify input', () => {
  it('never sends keys from a fork pull_request_target run, and says why', async () => {
    api = await startWith({ files: [leakyFile('src/a.ts', key(601))] });
    const payload = loadWebhookPayload('pull_request_target.synchronize', { repository: FULL, number: PR, headSha: HEAD, baseSha: BASE, headRepository: 'mallory/app' });
    const run = await runOnPull(api, { verify: true }, { eventName: 'pull_request_target', payload });
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/Live checks: live checks skipped: pull_request_target from a fork/);
    const report = JSON.parse(run.jsonReport ?? '{}') as { findings: Array<{ verification?: unknown }> };
    expect(report.findings).toHaveLength(1);
    expect(report.findings[0]?.verification).toBeUndefined();
  });

  it('is off by default: no verification status on findings', async () => {
    api = await startWith({ files: [leakyFile('src/a.ts', key(602))] });
    const run = await runOnPull(api);
    const report = JSON.parse(run.jsonReport ?? '{}') as { findings: Array<{ verification?: unknown }> };
    expect(report.findings[0]?.verification).toBeUndefined();
    expect(run.stdout).not.toMatch(/Live check/);
  });
});
