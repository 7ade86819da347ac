import type { APIKey as AnthropicKey } from '@anthropic-ai/sdk/resources/organization/api-keys';
import type { Workspace } from '@anthropic-ai/sdk/resources/organization/workspaces/workspaces';
import type { AdminAPIKey } from 'openai/resources/admin/organization/admin-api-keys';
import type { ProjectAPIKey } from 'openai/resources/admin/organization/projects/api-keys';
import type { Project } from 'openai/resources/admin/organization/projects/projects';
import type { UsageCompletionsResponse } from 'openai/resources/admin/organization/usage';
import { BUILTIN_RULES } from '../../src/rules/index.js';
import { seededGen } from '../helpers/sample-gen.js';
import type { AnthropicOrg, OpenAiOrg } from './server.js';

/**
 * An OpenAI and an Anthropic organization holding one key for each flag the inventory raises, plus
 * keys that must raise none. Keys are generated from the catalogue's formats at test time; the fakes
 * only ever hold their redacted forms, as the real APIs do.
 */

const DAY = 86_400;

/** A fresh key of a catalogue rule. */
export function sampleKey(ruleId: string, seed: number): string {
  const rule = BUILTIN_RULES.find((r) => r.id === ruleId);
  if (rule === undefined) throw new Error(`no rule ${ruleId}`);
  return rule.samples.secret(seededGen(seed));
}

/** OpenAI's redacted form: the first characters, an elision and the last four. */
export function openAiRedacted(key: string): string {
  return `${key.slice(0, 11)}...${key.slice(-4)}`;
}

/** Anthropic's partial hint: the prefix with a few characters, an elision and the last four. */
export function anthropicHint(key: string): string {
  return `${key.slice(0, 16)}...${key.slice(-4)}`;
}

/**
 * A key of the same format sharing `key`'s visible start and all but one of its visible last four
 * characters: must not be linked to it. The last two stay (Anthropic keys always end in `AA`).
 */
export function nearMiss(key: string): string {
  const c = key.charAt(key.length - 3);
  return `${key.slice(0, -3)}${c === 'x' ? 'y' : 'x'}${key.slice(-2)}`;
}

export interface Orgs {
  openai: OpenAiOrg;
  anthropic: AnthropicOrg;
  /** Generated key values, for leaking in files; never in the fakes. */
  leaked: { openai: string; anthropic: string };
}

function user(email: string): ProjectAPIKey.Owner {
  return { type: 'user', user: { id: `user_${email.split('@')[0]}`, created_at: 0, email, name: email.split('@')[0] ?? email, role: 'member' } };
}

/**
 * The organizations as of `now`, with a default maximum age of 90 days in mind:
 * - `key_old`: created 200 days ago (older than the policy);
 * - `key_idle`: last used 45 days ago (unused);
 * - `key_orphan`: its owner left the project (orphaned);
 * - `key_gone_sa`: owned by a service account that no longer exists (orphaned);
 * - `key_spike`: 100 requests a day this week against 10 before (usage spike);
 * - `key_leak`: the leaked key, otherwise healthy;
 * - `key_fine` and the sandbox keys: nothing to say.
 */
