import { CONFIG_SPEC } from './config-spec.js';
import { toJsonSchema } from './spec.js';

/**
 * The JSON Schema published at schema/key-hygiene.schema.json, generated from the same description the
 * loader validates with. A test fails when the committed file differs from this.
 */
export function configJsonSchema(): Record<string, unknown> {
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    title: 'key-hygiene configuration',
    ...toJsonSchema(CONFIG_SPEC),
  };
}
