import { type FieldPath, describe, quote } from './errors.js';

/**
 * A small description language for the config file's shape. One description drives both the loader's
 * structural validation (`conform`) and the published JSON Schema (`toJsonSchema`), so the two cannot
 * disagree on keys, types, enums, ranges or patterns. What JSON Schema cannot say (regex safety, glob
 * syntax, rule ids that must exist, samples) is checked afterwards by the loader.
 */

interface Described {
  /** Shown by editors on hover and in the README's config reference. */
  description: string;
}

export interface StringSpec extends Described {
  kind: 'string';
  enum?: readonly string[];
  /** ECMAScript pattern (Unicode mode), anchored by the writer with ^ and $. */
  pattern?: string;
  minLength?: number;
  maxLength: number;
  /** Completes "expected ..." when the value does not fit. */
  expect?: string;
}

export interface IntegerSpec extends Described {
  kind: 'integer';
  minimum: number;
  maximum: number;
  default?: number;
  expect?: string;
}

export interface NumberSpec extends Described {
  kind: 'number';
  minimum: number;
  maximum: number;
}

export interface BooleanSpec extends Described {
  kind: 'boolean';
  default: boolean;
}

export interface ArraySpec<I extends Spec = Spec> extends Described {
  kind: 'array';
  items: I;
  minItems?: number;
  maxItems: number;
  uniqueItems?: boolean;
}

export interface ObjectSpec<F extends Record<string, Spec> = Record<string, Spec>, R extends string = string> extends Described {
  kind: 'object';
  fields: F;
  required: readonly R[];
}

/** A mapping with free keys (secret-name globs) whose order matters: conform returns its entries in order. */
export interface MapSpec<V extends Spec = Spec> extends Described {
  kind: 'map';
  keyPattern: string;
  keyExpect: string;
  values: V;
  maxEntries: number;
}

/** Alternatives told apart by the YAML type of the value (a number or a mapping, say). */
export interface UnionSpec<O extends readonly Spec[] = readonly Spec[]> extends Described {
  kind: 'union';
  options: O;
  expect: string;
}

export type Spec = StringSpec | IntegerSpec | NumberSpec | BooleanSpec | ArraySpec | ObjectSpec | MapSpec | UnionSpec;

/** The value `conform` returns for a spec: kebab-case keys as written, optional fields possibly absent. */
export type Infer<S> = S extends StringSpec
  ? string
  : S extends IntegerSpec | NumberSpec
    ? number
    : S extends BooleanSpec
      ? boolean
      : S extends ArraySpec<infer I>
        ? Array<Infer<I>>
        : S extends MapSpec<infer V>
          ? Array<[string, Infer<V>]>
          : S extends ObjectSpec<infer F, infer R>
            ? { [K in keyof F & R]: Infer<F[K]> } & { [K in Exclude<keyof F, R>]?: Infer<F[K]> }
            : S extends UnionSpec<infer O>
              ? Infer<O[number]>
              : never;

export function object<const F extends Record<string, Spec>>(description: string, fields: F): ObjectSpec<F, never>;
export function object<const F extends Record<string, Spec>, const R extends keyof F & string>(
  description: string,
  fields: F,
  required: readonly R[],
): ObjectSpec<F, R>;
export function object(description: string, fields: Record<string, Spec>, required: readonly string[] = []): ObjectSpec {
  return { kind: 'object', description, fields, required };
}

export function array<const I extends Spec>(description: string, items: I, limits: Omit<ArraySpec, 'kind' | 'items' | 'description'>): ArraySpec<I> {
  return { kind: 'array', description, items, ...limits };
}

export function string(description: string, constraints: Omit<StringSpec, 'kind' | 'description'>): StringSpec {
  return { kind: 'string', description, ...constraints };
}

export function integer(description: string, constraints: Omit<IntegerSpec, 'kind' | 'description'>): IntegerSpec {
  return { kind: 'integer', description, ...constraints };
}

export function number(description: string, constraints: Omit<NumberSpec, 'kind' | 'description'>): NumberSpec {
  return { kind: 'number', description, ...constraints };
}

export function boolean(description: string, defaultValue: boolean): BooleanSpec {
  return { kind: 'boolean', description, default: defaultValue };
}

export function map<const V extends Spec>(description: string, values: V, keys: Omit<MapSpec, 'kind' | 'values' | 'description'>): MapSpec<V> {
  return { kind: 'map', description, values, ...keys };
}

export function oneOf<const O extends readonly Spec[]>(description: string, expect: string, options: O): UnionSpec<O> {
  return { kind: 'union', description, expect, options };
}

