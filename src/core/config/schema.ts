/**
 * The JSON-Schema pass: ajv over the file's lower-cased, normalized object (the Go tool matches keys
 * case-insensitively, so the schema's property names are lower-cased too), each error mapped back to the
 * node it is about. The schema is the one shipped for `contributes.yamlValidation` (single source).
 *
 * Severities follow the Go tool, which the resolver and checks model exactly: an ajv error at a spot where they
 * already reported something is dropped (same finding), and one they did not report is kept as a *warning*
 * (the schema is stricter than what milvus-backup accepts, e.g. `port: 0` on a local provider).
 */
import type AjvClass from 'ajv';
import type { ErrorObject, ValidateFunction } from 'ajv';
import schemaJson from '../../../schemas/backup.schema.json';
import type { ConfigProblem } from './problem';
import type { FileSource } from './yamlSource';

let compiled: ValidateFunction | undefined;

function lowerCaseSchema(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(lowerCaseSchema);
  if (node === null || typeof node !== 'object') return node;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(node as Record<string, unknown>)) {
    if (k === 'properties' && v && typeof v === 'object') {
      const props: Record<string, unknown> = {};
      for (const [pk, pv] of Object.entries(v as Record<string, unknown>)) props[pk.toLowerCase()] = lowerCaseSchema(pv);
      out[k] = props;
    } else if (k === 'required' && Array.isArray(v)) {
      out[k] = v.map((x) => String(x).toLowerCase());
    } else if (k === 'markdownDescription' || k === 'description' || k === 'default' || k === 'deprecated' || k === 'deprecationMessage' || k.startsWith('x-')) {
      // annotations: not needed for validation, and dropping them keeps the compile (once per process) cheap
    } else {
      out[k] = lowerCaseSchema(v);
    }
  }
  return out;
}

function validator(): ValidateFunction {
  if (!compiled) {
    // The schema itself is checked by a unit test with ajv's defaults; here compile time matters more (first
    // validation in a process), so no meta-schema check and no code optimisation pass.
    // ajv is required here, not imported at the top: this module is on the extension's activation path (via
    // loadConfig), and the schema pass runs only when asked for.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const Ajv = (require('ajv') as { default: typeof AjvClass }).default;
    const ajv = new Ajv({ allErrors: true, strict: false, validateSchema: false, code: { optimize: false } });
    const schema = lowerCaseSchema(schemaJson) as Record<string, unknown>;
    delete schema.$id;
    compiled = ajv.compile(schema);
  }
  return compiled;
}

/** JSON Pointer → lower-cased dotted key (every `~1` and `~0` unescaped). */
export function pointerToKey(pointer: string): string {
  return pointer.split('/').slice(1).map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~')).join('.');
}

function normalizedObject(file: FileSource): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  for (const s of file.sections.values()) {
    let cur = root;
    for (const part of s.lower.split('.')) {
      if (typeof cur[part] !== 'object' || cur[part] === null || Array.isArray(cur[part])) cur[part] = {};
      cur = cur[part] as Record<string, unknown>;
    }
  }
  for (const e of file.entries.values()) {
    const parts = e.lower.split('.');
    let cur = root;
    for (const part of parts.slice(0, -1)) {
      if (typeof cur[part] !== 'object' || cur[part] === null || Array.isArray(cur[part])) cur[part] = {};
      cur = cur[part] as Record<string, unknown>;
    }
    cur[parts[parts.length - 1]] = e.value;
  }
  return root;
}

function describe(e: ErrorObject, value: unknown): string {
  switch (e.keyword) {
    case 'type':
      return `must be ${String((e.params as { type: string | string[] }).type).replace(/,/g, ' or ')}, got ${JSON.stringify(value)}`;
    case 'enum':
      return `must be one of ${(e.params as { allowedValues: unknown[] }).allowedValues.map((v) => JSON.stringify(v)).join(', ')}`;
    case 'pattern':
      return `${JSON.stringify(value)} does not have the expected form`;
    default:
      return e.message ?? e.keyword;
  }
}

/** Schema findings not already reported by the resolver/checks (`others`), as warnings with ranges. */
export function schemaProblems(file: FileSource, others: ConfigProblem[]): ConfigProblem[] {
  const validate = validator();
  const obj = normalizedObject(file);
  if (validate(obj)) return [];
  const taken = new Set<string>();
  for (const p of others) {
    if (p.key) taken.add(p.key.toLowerCase());
    if (p.range) taken.add(`@${p.range.line}:${p.range.column}`);
  }
  const out: ConfigProblem[] = [];
  const seen = new Set<string>();
  for (const e of validate.errors ?? []) {
    if (e.keyword === 'if' || e.keyword === '$ref') continue;
    const key = pointerToKey(e.instancePath);
    const entry = file.entries.get(key);
    const value = entry?.value;
    // Go folds enum values' case: "SharedKey" is sharedKey.
    if (e.keyword === 'enum' && typeof value === 'string' && (e.params as { allowedValues: unknown[] }).allowedValues.some((v) => typeof v === 'string' && v.toLowerCase() === value.toLowerCase())) continue;
    const target = entry ? entry.valueRange : file.sections.get(key)?.keyRange;
    const range = target ? file.range(target) : undefined;
    if (taken.has(key) || (range && taken.has(`@${range.line}:${range.column}`))) continue;
    const id = `${key}|${e.keyword}`;
    if (seen.has(id)) continue;
    seen.add(id);
    out.push({
      key: entry?.path ?? file.sections.get(key)?.path ?? key,
      severity: 'warning',
      code: `schema-${e.keyword}`,
      message: `${entry?.path ?? key}: ${describe(e, value)} (JSON schema).`,
      ...(range ? { range } : {}),
    });
  }
  return out;
}
