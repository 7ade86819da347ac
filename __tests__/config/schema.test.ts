import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { configJsonSchema } from '../../src/config/json-schema.js';
import { parseConfig } from '../../src/config/load.js';

/**
 * The schema and the loader come from one description (src/config/config-spec.ts). These tests hold
 * the committed file to the generated one and check, with a minimal validator for the keywords the
 * generator emits, that the schema accepts and refuses the same documents as the loader's structural
 * checks. Regenerate the file with: KH_WRITE_SCHEMA=1 npx vitest run __tests__/config/schema.test.ts
 */

const SCHEMA_PATH = new URL('../../schema/key-hygiene.schema.json', import.meta.url);
const FILE = '.github/key-hygiene.yml';

type Schema = Record<string, unknown>;

const SUPPORTED = new Set([
  '$schema', 'title', 'description', 'default', 'type', 'properties', 'additionalProperties', 'required', 'enum',
  'pattern', 'minimum', 'maximum', 'minLength', 'maxLength', 'items', 'minItems', 'maxItems', 'uniqueItems',
  'oneOf', 'propertyNames', 'maxProperties',
]);

/** Errors for `value` against `schema`, for the subset of draft-07 listed in SUPPORTED. */
function validate(schema: Schema, value: unknown, at = '$'): string[] {
  const errors: string[] = [];
  const type = schema['type'];
  if (type !== undefined) {
    const types = Array.isArray(type) ? (type as string[]) : [type as string];
    if (!types.some((t) => hasType(t, value))) return [`${at}: not ${types.join('|')}`];
  }
  if (Array.isArray(schema['enum']) && !(schema['enum'] as unknown[]).includes(value)) errors.push(`${at}: not in enum`);
  if (typeof value === 'string') {
    if (typeof schema['pattern'] === 'string' && !new RegExp(schema['pattern'], 'u').test(value)) errors.push(`${at}: pattern`);
    if (typeof schema['minLength'] === 'number' && [...value].length < schema['minLength']) errors.push(`${at}: minLength`);
    if (typeof schema['maxLength'] === 'number' && [...value].length > schema['maxLength']) errors.push(`${at}: maxLength`);
  }
  if (typeof value === 'number') {
    if (typeof schema['minimum'] === 'number' && value < schema['minimum']) errors.push(`${at}: minimum`);
    if (typeof schema['maximum'] === 'number' && value > schema['maximum']) errors.push(`${at}: maximum`);
  }
  if (Array.isArray(value)) {
    if (typeof schema['minItems'] === 'number' && value.length < schema['minItems']) errors.push(`${at}: minItems`);
    if (typeof schema['maxItems'] === 'number' && value.length > schema['maxItems']) errors.push(`${at}: maxItems`);
    if (schema['uniqueItems'] === true && new Set(value.map((v) => JSON.stringify(v))).size !== value.length) errors.push(`${at}: uniqueItems`);
    if (schema['items'] !== undefined) value.forEach((v, i) => errors.push(...validate(schema['items'] as Schema, v, `${at}[${i}]`)));
  }
  if (isObject(value)) {
    const properties = (schema['properties'] ?? {}) as Record<string, Schema>;
    for (const key of (schema['required'] ?? []) as string[]) if (!(key in value)) errors.push(`${at}: required ${key}`);
    if (typeof schema['maxProperties'] === 'number' && Object.keys(value).length > schema['maxProperties']) errors.push(`${at}: maxProperties`);
    for (const [key, v] of Object.entries(value)) {
      if (schema['propertyNames'] !== undefined) errors.push(...validate(schema['propertyNames'] as Schema, key, `${at}.${key} (name)`));
      const sub = properties[key] ?? schema['additionalProperties'];
      if (sub === false) errors.push(`${at}: additional property ${key}`);
      else if (isObject(sub)) errors.push(...validate(sub, v, `${at}.${key}`));
    }
  }
  if (Array.isArray(schema['oneOf'])) {
    const passing = (schema['oneOf'] as Schema[]).filter((s) => validate(s, value, at).length === 0).length;
    if (passing !== 1) errors.push(`${at}: oneOf matched ${passing}`);
  }
  return errors;
}