/** What a value of this spec must be, phrased to follow "expected". */
export function expectation(spec: Spec): string {
  switch (spec.kind) {
    case 'string':
      if (spec.expect !== undefined) return spec.expect;
      if (spec.enum !== undefined) return `one of ${spec.enum.map((e) => `"${e}"`).join(', ')}`;
      return 'a non-empty string';
    case 'integer':
      if (spec.expect !== undefined) return spec.expect;
      return spec.minimum === spec.maximum ? `${spec.minimum}` : `a whole number from ${spec.minimum} to ${spec.maximum}`;
    case 'number':
      return `a number from ${spec.minimum} to ${spec.maximum}`;
    case 'boolean':
      return 'true or false';
    case 'array':
      return `a list of ${plural(expectation(spec.items))}`;
    case 'object':
      return `a mapping with the keys ${Object.keys(spec.fields).join(', ')}`;
    case 'map':
      return `a mapping of ${spec.keyExpect} to ${expectation(spec.values)}`;
    case 'union':
      return spec.expect;
  }
}

function plural(phrase: string): string {
  return phrase.replace(/^(a|an) /, 'items like: ');
}

export interface ConformContext {
  /**
   * Throws the config error for `path`. The line points at `at.path` (default `path`), at its key rather
   * than its value when `at.key` is set.
   */
  fail(path: FieldPath, expected: string, got: string | undefined, at?: { path: FieldPath; key: boolean }): never;
}

/**
 * Checks `value` (from YAML parsed with `mapAsMap`) against `spec` and returns it in plain form:
 * objects for object specs, ordered entries for map specs. A `null` field (a key with no value) counts
 * as absent, so commenting out every item of a section is not an error.
 */
export function conform<S extends Spec>(spec: S, value: unknown, path: FieldPath, ctx: ConformContext): Infer<S> {
  return conformAny(spec, value, path, ctx) as Infer<S>;
}

function conformAny(spec: Spec, value: unknown, path: FieldPath, ctx: ConformContext): unknown {
  switch (spec.kind) {
    case 'string': {
      if (typeof value !== 'string') return ctx.fail(path, expectation(spec), describe(value));
      const tooShort = value.length < (spec.minLength ?? 1);
      const tooLong = value.length > spec.maxLength;
      if (spec.enum !== undefined && !spec.enum.includes(value)) return ctx.fail(path, expectation(spec), describe(value));
      if (tooShort || (spec.pattern !== undefined && !new RegExp(spec.pattern, 'u').test(value))) {
        return ctx.fail(path, expectation(spec), describe(value));
      }
      if (tooLong) return ctx.fail(path, `at most ${spec.maxLength} characters`, `${value.length}`);
      return value;
    }
    case 'integer':
      if (typeof value !== 'number' || !Number.isInteger(value) || value < spec.minimum || value > spec.maximum) {
        return ctx.fail(path, expectation(spec), describe(value));
      }
      return value;
    case 'number':
      if (typeof value !== 'number' || !Number.isFinite(value) || value < spec.minimum || value > spec.maximum) {
        return ctx.fail(path, expectation(spec), describe(value));
      }
      return value;
    case 'boolean':
      if (typeof value !== 'boolean') return ctx.fail(path, expectation(spec), describe(value));
      return value;
    case 'array': {
      if (!Array.isArray(value)) return ctx.fail(path, 'a list', describe(value));
      if (value.length > spec.maxItems) return ctx.fail(path, `a list of at most ${spec.maxItems} items`, `${value.length}`);
      if (value.length < (spec.minItems ?? 0)) return ctx.fail(path, `a list of at least ${spec.minItems} item(s)`, value.length === 0 ? 'an empty list' : `${value.length}`);
      const out = value.map((item, i) => conformAny(spec.items, item, [...path, i], ctx));
      if (spec.uniqueItems === true) {
        const seen = new Set<string>();
        out.forEach((item, i) => {
          const key = JSON.stringify(item);
          if (seen.has(key)) ctx.fail([...path, i], 'a value not listed before', describe(item));
          seen.add(key);
        });
      }
      return out;
    }
    case 'object': {
      if (!(value instanceof Map)) return ctx.fail(path, 'a mapping', describe(value));
      const valid = Object.keys(spec.fields);
      const out: Record<string, unknown> = {};
      for (const [rawKey, item] of value as Map<unknown, unknown>) {
        const key = String(rawKey);
        const field = Object.hasOwn(spec.fields, key) ? spec.fields[key] : undefined;
        if (field === undefined) {
          const hint = closest(key, valid);
          ctx.fail(path, `only the keys ${valid.join(', ')}`, `unknown key ${quote(key)}${hint === undefined ? '' : ` (did you mean "${hint}"?)`}`, {
            path: [...path, key],
            key: true,
          });
        }
        if (item === null || item === undefined) continue;
        out[key] = conformAny(field, item, [...path, key], ctx);
      }
      for (const key of spec.required) {
        const field = spec.fields[key] as Spec;
        if (!(key in out)) ctx.fail([...path, key], `${expectation(field)} (required)`, 'nothing');
      }
      return out;
    }
    case 'map': {
      if (!(value instanceof Map)) return ctx.fail(path, 'a mapping', describe(value));
      if (value.size > spec.maxEntries) return ctx.fail(path, `a mapping of at most ${spec.maxEntries} entries`, `${value.size}`);
      const keyRe = new RegExp(spec.keyPattern, 'u');
      const out: Array<[string, unknown]> = [];
      for (const [rawKey, item] of value as Map<unknown, unknown>) {
        const key = String(rawKey);
        if (!keyRe.test(key)) ctx.fail([...path, key], spec.keyExpect, `the key ${quote(key)}`, { path: [...path, key], key: true });
        out.push([key, conformAny(spec.values, item, [...path, key], ctx)]);
      }
      return out;
    }
    case 'union': {
      const option = spec.options.find((o) => accepts(o, value));
      if (option === undefined) return ctx.fail(path, spec.expect, describe(value));
      return conformAny(option, value, path, ctx);
    }
  }
}

