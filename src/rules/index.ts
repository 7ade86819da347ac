import type { FindingPair } from '../scan/pairing.js';
import type { Rule } from '../scan/types.js';
import { aiRules } from './ai.js';
import { CLOUD_PAIRS, cloudRules } from './cloud.js';
import { connectionStringRules } from './connection-strings.js';
import { containerRules } from './containers.js';
import { genericRulesFor } from './generic.js';
import { githubRules } from './github.js';
import { messagingRules } from './messaging.js';
import { mlPlatformRules } from './ml-platforms.js';
import { observabilityRules } from './observability.js';
import { productivityRules } from './productivity.js';
import { platformRules } from './platforms.js';
import { identityRules } from './identity.js';
import { emailRules } from './email.js';
import { devopsRules } from './devops.js';
import { dataRules } from './data.js';
import { commerceRules } from './commerce.js';
import { packageRules } from './packages.js';
import { paymentRules } from './payment.js';
import { privateKeyRules } from './private-keys.js';
import { saasRules } from './saas.js';
import { scmRules } from './scm.js';
import { transportRules } from './transport.js';
import { serviceRules } from './services.js';

/**
 * The built-in catalogue, one module per provider family. Order matters only for ties between two
 * specific rules on the same span (earlier wins); the generic rules go last and yield to all others.
 */
const SPECIFIC_RULES: readonly Rule[] = [
  ...githubRules,
  ...scmRules,
  ...aiRules,
  ...mlPlatformRules,
  ...cloudRules,
  ...paymentRules,
  ...messagingRules,
  ...packageRules,
  ...saasRules,
  ...privateKeyRules,
  ...connectionStringRules,
  ...observabilityRules,
  ...devopsRules,
  ...platformRules,
  ...dataRules,
  ...emailRules,
  ...identityRules,
  ...commerceRules,
  ...productivityRules,
  ...serviceRules,
  ...transportRules,
  ...containerRules,
];

export const BUILTIN_RULES: readonly Rule[] = [...SPECIFIC_RULES, ...genericRulesFor(SPECIFIC_RULES)];

/** Rules whose findings near each other make one working credential; the engine notes and raises both. */
export const BUILTIN_PAIRS: readonly FindingPair[] = [...CLOUD_PAIRS];
