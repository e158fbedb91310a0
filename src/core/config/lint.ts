/**
 * File-level rules that look at the keys as written rather than at resolved values: unknown keys (with the
 * closest known key), deprecated and removed keys (with the replacement), v1 keys in a v2 file and v2 keys in a
 * file without `configVersion`, and secrets written in plain text. All warnings: the Go tool ignores such keys.
 */
import { V1_INDEX, V1_OBSOLETE_BY_LOWER, V1_TO_V2, V2_INDEX, type ParamIndex } from './params';
import type { ConfigProblem } from './problem';
import type { Resolution } from './resolve';
import { closest } from './suggest';
import type { FileSource } from './yamlSource';

const VERSION_KEY = 'configversion';

export function lintKeys(file: FileSource, version: 'v1' | 'v2'): ConfigProblem[] {
  const out: ConfigProblem[] = [];
  const index = version === 'v1' ? V1_INDEX : V2_INDEX;
  const suggestCache = new Map<string, string | undefined>();
  for (const e of file.entries.values()) {
    if (e.lower === VERSION_KEY) continue;
    const range = file.range(e.keyRange);
    const known = index.byKey.get(e.lower);
    const obsolete = version === 'v1' ? V1_OBSOLETE_BY_LOWER.get(e.lower) : undefined;
    if (known && !obsolete) continue;
    if (obsolete) {
      const repl = obsolete.replacement;
      out.push({
        key: e.path, severity: 'warning', code: repl ? 'deprecated-key' : 'removed-key', range,
        message: repl
          ? `${e.path} is deprecated: use ${repl}. ${cap(obsolete.note)}.`
          : `${e.path} is no longer read by milvus-backup and can be removed. ${cap(obsolete.note)}.`,
        ...(repl ? { data: { replacement: repl } } : {}),
      });
      continue;
    }
    if (version === 'v2' && e.lower in V1_TO_V2) {
      const to = V1_TO_V2[e.lower];
      out.push({
        key: e.path, severity: 'warning', code: 'v1-key-in-v2', range,
        message: to
          ? `${e.path} is a v1 key; a v2 config ignores it. Use ${to}${e.lower.endsWith('useiam') ? ': iam' : ''} instead.`
          : `${e.path} is a v1 key that v2 removed; a v2 config ignores it.`,
        ...(to ? { data: { replacement: to } } : {}),
      });
      continue;
    }
    if (version === 'v1' && V2_INDEX.byKey.has(e.lower)) {
      out.push({
        key: e.path, severity: 'warning', code: 'v2-key-in-v1', range,
        message: `${e.path} is a v2 key, but the file has no "configVersion: v2", so it is read as v1 and this key is ignored. Add configVersion: v2 at the top (and move the v1 keys to their v2 names).`,
        data: { suggestion: 'configVersion: v2' },
      });
      continue;
    }
    let suggestion = suggestCache.get(e.lower);
    if (!suggestCache.has(e.lower)) {
      suggestion = suggestKey(e.lower, index);
      suggestCache.set(e.lower, suggestion);
    }
    out.push({
      key: e.path, severity: 'warning', code: 'unknown-key', range,
      message: `Unknown key ${e.path}: milvus-backup ignores it.${suggestion ? ` Did you mean ${suggestion}?` : ''}`,
      ...(suggestion ? { data: { suggestion } } : {}),
    });
  }
  return out;
}

const cap = (s: string) => s[0].toUpperCase() + s.slice(1);

/** Per parameter table: the known keys grouped by parent, and the sections grouped by depth (built once). */
interface KeyGroups { siblings: Map<string, Map<string, string>>; sectionsByDepth: Map<number, string[]>; sectionGuess: Map<string, string | undefined> }
const groupsCache = new WeakMap<ParamIndex, KeyGroups>();

function groups(index: ParamIndex): KeyGroups {
  let g = groupsCache.get(index);
  if (g) return g;
  g = { siblings: new Map(), sectionsByDepth: new Map(), sectionGuess: new Map() };
  for (const [k, spec] of index.byKey) {
    const d = k.lastIndexOf('.');
    const parent = d < 0 ? '' : k.slice(0, d);
    let m = g.siblings.get(parent);
    if (!m) g.siblings.set(parent, (m = new Map()));
    m.set(k.slice(d + 1), spec.keys.find((x) => x.toLowerCase() === k) ?? spec.name);
  }
  for (const s of index.sections) {
    const depth = s.split('.').length;
    const list = g.sectionsByDepth.get(depth) ?? [];
    list.push(s);
    g.sectionsByDepth.set(depth, list);
  }
  groupsCache.set(index, g);
  return g;
}

/**
 * The closest known key: a sibling with a similar name, or the same leaf under a similarly named section.
 * Only siblings are compared (and a section's guess is computed once), which keeps a file with thousands of
 * unknown keys fast.
 */
function suggestKey(lower: string, index: ParamIndex): string | undefined {
  const g = groups(index);
  const dot = lower.lastIndexOf('.');
  const parent = dot < 0 ? '' : lower.slice(0, dot);
  const leaf = lower.slice(dot + 1);
  const siblings = g.siblings.get(parent);
  if (siblings) {
    const hit = closest(leaf, siblings.keys());
    if (hit !== undefined) return siblings.get(hit);
  }
  if (!parent) return undefined;
  // A misspelled section: find a section with a similar name that has this leaf.
  let sec = g.sectionGuess.get(parent);
  if (!g.sectionGuess.has(parent)) {
    sec = closest(parent, g.sectionsByDepth.get(parent.split('.').length) ?? []);
    g.sectionGuess.set(parent, sec);
  }
  if (sec === undefined || sec === parent) return undefined;
  return g.siblings.get(sec)?.get(leaf);
}

/** Values that should come from the environment rather than sit in the file. */
export function lintSecrets(file: FileSource, index: ParamIndex, res: Resolution): ConfigProblem[] {
  const out: ConfigProblem[] = [];
  for (const p of index.params) {
    if (!p.secret || /credential/i.test(p.name)) continue; // credential JSON settings hold a path, not a secret
    const e = res.entries.get(p.name);
    if (!e || typeof e.value !== 'string' || e.value === '') continue;
    const env = p.env[0];
    out.push({
      key: p.name, severity: 'warning', code: 'plaintext-secret', range: file.range(e.valueRange),
      message: env
        ? `${e.path} holds a secret in plain text; prefer supplying it through the environment variable ${env} and leaving it out of the file.`
        : `${e.path} holds a secret in plain text, and v1 has no environment variable for it; a v2 config reads ${p.name === 'cloud.apikey' ? 'ZILLIZ_CLOUD_API_KEY' : 'it from the environment'} (run "milvus-backup config migrate").`,
      ...(env ? { data: { env } } : {}),
    });
  }
  return out;
}