/** Whether a union option is meant for this kind of YAML value. */
function accepts(spec: Spec, value: unknown): boolean {
  switch (spec.kind) {
    case 'string':
      return typeof value === 'string';
    case 'integer':
    case 'number':
      return typeof value === 'number';
    case 'boolean':
      return typeof value === 'boolean';
    case 'array':
      return Array.isArray(value);
    case 'object':
    case 'map':
      return value instanceof Map;
    case 'union':
      return spec.options.some((o) => accepts(o, value));
  }
}

/** The valid name nearest to a misspelt one, when it is near enough to be a likely typo. */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const c of candidates) {
    const d = editDistance(word.toLowerCase(), c.toLowerCase());
    if (d < bestDistance) {
      bestDistance = d;
      best = c;
    }
  }
  return bestDistance <= Math.max(1, Math.floor(word.length / 3)) ? best : undefined;
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min((prev[j] as number) + 1, (row[j - 1] as number) + 1, (prev[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = row;
  }
  return prev[b.length] as number;
}

/** JSON Schema (draft-07, which editors' YAML plugins support best) for a spec. */
export function toJsonSchema(spec: Spec): Record<string, unknown> {
  switch (spec.kind) {
    case 'string':
      return clean({
        description: spec.description,
        type: 'string',
        enum: spec.enum,
        pattern: spec.pattern,
        minLength: spec.minLength ?? 1,
        maxLength: spec.maxLength,
      });
    case 'integer':
      return clean({ description: spec.description, type: 'integer', minimum: spec.minimum, maximum: spec.maximum, default: spec.default });
    case 'number':
      return { description: spec.description, type: 'number', minimum: spec.minimum, maximum: spec.maximum };
    case 'boolean':
      return { description: spec.description, type: 'boolean', default: spec.default };
    case 'array':
      return clean({
        description: spec.description,
        type: 'array',
        items: toJsonSchema(spec.items),
        minItems: spec.minItems,
        maxItems: spec.maxItems,
        uniqueItems: spec.uniqueItems,
      });
    case 'object':
      return clean({
        description: spec.description,
        type: 'object',
        properties: Object.fromEntries(
          Object.entries(spec.fields).map(([k, v]) => [k, spec.required.includes(k) ? toJsonSchema(v) : nullable(toJsonSchema(v))]),
        ),
        required: spec.required.length > 0 ? [...spec.required] : undefined,
        additionalProperties: false,
      });
    case 'map':
      return {
        description: spec.description,
        type: 'object',
        propertyNames: { pattern: spec.keyPattern },
        maxProperties: spec.maxEntries,
        additionalProperties: toJsonSchema(spec.values),
      };
    case 'union':
      return { description: spec.description, oneOf: spec.options.map((o) => { const { description: _d, ...rest } = toJsonSchema(o); return rest; }) };
  }
}

/** A key written with no value parses as null and counts as absent; the schema must allow it too. */
function nullable(schema: Record<string, unknown>): Record<string, unknown> {
  if (Array.isArray(schema['type'])) return schema;
  if (Array.isArray(schema['enum'])) return { ...schema, type: [schema['type'], 'null'], enum: [...(schema['enum'] as unknown[]), null] };
  if (typeof schema['type'] === 'string') return { ...schema, type: [schema['type'], 'null'] };
  return { ...schema, oneOf: [...(schema['oneOf'] as unknown[]), { type: 'null' }] };
}

function clean(o: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
}