export function buildOrgs(now: Date, seed = 1): Orgs {
  const t = Math.floor(now.getTime() / 1000);
  const ago = (days: number): number => t - days * DAY;
  const leakedOpenAi = sampleKey('openai-project-key', seed);
  const leakedAnthropic = sampleKey('anthropic-api-key', seed + 1);
  const other = (s: number): string => openAiRedacted(sampleKey('openai-project-key', seed + 100 + s));

  const projects: Project[] = [
    { id: 'proj_prod', object: 'organization.project', name: 'prod', created_at: ago(400), status: 'active' },
    { id: 'proj_sandbox', object: 'organization.project', name: 'sandbox', created_at: ago(300), status: 'active' },
    { id: 'proj_empty', object: 'organization.project', name: 'empty', created_at: ago(10), status: 'active' },
  ];
  const key = (id: string, over: Partial<ProjectAPIKey>): ProjectAPIKey => ({
    id,
    object: 'organization.project.api_key',
    name: id.replace(/^key_/, ''),
    created_at: ago(20),
    last_used_at: ago(0),
    owner: user('dev@example.com'),
    owner_project_access: 'active',
    redacted_value: other(id.length),
    ...over,
  });
  const prod: ProjectAPIKey[] = [
    key('key_old', { created_at: ago(200), owner: user('ops@example.com'), redacted_value: other(1) }),
    key('key_idle', { created_at: ago(60), last_used_at: ago(45), redacted_value: other(2) }),
    key('key_orphan', { owner: user('left@example.com'), owner_project_access: 'inactive', redacted_value: other(3) }),
    key('key_gone_sa', {
      owner: { type: 'service_account', service_account: { id: 'sa_gone', created_at: ago(30), name: 'old-bot', role: 'member' } },
      redacted_value: other(4),
    }),
    key('key_spike', { created_at: ago(50), redacted_value: other(5) }),
    key('key_leak', { name: 'ci deploy', created_at: ago(30), last_used_at: ago(2), owner: user('ci@example.com'), redacted_value: openAiRedacted(leakedOpenAi) }),
    key('key_bot', { owner: { type: 'service_account', service_account: { id: 'sa_live', created_at: ago(30), name: 'bot', role: 'member' } }, redacted_value: other(6) }),
  ];
  const sandbox: ProjectAPIKey[] = [key('key_fine', { redacted_value: other(7) }), key('key_fine2', { redacted_value: other(8) }), key('key_fine3', { redacted_value: other(9) })];
  const adminKeys: AdminAPIKey[] = [
    { id: 'admin_key_1', object: 'organization.admin_api_key', name: 'audit', created_at: ago(400), expires_at: null, last_used_at: ago(0), redacted_value: 'sk-admin-ab...wxyz', owner: { id: 'user_ops', name: 'ops', type: 'user', role: 'owner' } },
  ];
  const usage: UsageCompletionsResponse.Data[] = [];
  const today = Math.floor(t / DAY) * DAY;
  for (let back = 34; back >= 0; back--) {
    const start = today - back * DAY;
    const results: UsageCompletionsResponse.Data['results'] = [
      { object: 'organization.usage.completions.result', api_key_id: 'key_spike', num_model_requests: back < 7 ? 100 : 10, input_tokens: 1000, output_tokens: 100 },
      { object: 'organization.usage.completions.result', api_key_id: 'key_leak', num_model_requests: 20, input_tokens: 500, output_tokens: 50 },
    ];
    usage.push({ object: 'bucket', start_time: start, end_time: start + DAY, results });
  }
  const openai: OpenAiOrg = {
    adminKey: `openai-admin-${seed}`,
    projects,
    keys: { proj_prod: prod, proj_sandbox: sandbox, proj_empty: [] },
    serviceAccounts: {
      proj_prod: [{ id: 'sa_live', object: 'organization.project.service_account', name: 'bot', role: 'member', created_at: ago(30) }],
    },
    adminKeys,
    usage,
  };

  const iso = (days: number): string => new Date((t - days * DAY) * 1000).toISOString();
  const workspace = (id: string, name: string): Workspace => ({
    id,
    type: 'workspace',
    name,
    created_at: iso(300),
    archived_at: null,
    compartment_id: 'comp_1',
    data_residency: { allowed_inference_geos: 'unrestricted', default_inference_geo: 'global', workspace_geo: 'us' },
    display_color: '#000000',
    external_key_id: null,
    tags: {},
    user_profile_id: null,
  });
  const antKey = (id: string, over: Partial<AnthropicKey>): AnthropicKey => ({
    id,
    type: 'api_key',
    name: id,
    created_at: iso(20),
    created_by: { id: 'user_dev', type: 'user' },
    expires_at: null,
    partial_key_hint: anthropicHint(sampleKey('anthropic-api-key', seed + 200 + id.length)),
    principal: null,
    scope: { type: 'workspace', workspace_id: 'wrkspc_prod' },
    status: 'active',
    ...over,
  });
  const anthropic: AnthropicOrg = {
    adminKey: `anthropic-admin-${seed}`,
    workspaces: [workspace('wrkspc_prod', 'Production'), workspace('wrkspc_dev', 'Dev')],
    apiKeys: [
      antKey('apikey_old', { created_at: iso(200) }),
      antKey('apikey_retired', { created_at: iso(400), status: 'inactive' }),
      antKey('apikey_new', { scope: { type: 'workspace', workspace_id: 'wrkspc_dev' } }),
      antKey('apikey_leak', { name: 'support bot', created_at: iso(40), partial_key_hint: anthropicHint(leakedAnthropic), created_by: { id: 'user_support', type: 'user' } }),
    ],
  };
  return { openai, anthropic, leaked: { openai: leakedOpenAi, anthropic: leakedAnthropic } };
}
