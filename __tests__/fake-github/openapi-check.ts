/**
 * Checks recorded requests against GitHub's own REST description (`@octokit/openapi`, the
 * api.github.com document), so integration tests catch a request the fake tolerates but GitHub
 * would reject: a wrong path, a missing required parameter, a body field of the wrong type or enum.
 *
 * The 13 MB document is read on first use and kept for the process; `$ref`s are resolved on demand.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

/** The part of a recorded request the checker reads. `RecordedRequest` from the fake fits. */
export interface CheckedRequest {
  method: string;
  path: string;
  query?: Record<string, string>;
  body?: unknown;
}

export interface Violation {
  /** Index of the request in the list passed in. */
  index: number;
  method: string;
  path: string;
  /** The matched operation, e.g. `checks/create`; absent when none matched. */
  operationId?: string;
  message: string;
}

interface Schema {
  $ref?: string;
  type?: string;
  enum?: unknown[];
  nullable?: boolean;
  properties?: Record<string, Schema>;
  additionalProperties?: boolean | Schema;
  required?: string[];
  items?: Schema;
  oneOf?: Schema[];
  anyOf?: Schema[];
  allOf?: Schema[];
  maxItems?: number;
  minItems?: number;
  maxLength?: number;
}

interface Parameter {
  $ref?: string;
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required?: boolean;
  schema?: Schema;
}

interface Operation {
  operationId?: string;
  parameters?: Parameter[];
  requestBody?: { $ref?: string; required?: boolean; content?: Record<string, { schema?: Schema }> };
}

interface Document {
  paths: Record<string, Record<string, Operation | Parameter[]>>;
  components: Record<string, Record<string, unknown>>;
}

interface CompiledOperation {
  method: string;
  template: string;
  regex: RegExp;
  paramNames: string[];
  literalSegments: number;
  op: Operation;
}

let compiled: { doc: Document; ops: CompiledOperation[] } | undefined;

/** GitHub's REST description, parsed once per process. */
function load(): { doc: Document; ops: CompiledOperation[] } {
  if (compiled !== undefined) return compiled;
  const require = createRequire(import.meta.url);
  const file = require.resolve('@octokit/openapi/generated/api.github.com.json');
  const doc = JSON.parse(readFileSync(file, 'utf8')) as Document;
  const ops: CompiledOperation[] = [];
  for (const [template, item] of Object.entries(doc.paths)) {
    const segments = template.split('/').slice(1);
    const paramNames: string[] = [];
    const source = segments
      .map((seg, i) =>
        seg.split(/(\{[^}]+\})/).map((part) => {
          const name = /^\{([^}]+)\}$/.exec(part)?.[1];
          if (name === undefined) return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
          paramNames.push(name);
          // A file path or a ref at the end of a route may itself contain slashes.
          return i === segments.length - 1 && (name === 'path' || name === 'ref') ? '(.+)' : '([^/]+)';
        }).join(''),
      )
      .join('/');
    const literalSegments = segments.filter((s) => !s.includes('{')).length;
    for (const [method, op] of Object.entries(item)) {
      if (method === 'parameters' || Array.isArray(op)) continue;
      ops.push({ method: method.toUpperCase(), template, regex: new RegExp(`^/${source}/?$`), paramNames, literalSegments, op });
    }
  }
  compiled = { doc, ops };
  return compiled;
}

function deref<T extends { $ref?: string }>(doc: Document, value: T): T {
  let current: unknown = value;
  for (let guard = 0; guard < 20; guard++) {
    const ref = (current as { $ref?: string } | undefined)?.$ref;
    if (ref === undefined) return current as T;
    current = ref
      .slice(2)
      .split('/')
      .reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], doc);
  }
  return current as T;
}

/**
 * Matches each request to a GitHub REST operation (method + templated path) and checks that the
 * operation exists, that required path/query/body parameters are present, and that parameter and
 * body values have the documented types, enum values and size limits. Unknown body properties are
 * reported too: GitHub ignores them, so they usually mean a misspelt field.
 */
