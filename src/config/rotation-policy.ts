import type { RotationPolicy, SecretRule } from '../rotation/policy.js';
import type { KeyPolicy } from '../inventory/assess.js';
import type { RotationConfig } from './types.js';

/**
 * The rotation policy a config asks for, in the shape `assessSecrets` takes. `inputMaxAgeDays` is the
 * action's input; the config's `rotation.max-age-days` overrides it when set. Scopes and per-secret
 * entries (first match wins) override both inside `assessSecret`.
 */
export function rotationPolicy(rotation: RotationConfig, inputMaxAgeDays: number): RotationPolicy {
  const secrets = rotation.secrets.map((policy): SecretRule => {
    const rule: SecretRule = { pattern: policy.name };
    if (policy.scope !== undefined) rule.scope = policy.scope;
    if ('exempt' in policy) rule.exempt = policy.exempt;
    else rule.maxAgeDays = policy.maxAgeDays;
    return rule;
  });
  return { maxAgeDays: rotation.maxAgeDays ?? inputMaxAgeDays, warnDays: rotation.warnDays, scopes: { ...rotation.scopes }, secrets };
}

/**
 * The policy for provider keys read through an admin key: `rotation.provider-keys`, whose default
 * maximum age falls back to the secrets' (config `rotation.max-age-days`, else the input).
 */
export function providerKeyPolicy(rotation: RotationConfig, inputMaxAgeDays: number): KeyPolicy {
  const pk = rotation.providerKeys;
  return {
    maxAgeDays: pk.maxAgeDays ?? rotation.maxAgeDays ?? inputMaxAgeDays,
    providers: { ...pk.providers },
    projects: [...pk.projects],
    unusedDays: pk.unusedDays,
    spikeFactor: pk.spikeFactor,
  };
}
