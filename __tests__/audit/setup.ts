/**
 * Shared pieces of the audit tests: the fake GitHub API, the action's own client pointed at it, a
 * fixed clock, dates relative to it, and keys generated at test time.
 */
import { createClient, type CountedClient } from '../../src/github/client.js';
import { buildEngine, defaultConfig } from '../../src/config/index.js';
import type { RotationPolicy } from '../../src/rotation/policy.js';
import { githubRules } from '../../src/rules/github.js';
import { startFakeGitHub, type FakeGitHub, type FakeInit } from '../fake-github/index.js';
import { seededGen, testSeed } from '../helpers/sample-gen.js';

/** The instant every audit test runs at: mid-morning UTC, so "days ago" never straddles midnight by accident. */
export const NOW = new Date('2026-11-28T09:30:00Z');

export const POLICY: RotationPolicy = { maxAgeDays: 90, warnDays: 14, scopes: {}, secrets: [] };

const DAY_MS = 86_400_000;

/** An ISO timestamp `days` whole days before NOW (same time of day), as the API writes it. */
export function daysAgo(days: number, from: Date = NOW): string {
  return new Date(from.getTime() - days * DAY_MS).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Logs that only collect, so a test can read what the audit said. */
export function quietLog(): { info(m: string): void; warning(m: string): void; debug(m: string): void; lines: string[] } {
  const lines: string[] = [];
  return { info: (m) => lines.push(m), warning: (m) => lines.push(m), debug: () => undefined, lines };
}

/** The action's client (retry and throttling plugins, call counting) against the fake. */
export function clientFor(gh: FakeGitHub): CountedClient {
  // The local fake needs no pacing: 10 ms stands for each second of write spacing and retry waits.
  return createClient('test-token', { baseUrl: gh.url, log: quietLog(), secondMs: 10 });
}

/** Starts a fake and remembers it so `stopAll` closes it after the test. */
const started: FakeGitHub[] = [];
export async function fake(init?: FakeInit): Promise<FakeGitHub> {
  const gh = await startFakeGitHub(init);
  started.push(gh);
  return gh;
}
export async function stopAll(): Promise<void> {
  await Promise.all(started.splice(0).map((gh) => gh.close()));
}

export const engine = buildEngine(defaultConfig());

const gen = seededGen(testSeed());
/** A fresh GitHub classic token, checksum valid, built at test time. */
export function githubKey(): string {
  const rule = githubRules[0];
  if (rule === undefined) throw new Error('no GitHub rule');
  return rule.samples.secret(gen);
}
