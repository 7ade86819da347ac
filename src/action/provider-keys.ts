import { assessKeys, describeMatch, matchLeak, type KeyPolicy } from '../inventory/assess.js';
import type { InventoryKey, InventoryProvider, ProviderInventory } from '../inventory/types.js';
import { AdminApiError, type AdminApi } from '../providers/admin-http.js';
import { anthropicAdmin, deactivateAnthropicKey, readAnthropicInventory } from '../providers/anthropic-admin.js';
import { deleteOpenAiKey, openAiAdmin, readOpenAiInventory } from '../providers/openai-admin.js';
import type { ProviderKeysReport } from '../report/model.js';
import { secretOf } from '../scan/engine.js';
import type { Finding } from '../scan/types.js';
import { checkFor } from '../verify/checks.js';
import type { Transport } from '../verify/types.js';

/**
 * The provider key inventory in the action: reads OpenAI's and Anthropic's admin APIs with the admin
 * keys given as inputs, judges the keys (src/inventory), names leaked keys and, when asked, revokes them.
 */

export interface ProviderKeysDeps {
  openaiAdminKey: string;
  anthropicAdminKey: string;
  /** `fetch` in production; tests pass one that reaches local fakes. The host guard applies either way. */
  transport: Transport;
  sleep?: (ms: number) => Promise<void>;
  log: { info(message: string): void; warning(message: string): void };
}

/** One provider's admin API handle and what reading it gave. */
export interface ReadInventory {
  provider: InventoryProvider;
  api: AdminApi;
  inventory: ProviderInventory;
  /** Set when the inventory could not be read at all. */
  failed?: string;
}

/** Whether any admin key was given. */
export function wantsInventory(deps: Pick<ProviderKeysDeps, 'openaiAdminKey' | 'anthropicAdminKey'>): boolean {
  return deps.openaiAdminKey !== '' || deps.anthropicAdminKey !== '';
}

/**
 * Reads each provider whose admin key was given. With `usage`, OpenAI's usage per key too (the weekly
 * audit; a pull request run only needs the key list to name a leak). A provider that refuses is a
 * problem line naming the missing permission; it never fails the run.
 */
export async function readInventories(
  deps: ProviderKeysDeps,
  options: { now: Date; usage: boolean; only?: ReadonlySet<InventoryProvider> },
): Promise<ReadInventory[]> {
  const common = { transport: deps.transport, ...(deps.sleep !== undefined ? { sleep: deps.sleep } : {}) };
  const wanted = (p: InventoryProvider): boolean => options.only === undefined || options.only.has(p);
  const results: ReadInventory[] = [];
  if (deps.openaiAdminKey !== '' && wanted('openai')) {
    const api = openAiAdmin(deps.openaiAdminKey, common);
    results.push(await attempt('openai', api, () => readOpenAiInventory(api, { now: options.now, usage: options.usage })));
  }
  if (deps.anthropicAdminKey !== '' && wanted('anthropic')) {
    const api = anthropicAdmin(deps.anthropicAdminKey, common);
    results.push(await attempt('anthropic', api, () => readAnthropicInventory(api)));
  }
  for (const r of results) {
    if (r.failed !== undefined) deps.log.warning(`Provider keys: ${r.failed}`);
    for (const p of r.inventory.problems) deps.log.warning(`Provider keys: ${p}`);
    if (r.failed === undefined) deps.log.info(`Provider keys: read ${r.inventory.keys.length} ${r.api.name} key(s).`);
  }
  return results;
}

async function attempt(provider: InventoryProvider, api: AdminApi, read: () => Promise<ProviderInventory>): Promise<ReadInventory> {
  try {
    return { provider, api, inventory: await read() };
  } catch (error) {
    if (!(error instanceof AdminApiError)) throw error;
    return { provider, api, inventory: { provider, keys: [], problems: [], usageRead: false }, failed: error.message };
  }
}

