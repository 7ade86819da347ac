/** The config file: shape, loading, errors and the pattern-safety check. */
export { CONFIG_SPEC } from './config-spec.js';
export { ConfigError, formatPath, quote } from './errors.js';
export { buildEngine, globMatcher, loadConfig, parseConfig, secretNameMatcher, type ParseOptions } from './load.js';
export { rotationPolicy } from './rotation-policy.js';
export {
  MAX_QUANTIFIER_BOUND,
  checkPatternStructure,
  isPatternProblem,
  type PatternProblem,
  type PatternShape,
} from './safe-pattern.js';
export { configJsonSchema } from './json-schema.js';
export * from './types.js';