function hasType(type: string, value: unknown): boolean {
  switch (type) {
    case 'null':
      return value === null;
    case 'integer':
      return Number.isInteger(value);
    case 'number':
      return typeof value === 'number';
    case 'array':
      return Array.isArray(value);
    case 'object':
      return isObject(value);
    default:
      return typeof value === type;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function keywordsUsed(node: unknown, out = new Set<string>()): Set<string> {
  if (Array.isArray(node)) node.forEach((n) => keywordsUsed(n, out));
  else if (isObject(node)) {
    for (const [key, value] of Object.entries(node)) {
      out.add(key);
      if (key === 'properties') Object.values(value as object).forEach((v) => keywordsUsed(v, out));
      else if (key !== 'enum' && key !== 'default' && key !== 'required') keywordsUsed(value, out);
    }
  }
  return out;
}

const schema = configJsonSchema();

describe('schema/key-hygiene.schema.json', () => {
  it('is the schema generated from the config description', () => {
    const generated = `${JSON.stringify(schema, null, 2)}\n`;
    if (process.env['KH_WRITE_SCHEMA'] === '1') writeFileSync(SCHEMA_PATH, generated);
    expect(readFileSync(SCHEMA_PATH, 'utf8')).toBe(generated);
  });

  it('uses only keywords the agreement validator below understands', () => {
    expect([...keywordsUsed(schema)].filter((k) => !SUPPORTED.has(k))).toEqual([]);
  });

  // Documents both must accept.
  const good = [
    '',
    'version: 1\n',
    'paths:\n  ignore: ["**/fixtures/**", "*.pem"]\n  use-defaults: false\n',
    'rules:\n  disable: [github-pat]\n  custom:\n    - id: acme-token\n      keywords: [acme_]\n      pattern: "acme_[a-z0-9]{32}"\n      secret-group: 0\n      severity: low\n',
    'rules:\n  custom:\n    - id: acme-token\n      keywords: [acme_]\n      pattern: "acme_(?<k>[a-z0-9]{32})"\n      secret-group: k\n      remediation: { text: rotate }\n',
    'allow:\n  values: ["^test_"]\n  fingerprints: ["0123456789abcdef0123456789abcdef"]\n',
    'rotation:\n  max-age-days: 90\n  warn-days: 0\n  scopes: { actions: 1 }\n  secrets:\n    "DEPLOY_*": 30\n    OLD: { exempt: vendor }\n    "PROD_*": { max-age-days: 3, scope: environment }\n',
    'verify:\n  providers: [openai]\n  allow-forks: true\n',
    'rotation:\n  provider-keys:\n    max-age-days: 180\n    openai: 90\n    projects: { "prod-*": 30 }\n    unused-days: 45\n    spike-factor: 2.5\n',
    'paths:\nrules:\n  disable:\n',
  ];

  // Documents both must refuse: every structural rule the schema can express.
  const bad = [
    'version: 2\n',
    'rotation:\n  provider-keys:\n    spike-factor: 0.5\n',
    'rotation:\n  provider-keys:\n    unused-days: 0\n',
    'rotation:\n  provider-keys:\n    mistral: 30\n',
    'unknown: 1\n',
    'paths:\n  ignore: "**/x/**"\n',
    'paths:\n  ignore: ["/abs/**"]\n',
    'paths:\n  ignore: [""]\n',
    'paths:\n  use-defaults: "no"\n',
    'rules:\n  disable: [Not_Kebab]\n',
    'rules:\n  disable: [a, a]\n',
    'rules:\n  custom:\n    - id: acme\n      pattern: "acme_[a-z]{4}"\n',
    'rules:\n  custom:\n    - id: acme\n      keywords: [ACME_]\n      pattern: "ACME_[a-z]{4}"\n',
    'rules:\n  custom:\n    - id: acme\n      keywords: [acme_]\n      pattern: "acme_[a-z]{4}"\n      severity: urgent\n',
    'rules:\n  custom:\n    - id: acme\n      keywords: [acme_]\n      pattern: "acme_[a-z]{4}"\n      min-entropy: 9\n',
    'rules:\n  custom:\n    - id: acme\n      keywords: [acme_]\n      pattern: "acme_[a-z]{4}"\n      remediation: { url: "https://x.invalid" }\n',
    'rules:\n  custom:\n    - id: acme\n      keywords: [acme_]\n      pattern: "acme_[a-z]{4}"\n      extra: 1\n',
    'allow:\n  fingerprints: [abc]\n',
    'rotation:\n  max-age-days: 0\n',
    'rotation:\n  max-age-days: 1.5\n',
    'rotation:\n  warn-days: -1\n',
    'rotation:\n  scopes: { repo: 3 }\n',
    'rotation:\n  secrets:\n    "A B": 3\n',
    'rotation:\n  secrets:\n    OLD: { exempt: "" }\n',
    'rotation:\n  secrets:\n    OLD: "30"\n',
    'rotation:\n  secrets:\n    OLD:\n',
    'rotation:\n  codespaces: 1\n',
    'verify:\n  providers: [Open AI]\n',
  ];

  const loaderAccepts = (text: string) => {
    try {
      parseConfig(text, FILE);
      return true;
    } catch {
      return false;
    }
  };

  it.each(good)('schema and loader both accept %j', (text) => {
    expect(validate(schema, parse(text) ?? {})).toEqual([]);
    expect(loaderAccepts(text)).toBe(true);
  });

  it.each(bad)('schema and loader both refuse %j', (text) => {
    expect(validate(schema, parse(text) ?? {})).not.toEqual([]);
    expect(loaderAccepts(text)).toBe(false);
  });

  // What JSON Schema cannot say stays with the loader alone: pattern safety, glob syntax, rule ids that
  // must exist, duplicate custom ids, keywords that must start the pattern.
  it.each([
    'rules:\n  disable: [no-such-rule]\n',
    'paths:\n  ignore: ["src/[abc"]\n',
    'rules:\n  custom:\n    - id: acme\n      keywords: [beta_]\n      pattern: "acme_[a-z]{4}"\n',
  ])('only the loader refuses %j', (text) => {
    expect(validate(schema, parse(text))).toEqual([]);
    expect(loaderAccepts(text)).toBe(false);
  });
});
