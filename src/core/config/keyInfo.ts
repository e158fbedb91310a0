/**
 * What the editor features (hover, completion, quick fixes) need to know about a key, answered from the same
 * parameter tables the loader resolves with: no second description of the schema to keep in step.
 * Keys are matched case-insensitively, like the Go tool.
 */
import { V1_INDEX, V1_OBSOLETE_BY_LOWER, V1_PROVIDER_ALIASES, V2_INDEX, V2_PROVIDERS, SECTION_DOCS, type ObsoleteKey, type ParamIndex, type ParamSpec } from './params';
import { paramMarkdown } from './schemaGen';

export type SchemaVersion = 'v1' | 'v2';

export interface KeyInfo {
  /** the key as documented (camelCase) */
  key: string;
  kind: 'key' | 'section' | 'obsolete';
  /** markdown: doc, default, env vars, schema version */
  markdown: string;
  spec?: ParamSpec;
  obsolete?: ObsoleteKey;
}

const indexOf = (v: SchemaVersion): ParamIndex => (v === 'v1' ? V1_INDEX : V2_INDEX);

/** The schema a text is written in, as the loader decides it (`configVersion: v2`, any case, selects v2). */
export function schemaVersionOfText(text: string): SchemaVersion {
  return /^configVersion:\s*["']?[vV]2["']?\s*(#.*)?$/m.test(text) ? 'v2' : 'v1';
}

function sectionName(lower: string, index: ParamIndex): string | undefined {
  if (!index.sections.has(lower)) return undefined;
  for (const spec of index.params) {
    for (const k of spec.keys) if (k.toLowerCase().startsWith(`${lower}.`)) return k.slice(0, lower.length);
  }
  return undefined;
}

/** Hover data for a dotted key (any case); undefined for keys the schema does not know. */
export function keyInfo(key: string, version: SchemaVersion): KeyInfo | undefined {
  const lower = key.toLowerCase();
  const index = indexOf(version);
  if (lower === 'configversion') {
    return { key: 'configVersion', kind: 'key', markdown: 'Schema version of this file: absent or `v1` = the v1 schema (every released milvus-backup); `v2` = the v2 schema (milvus-backup main / 0.6).' };
  }
  const obsolete = version === 'v1' ? V1_OBSOLETE_BY_LOWER.get(lower) : undefined;
  const spec = index.byKey.get(lower);
  if (spec) {
    const spelled = spec.keys.find((k) => k.toLowerCase() === lower) ?? spec.name;
    const alias = spelled !== spec.name ? spelled : undefined;
    return { key: spelled, kind: obsolete ? 'obsolete' : 'key', markdown: paramMarkdown(spec, version, alias), spec, ...(obsolete ? { obsolete } : {}) };
  }
  const section = sectionName(lower, index);
  if (section) return { key: section, kind: 'section', markdown: `${SECTION_DOCS[section] ?? ''}\n\n**Schema:** ${version}` };
  if (obsolete) {
    const text = obsolete.replacement ? `**Deprecated:** use \`${obsolete.replacement}\` (${obsolete.note}).` : `**No longer read** (${obsolete.note}).`;
    return { key: obsolete.key, kind: 'obsolete', markdown: text, obsolete };
  }
  return undefined;
}

export interface ChildKey {
  /** the name to insert (the last segment) */
  name: string;
  /** the full dotted key */
  key: string;
  kind: 'key' | 'section';
  /** one line for the completion list */
  detail: string;
}

/** The keys and sections directly under `section` ('' = the root), for completion. Deprecated spellings are left out. */
export function childKeys(section: string, version: SchemaVersion): ChildKey[] {
  const index = indexOf(version);
  const prefix = section ? `${section.toLowerCase()}.` : '';
  const out = new Map<string, ChildKey>();
  for (const spec of index.params) {
    for (const k of spec.keys) {
      if (k !== spec.name && !(spec.name === 'minio.storageType' && k === 'storage.storageType') && !(spec.name === 'minio.backupStorageType' && k === 'storage.backupStorageType')) continue;
      if (!k.toLowerCase().startsWith(prefix)) continue;
      const rest = k.slice(prefix.length);
      const dot = rest.indexOf('.');
      const name = dot < 0 ? rest : rest.slice(0, dot);
      const full = prefix ? `${k.slice(0, prefix.length - 1)}.${name}` : name;
      if (out.has(name.toLowerCase())) continue;
      out.set(name.toLowerCase(), dot < 0
        ? { name, key: full, kind: 'key', detail: `${spec.type}, default ${spec.inherit ? `inherits ${spec.inherit}` : JSON.stringify(spec.default)}${spec.env.length ? `, env ${spec.env.join(', ')}` : ''}` }
        : { name, key: full, kind: 'section', detail: SECTION_DOCS[full] ?? 'section' });
    }
  }
  if (!section) out.set('configversion', { name: 'configVersion', key: 'configVersion', kind: 'key', detail: 'schema version: v2 (absent = v1)' });
  return [...out.values()];
}

/** The values a key accepts, for completion and enum quick fixes (empty when free-form). */
export function valuesFor(key: string, version: SchemaVersion): string[] {
  const lower = key.toLowerCase();
  if (lower === 'configversion') return ['v2', 'v1'];
  const spec = indexOf(version).byKey.get(lower);
  if (!spec) return [];
  if (spec.enum) return [...spec.enum];
  if (spec.type === 'bool') return ['true', 'false'];
  if (spec.name === 'log.level') return ['debug', 'info', 'warn', 'error', 'panic', 'fatal'];
  if (version === 'v1' && (spec.name === 'minio.storageType' || spec.name === 'minio.backupStorageType')) return [...V2_PROVIDERS, ...Object.keys(V1_PROVIDER_ALIASES)];
  if (version === 'v1' && spec.name === 'milvus.tlsMode') return ['0', '1', '2'];
  return [];
}
