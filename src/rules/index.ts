import type { Rule } from '../scan/types.js';
import { githubRules } from './github.js';

/**
 * The built-in catalogue, one module per provider family. Order matters only for ties between two
 * specific rules on the same span: earlier wins.
 */
export const BUILTIN_RULES: readonly Rule[] = [...githubRules];
