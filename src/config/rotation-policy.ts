import type { SecretScope } from '../report/model.js';
import { secretNameMatcher } from './load.js';
import type { RotationConfig } from './types.js';

export type ResolvedPolicy =
  | { maxAgeDays: number; warnDays: number; exempt?: undefined }
  | { exempt: string; maxAgeDays?: undefined };

/**
 * The policy for one secret, most specific first: the first `rotation.secrets` entry whose name glob
 * (and scope, if it gives one) matches; else the scope's age; else `rotation.max-age-days`; else the
 * action input `fallbackMaxAgeDays`.
 */
export function rotationPolicyFor(
  rotation: RotationConfig,
  secret: { name: string; scope: SecretScope },
  fallbackMaxAgeDays: number,
): ResolvedPolicy {
  for (const policy of rotation.secrets) {
    if (policy.scope !== undefined && policy.scope !== secret.scope) continue;
    if (!secretNameMatcher(policy.name)(secret.name)) continue;
    if ('exempt' in policy) return { exempt: policy.exempt };
    return { maxAgeDays: policy.maxAgeDays, warnDays: rotation.warnDays };
  }
  const maxAgeDays = rotation.scopes[secret.scope] ?? rotation.maxAgeDays ?? fallbackMaxAgeDays;
  return { maxAgeDays, warnDays: rotation.warnDays };
}
