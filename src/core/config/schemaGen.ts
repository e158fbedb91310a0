/**
 * Generates the draft-07 JSON Schema (`schemas/backup.schema.json`) from the parameter tables, so the schema
 * the editor and Red Hat YAML read, the loader and the validator cannot disagree on a key, a default or an env
 * var. A unit test fails when the committed file is stale; `UPDATE_SCHEMA=1` on that test rewrites it.
 */
import { SECTION_DOCS, V1_OBSOLETE, V1_PARAMS, V2_PARAMS, type ParamSpec } from './params';

type Json = Record<string, unknown>;

const BOOL_STRINGS = '^(1|t|T|TRUE|true|True|0|f|F|FALSE|false|False)$';
const INT_STRING = '^[+-]?[0-9]+$';


function typeSchema(p: ParamSpec): Json {
  switch (p.type) {
    case 'string':
      // Go prints any scalar into a string parameter (fmt.Sprint), so numbers and booleans are accepted too.
      return p.enum ? { type: 'string', enum: p.enum } : { type: ['string', 'number', 'boolean'] };
    case 'bool':
      // YAML booleans, or strings Go's strconv.ParseBool accepts (the pattern only applies to strings).
      return { type: ['boolean', 'string'], pattern: BOOL_STRINGS };
    case 'int':
    case 'int64': {
      const s: Json = { type: ['integer', 'string'], pattern: INT_STRING };
      if (p.range === 'port') Object.assign(s, { minimum: 1, maximum: 65535 });
      if (p.range === 'positive') Object.assign(s, { minimum: 1 });
      return s;
    }
    case 'list':
      return { type: 'array', items: { type: ['string', 'number'] }, minItems: 1 };
  }
}

function fmtDefault(p: ParamSpec): string {
  if (p.inherit) return p.inheritFallback !== undefined ? `the resolved \`${p.inherit}\` (\`${p.inheritFallback}\` if that is empty)` : `inherits \`${p.inherit}\``;
  if (Array.isArray(p.default)) return `\`[${p.default.join(', ')}]\``;
  return p.default === '' ? '`""`' : `\`${String(p.default)}\``;
}

/** The hover text of a key: its doc, default, env vars, schema version (also the schema's markdownDescription). */
export function paramMarkdown(p: ParamSpec, version: 'v1' | 'v2', alias?: string): string {
  const lines = [p.doc, ''];
  const facts = [`**Default:** ${fmtDefault(p)}`];
  facts.push(p.env.length ? `**Env:** ${p.env.map((e) => `\`${e}\``).join(', ')}` : '**Env:** none');
  facts.push(`**Schema:** ${version}${p.since ? ` · ${p.since}` : version === 'v2' ? ' · milvus-backup main (0.6)' : ''}`);
  if (p.secret) facts.push('**Secret:** masked in output; prefer the env var');
  lines.push(facts.join(' · '));
  if (alias) lines.unshift(`**Deprecated:** use \`${p.name}\`.`, '');
  return lines.join('\n');
}

function leaf(p: ParamSpec, version: 'v1' | 'v2', alias?: string): Json {
  const s: Json = {
    ...typeSchema(p),
    markdownDescription: paramMarkdown(p, version, alias),
    description: `${alias ? `Deprecated: use ${p.name}. ` : ''}${p.doc.replace(/[`*]/g, '')} Default: ${fmtDefault(p).replace(/`/g, '')}.${p.env.length ? ` Env: ${p.env.join(', ')}.` : ''}`,
    'x-env': p.env,
    'x-version': version,
  };
  if (p.since) s['x-since'] = p.since;
  if (p.secret) s['x-secret'] = true;
  if (!p.inherit) s.default = p.default;
  if (alias) {
    s.deprecated = true;
    s.deprecationMessage = `Deprecated: use ${p.name}.`;
  }
  return s;
}

function section(path: string, version: 'v1' | 'v2'): Json {
  const doc = SECTION_DOCS[path] ?? '';
  return { type: 'object', description: doc, markdownDescription: `${doc}\n\n**Schema:** ${version}`, properties: {} };
}

function put(root: Json, key: string, node: Json, version: 'v1' | 'v2'): void {
  const parts = key.split('.');
  let cur = root;
  for (let i = 0; i < parts.length - 1; i++) {
    const props = cur.properties as Json;
    const path = parts.slice(0, i + 1).join('.');
    if (!props[parts[i]]) props[parts[i]] = section(path, version);
    cur = props[parts[i]] as Json;
  }
  const props = cur.properties as Json;
  const existing = props[parts[parts.length - 1]] as Json | undefined;
  if (existing?.properties) return; // a section wins over an obsolete scalar of the same name
  props[parts[parts.length - 1]] = node;
}

function schemaFor(params: readonly ParamSpec[], version: 'v1' | 'v2'): Json {
  const root: Json = { type: 'object', properties: {} };
  for (const p of params) {
    put(root, p.name, leaf(p, version), version);
    for (const k of p.keys) if (k !== p.name) put(root, k, leaf(p, version, k), version);
  }
  if (version === 'v1') {
    // v0.4.1 wrote `parallelism: 2` (a scalar, ignored since v0.4.4): accepted, so old files get no error
    const backup = (root.properties as Json).backup as Json;
    const par = (backup.properties as Json).parallelism as Json;
    par.type = ['object', 'integer', 'string'];
    par.markdownDescription = `${String(par.markdownDescription)}\n\nThe v0.4.1 scalar form (\`parallelism: 2\`) is obsolete and ignored.`;
    for (const o of V1_OBSOLETE) {
      if (o.read) continue;
      const msg = o.replacement ? `Deprecated: use ${o.replacement} (${o.note}).` : `No longer read (${o.note}).`;
      put(root, o.key, { description: msg, markdownDescription: `**${msg}**`, deprecated: true, deprecationMessage: msg, 'x-version': 'v1' }, version);
    }
  }
  const props = root.properties as Json;
  props.configVersion = version === 'v2'
    ? { type: 'string', enum: ['v2'], markdownDescription: 'Schema version of this file. `v2` selects the v2 schema (milvus-backup main / 0.6).', description: 'Schema version of this file.' }
    : { type: 'string', enum: ['v1', 'v2'], markdownDescription: 'Schema version: absent or `v1` = v1 (every released milvus-backup); `v2` = the v2 schema.', description: 'Schema version of this file.' };
  return root;
}

/** The whole schema: `configVersion: v2` (any case) selects v2, anything else v1. */
export function buildSchema(): Json {
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: 'https://milvus-backup-vscode.invalid/schemas/backup.schema.json',
    title: 'milvus-backup backup.yaml',
    description: 'Configuration of milvus-backup: v1 (no configVersion; every released version) or v2 (configVersion: v2). Keys are matched case-insensitively; env vars and --set override the file.',
    type: 'object',
    properties: {
      configVersion: {
        type: 'string', enum: ['v1', 'v2'],
        description: 'Schema version: absent or v1 = v1; v2 = the v2 schema.',
        markdownDescription: 'Schema version of this file: absent or `v1` = the v1 schema (every released milvus-backup); `v2` = the v2 schema (milvus-backup main / 0.6). `milvus-backup config migrate` converts v1 to v2.',
      },
    },
    if: { properties: { configVersion: { type: 'string', pattern: '^[vV]2$' } }, required: ['configVersion'] },
    then: { $ref: '#/definitions/v2' },
    else: { $ref: '#/definitions/v1' },
    definitions: { v1: schemaFor(V1_PARAMS, 'v1'), v2: schemaFor(V2_PARAMS, 'v2') },
  };
}