export function checkAgainstOpenApi(requests: readonly CheckedRequest[]): Violation[] {
  const { doc, ops } = load();
  const violations: Violation[] = [];
  requests.forEach((req, index) => {
    const method = req.method.toUpperCase();
    const path = req.path.split('?')[0] ?? req.path;
    const report = (message: string, operationId?: string): void => {
      violations.push({ index, method, path, ...(operationId === undefined ? {} : { operationId }), message });
    };
    const candidates = ops
      .filter((o) => o.method === method && o.regex.test(path))
      // The most literal template wins (`/issues/comments` over `/issues/{issue_number}`), then the one with fewer parameters.
      .sort((a, b) => b.literalSegments - a.literalSegments || a.paramNames.length - b.paramNames.length);
    const match = candidates[0];
    if (match === undefined) {
      report(`no GitHub REST operation ${method} ${path}`);
      return;
    }
    const id = match.op.operationId;
    const values = match.regex.exec(path)?.slice(1) ?? [];
    const pathValues = Object.fromEntries(match.paramNames.map((n, i) => [n, values[i] ?? '']));
    for (const raw of match.op.parameters ?? []) {
      const param = deref(doc, raw);
      if (param.in !== 'path' && param.in !== 'query') continue;
      const value = param.in === 'path' ? pathValues[param.name] : req.query?.[param.name];
      if (value === undefined) {
        if (param.required === true) report(`missing required ${param.in} parameter "${param.name}"`, id);
        continue;
      }
      if (param.schema !== undefined) {
        for (const problem of checkScalarString(value, deref(doc, param.schema))) report(`${param.in} parameter "${param.name}": ${problem}`, id);
      }
    }
    const requestBody = match.op.requestBody === undefined ? undefined : deref(doc, match.op.requestBody);
    const schema = requestBody?.content?.['application/json']?.schema;
    const hasBody = req.body !== undefined && req.body !== '';
    if (requestBody?.required === true && !hasBody) {
      report('missing required request body', id);
      return;
    }
    if (schema !== undefined && hasBody) {
      for (const problem of checkValue(doc, req.body, schema, 'body')) report(problem, id);
    }
  });
  return violations;
}

/** Query and path values arrive as strings; check they read as the documented type. */
function checkScalarString(value: string, schema: Schema): string[] {
  const problems: string[] = [];
  if (schema.type === 'integer' && !/^-?\d+$/.test(value)) problems.push(`expected an integer, got "${value}"`);
  if (schema.type === 'number' && !Number.isFinite(Number(value))) problems.push(`expected a number, got "${value}"`);
  if (schema.type === 'boolean' && value !== 'true' && value !== 'false') problems.push(`expected true or false, got "${value}"`);
  if (schema.enum !== undefined && !schema.enum.map(String).includes(value)) problems.push(`"${value}" is not one of ${schema.enum.join(', ')}`);
  return problems;
}

function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

function checkValue(doc: Document, value: unknown, raw: Schema, where: string): string[] {
  const schema = deref(doc, raw);
  if (value === null && schema.nullable === true) return [];
  for (const alternatives of [schema.oneOf, schema.anyOf]) {
    if (alternatives === undefined) continue;
    const results = alternatives.map((alt) => checkValue(doc, value, alt, where));
    if (!results.some((r) => r.length === 0)) {
      return [`${where}: matches none of the allowed shapes (${results.map((r) => r[0] ?? '').join('; ')})`];
    }
  }
  const problems: string[] = [];
  for (const part of schema.allOf ?? []) problems.push(...checkValue(doc, value, part, where));
  const actual = typeOf(value);
  if (schema.type !== undefined) {
    const ok = schema.type === actual || (schema.type === 'number' && actual === 'integer');
    if (!ok) return [...problems, `${where}: expected ${schema.type}, got ${actual}`];
  }
  if (schema.enum !== undefined && !schema.enum.includes(value)) {
    problems.push(`${where}: ${JSON.stringify(value)} is not one of ${schema.enum.map((e) => JSON.stringify(e)).join(', ')}`);
  }
  if (typeof value === 'string' && schema.maxLength !== undefined && value.length > schema.maxLength) {
    problems.push(`${where}: ${value.length} characters, more than the ${schema.maxLength} allowed`);
  }
  if (Array.isArray(value)) {
    if (schema.maxItems !== undefined && value.length > schema.maxItems) problems.push(`${where}: ${value.length} items, more than the ${schema.maxItems} allowed`);
    if (schema.minItems !== undefined && value.length < schema.minItems) problems.push(`${where}: ${value.length} items, fewer than the ${schema.minItems} required`);
    if (schema.items !== undefined) value.forEach((item, i) => problems.push(...checkValue(doc, item, schema.items as Schema, `${where}[${i}]`)));
  }
  if (actual === 'object' && schema.properties !== undefined) {
    const obj = value as Record<string, unknown>;
    for (const key of schema.required ?? []) if (!(key in obj)) problems.push(`${where}: missing required property "${key}"`);
    for (const [key, v] of Object.entries(obj)) {
      const prop = schema.properties[key];
      if (prop !== undefined) problems.push(...checkValue(doc, v, prop, `${where}.${key}`));
      else if (schema.additionalProperties === undefined || schema.additionalProperties === false) problems.push(`${where}: unknown property "${key}"`);
      else if (typeof schema.additionalProperties === 'object') problems.push(...checkValue(doc, v, schema.additionalProperties, `${where}.${key}`));
    }
  }
  return problems;
}
