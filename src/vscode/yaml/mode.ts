/**
 * `milvusBackup.validation.mode` (no vscode import). `auto` avoids duplicate squiggles for users of Red Hat YAML:
 * when that extension is active it already validates files matched by our `yamlValidation` contribution against
 * `schemas/backup.schema.json`, so we publish only what that schema cannot express (case folding, deprecated and
 * v1/v2 keys, plaintext secrets, cross-field rules, env shadowing …).
 */
import type { ConfigProblem } from '../../core/config';

export type ValidationMode = 'auto' | 'builtin' | 'off';

export function parseMode(v: unknown): ValidationMode {
  return v === 'builtin' || v === 'off' ? v : 'auto';
}

/**
 * Problem codes the generated schema reports too (types, enums, ranges, syntax): Red Hat YAML shows these
 * itself. `invalid-enum` only for v2 files: v1's enums (tlsMode 0/1/2, storage type aliases) are not in the schema.
 */
const SCHEMA_CODES = new Set(['yaml-syntax', 'duplicate-key', 'invalid-int', 'invalid-bool', 'invalid-list', 'port-out-of-range', 'out-of-range', 'invalid-config-version']);

export function expressibleBySchema(p: ConfigProblem, version: 'v1' | 'v2'): boolean {
  if (p.code.startsWith('schema-')) return true;
  if (p.code === 'invalid-enum') return version === 'v2';
  return SCHEMA_CODES.has(p.code);
}

/**
 * The problems to publish. `schemaApplied`: Red Hat YAML is active and the file's name matches the
 * `yamlValidation` patterns (a config found by its content gets no schema from Red Hat, so gets everything).
 */
export function problemsToPublish(problems: ConfigProblem[], mode: ValidationMode, schemaApplied: boolean, version: 'v1' | 'v2'): ConfigProblem[] {
  if (mode === 'off') return [];
  if (mode === 'builtin' || !schemaApplied) return problems;
  return problems.filter((p) => !expressibleBySchema(p, version));
}
