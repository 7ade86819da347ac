import { describe, expect, it } from 'vitest';
import { BUILTIN_RULES } from '../../src/rules/index.js';
import { KEY_CHECKS, VERIFIABLE_PROVIDERS, checkFor } from '../../src/verify/checks.js';

/**
 * The official API host of each provider, from the provider's own API reference. A check may only send
 * keys here; the README lists the same table.
 */
const OFFICIAL: Record<string, { host: string; rules: string[] }> = {
  github: { host: 'api.github.com', rules: ['github-pat', 'github-oauth', 'github-user-to-server', 'github-server-to-server', 'github-fine-grained-pat'] },
  gitlab: { host: 'gitlab.com', rules: ['gitlab-pat'] },
  openai: { host: 'api.openai.com', rules: ['openai-project-key', 'openai-service-account-key', 'openai-user-key', 'openai-admin-key'] },
  anthropic: { host: 'api.anthropic.com', rules: ['anthropic-api-key', 'anthropic-admin-key'] },
  huggingface: { host: 'huggingface.co', rules: ['huggingface-token'] },
  groq: { host: 'api.groq.com', rules: ['groq-api-key'] },
  mistral: { host: 'api.mistral.ai', rules: ['mistral-api-key'] },
  deepseek: { host: 'api.deepseek.com', rules: ['deepseek-api-key'] },
  xai: { host: 'api.x.ai', rules: ['xai-api-key'] },
  openrouter: { host: 'openrouter.ai', rules: ['openrouter-api-key'] },
  aws: { host: 'sts.amazonaws.com', rules: ['aws-access-key-id'] },
  stripe: { host: 'api.stripe.com', rules: ['stripe-live-secret-key', 'stripe-live-restricted-key', 'stripe-test-secret-key', 'stripe-test-restricted-key'] },
  slack: { host: 'slack.com', rules: ['slack-bot-token', 'slack-user-token'] },
  sendgrid: { host: 'api.sendgrid.com', rules: ['sendgrid-api-key'] },
  discord: { host: 'discord.com', rules: ['discord-bot-token'] },
  npm: { host: 'registry.npmjs.org', rules: ['npm-access-token'] },
};

describe('live check catalogue', () => {
  it('sends each provider`s keys to its official API host, and only its own rules', () => {
    expect([...VERIFIABLE_PROVIDERS].sort()).toEqual(Object.keys(OFFICIAL).sort());
    for (const check of KEY_CHECKS) {
      expect(check.host, check.provider).toBe(OFFICIAL[check.provider]?.host);
      expect([...check.rules].sort(), check.provider).toEqual([...(OFFICIAL[check.provider]?.rules ?? [])].sort());
    }
  });

  it('names only rules that exist, each claimed by one check', () => {
    const ids = new Set(BUILTIN_RULES.map((r) => r.id));
    const claimed = KEY_CHECKS.flatMap((c) => c.rules);
    for (const id of claimed) expect(ids.has(id), id).toBe(true);
    expect(new Set(claimed).size).toBe(claimed.length);
    expect(checkFor('github-refresh')).toBeUndefined();
  });

  it('uses provider ids the config accepts (lowercase kebab-case)', () => {
    for (const p of VERIFIABLE_PROVIDERS) expect(p).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
  });

  it('asks admin keys the read their API allows', () => {
    const openai = KEY_CHECKS.find((c) => c.provider === 'openai');
    const anthropic = KEY_CHECKS.find((c) => c.provider === 'anthropic');
    const now = new Date();
    const pathOf = (url: string) => new URL(url).pathname;
    expect(pathOf(openai?.request('sk-' + 'admin-x', { now }).url ?? '')).toBe('/v1/organization/projects');
    expect(pathOf(openai?.request('sk-' + 'proj-x', { now }).url ?? '')).toBe('/v1/models');
    expect(pathOf(anthropic?.request('sk-' + 'ant-admin01-x', { now }).url ?? '')).toBe('/v1/organizations/me');
    expect(pathOf(anthropic?.request('sk-' + 'ant-api03-x', { now }).url ?? '')).toBe('/v1/models');
  });
});
