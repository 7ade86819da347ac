import { BUILTIN_RULES } from '../../src/rules/index.js';
import { Engine } from '../../src/scan/engine.js';
import type { Finding, Rule, SampleGen } from '../../src/scan/types.js';
import { checkMatches } from '../../src/verify/checks.js';
import type { KeyCheck } from '../../src/verify/types.js';

/**
 * Keys for the verifier tests, generated at test time from each rule's own sample generator and found by
 * the real engine (the only way a finding gets a raw value behind it).
 */

export const engine = new Engine(BUILTIN_RULES);

function rule(id: string): Rule {
  const found = BUILTIN_RULES.find((r) => r.id === id);
  if (found === undefined) throw new Error(`no rule ${id} in the catalogue`);
  return found;
}

/** Every catalogue rule a check tests; throws when a check names a rule the catalogue lacks. */
export function rulesFor(check: KeyCheck): Rule[] {
  const rules = check.rules.map(rule);
  for (const r of rules) if (!checkMatches(check, r.id)) throw new Error(r.id);
  return rules;
}

export const awsIdRule = rule('aws-access-key-id');
export const awsSecretRule = rule('aws-secret-access-key');

/** A long-term AWS key id from the rule's sample: the rule also makes temporary (ASIA...) ids, which cannot be checked. */
export function longTermAwsId(gen: SampleGen): string {
  return 'AK' + 'IA' + awsIdRule.samples.secret(gen).slice(4);
}

/** Findings for `name=value` lines in one file, as the engine makes them. */
export function scanFile(path: string, lines: Array<[name: string, value: string]>): Finding[] {
  const text = lines.map(([n, v]) => `${n}=${v}`).join('\n') + '\n';
  return engine.scan({ path, text, source: 'added' });
}

/** A finding of `rule` for a fresh key; returns the key too. */
export function keyFinding(r: Rule, gen: SampleGen, path = 'config/.env', key = r.samples.secret(gen)): { key: string; finding: Finding } {
  const found = scanFile(path, [[r.samples.name ?? 'API_TOKEN', key]]).filter((f) => f.ruleId === r.id);
  if (found.length !== 1 || found[0] === undefined) throw new Error(`the engine did not report one ${r.id} finding for its sample`);
  return { key, finding: found[0] };
}

/** An AWS key id and secret on adjacent lines of one file; both findings. */
export function awsPair(gen: SampleGen, path: string, id = longTermAwsId(gen), secret = awsSecretRule.samples.secret(gen)): { id: string; secret: string; found: Finding[] } {
  const found = scanFile(path, [
    [awsIdRule.samples.name ?? 'AWS_ACCESS_KEY_ID', id],
    [awsSecretRule.samples.name ?? 'AWS_SECRET_ACCESS_KEY', secret],
  ]);
  if (found.map((f) => f.ruleId).join() !== `${awsIdRule.id},${awsSecretRule.id}`) throw new Error('the engine did not report the AWS pair');
  return { id, secret, found };
}