/** The report section: flagged keys and admin keys, most urgent first. */
export function providerKeysReport(read: readonly ReadInventory[], policy: KeyPolicy, now: Date): ProviderKeysReport {
  const keys = read.flatMap((r) => r.inventory.keys);
  return {
    providers: read.map((r) => ({
      provider: r.provider,
      keys: r.inventory.keys.length,
      usageRead: r.inventory.usageRead,
      problems: r.failed !== undefined ? [r.failed, ...r.inventory.problems] : [...r.inventory.problems],
    })),
    keys: assessKeys(keys, policy, now).filter((a) => a.flags.length > 0),
    unusedDays: policy.unusedDays,
    spikeFactor: policy.spikeFactor,
  };
}

/** The inventory provider a finding's rule belongs to, if any. */
export function inventoryProviderOf(finding: Finding): InventoryProvider | undefined {
  const provider = checkFor(finding.ruleId)?.provider;
  return provider === 'openai' || provider === 'anthropic' ? provider : undefined;
}

/**
 * Matches each OpenAI or Anthropic finding with the inventory by the visible ends of the keys' redacted
 * forms. With `describe`, a match adds a note naming the key (project, name, owner, dates). Returns the
 * matched inventory key for each finding that has exactly one.
 */
export function linkLeaks(findings: readonly Finding[], read: readonly ReadInventory[], describe: boolean): Map<Finding, { key: InventoryKey; api: AdminApi }> {
  const linked = new Map<Finding, { key: InventoryKey; api: AdminApi }>();
  for (const finding of findings) {
    const provider = inventoryProviderOf(finding);
    const secret = secretOf(finding);
    const source = read.find((r) => r.provider === provider && r.failed === undefined);
    if (provider === undefined || secret === undefined || source === undefined) continue;
    const match = matchLeak(secret, provider, source.inventory.keys);
    if (match === undefined) continue;
    if ('ambiguous' in match) {
      if (describe) addNote(finding, `Its visible ends match ${match.ambiguous} keys in the ${source.api.name} inventory: check which one before revoking.`);
      continue;
    }
    linked.set(finding, { key: match.key, api: source.api });
    if (describe) addNote(finding, describeMatch(match.key));
  }
  return linked;
}

/**
 * `revoke-leaked`: revokes each linked key at its provider (OpenAI: delete the project key; Anthropic:
 * set it inactive). Admin keys and keys already inactive are left to a person. Every outcome is a note
 * on the finding and a log line; a failure is reported and the finding stays.
 */
export async function revokeLinked(linked: ReadonlyMap<Finding, { key: InventoryKey; api: AdminApi }>, log: ProviderKeysDeps['log']): Promise<number> {
  let revoked = 0;
  const done = new Map<string, string>();
  for (const [finding, { key, api }] of linked) {
    const id = `${key.provider}:${key.id}`;
    const earlier = done.get(id);
    if (earlier !== undefined) {
      addNote(finding, earlier);
      continue;
    }
    let note: string;
    if (key.kind === 'admin') {
      note = `Not revoked automatically: ${api.name} admin keys are revoked by hand, in the organization settings.`;
    } else if (key.status !== 'active') {
      note = `Not revoked: ${api.name} already lists this key as ${key.status}.`;
    } else {
      try {
        if (key.provider === 'openai') await deleteOpenAiKey(api, key.project?.id ?? '', key.id);
        else await deactivateAnthropicKey(api, key.id);
        revoked++;
        note = `Revoked by key-hygiene (revoke-leaked): ${api.name} ${key.provider === 'openai' ? 'deleted' : 'deactivated'} key ${key.id}. Replace it where it is used.`;
        log.info(`revoke-leaked: ${api.name} key ${key.id} ${key.provider === 'openai' ? 'deleted' : 'deactivated'}.`);
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        note = `revoke-leaked failed, revoke it by hand: ${message}`;
        log.warning(`revoke-leaked: could not revoke ${api.name} key ${key.id}: ${message}`);
      }
    }
    done.set(id, note);
    addNote(finding, note);
  }
  return revoked;
}

function addNote(finding: Finding, note: string): void {
  finding.notes = [...(finding.notes ?? []), note];
}
