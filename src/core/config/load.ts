/**
 * loadConfig: file → problems + normalized config, the one function the engine, the CLI and the editor's
 * validator all go through (so what the editor calls an error is exactly what the engine refuses).
 * Synchronous, no vscode, never throws for bad content, never puts a secret into a message.
 */
import { readFileSync } from 'node:fs';
import { UserError } from '../errors';
import { buildV1, buildV2 } from './build';
import { checkResolved, type Located } from './checks';
import { lintKeys, lintSecrets } from './lint';
import { V1_INDEX, V1_TO_V2, V2_INDEX, type ParamIndex, type ParamSpec } from './params';
import { configPathCandidates, resolveConfigPath } from './path';
import { sortProblems, type ConfigProblem } from './problem';
import { resolveParams, type Override, type Resolution, type ValueSource } from './resolve';
import { schemaProblems } from './schema';
import type { ResolvedConfig } from './types';
import { readYaml, type FileSource } from './yamlSource';

export interface LoadOptions {
  /** `--config` value (default `backup.yaml`), or the file name of `text` */
  file?: string;
  /** whether `--config` was given explicitly: then a missing file is an error */
  fileExplicit?: boolean;
  /** `--set KEY=VALUE` items */
  set?: string[];
  /** default: process.env */
  env?: NodeJS.ProcessEnv;
  /** default: process.cwd() */
  cwd?: string;
  /** the file content (editor buffer); when given, nothing is read from disk */
  text?: string;
  /**
   * Also run the JSON-Schema (ajv) pass. It only ever adds *warnings* (what the schema says and milvus-backup
   * tolerates), so the errors — what the engine refuses — are the same with or without it; it is off by default
   * because compiling the schema costs ~0.1 s once per process. validateConfigText turns it on.
   */
  schema?: boolean;
}

export interface LoadedConfig {
  config: ResolvedConfig;
  problems: ConfigProblem[];
  /** every parameter of the schema the file is written in (v1 keys for a v1 file), by canonical key */
  sources: Record<string, ValueSource>;
}

const LOG_LEVELS = ['debug', 'info', 'warn', 'error', 'dpanic', 'panic', 'fatal'];

export function loadConfig(o: LoadOptions): LoadedConfig {
  const env = o.env ?? process.env;
  const cwd = o.cwd ?? process.cwd();
  const problems: ConfigProblem[] = [];
  const overrides = parseOverrides(o.set ?? [], problems);

  let text: string | undefined;
  let path: string | undefined;
  if (o.text !== undefined) {
    text = o.text;
    path = o.file;
  } else {
    const file = o.file ?? 'backup.yaml';
    path = resolveConfigPath(file, Boolean(o.fileExplicit), env, cwd);
    if (path === undefined) {
      const tried = configPathCandidates(file, env, cwd).join(', ');
      problems.push(o.fileExplicit
        ? { key: '', severity: 'error', code: 'config-not-found', message: `Config file ${file} not found (tried ${tried}).` }
        : { key: '', severity: 'information', code: 'no-config-file', message: `No config file found (tried ${tried}); using defaults, environment variables and --set only.` });
    } else {
      try {
        text = readFileSync(path, 'utf8');
      } catch (e) {
        problems.push({ key: '', severity: 'error', code: 'config-unreadable', message: `Cannot read config file ${path}: ${(e as Error).message}` });
        path = undefined;
      }
    }
  }
  return analyze(text, path, env, overrides, problems, Boolean(o.schema));
}

/** Same as loadConfig, but throws a UserError naming every error problem (warnings are returned). */
export function loadConfigOrThrow(o: LoadOptions): LoadedConfig {
  const loaded = loadConfig(o);
  const errors = loaded.problems.filter((p) => p.severity === 'error');
  if (errors.length > 0) {
    const where = loaded.config.file ? `${loaded.config.file}: ` : '';
    const list = errors.map((p) => (p.range ? `line ${p.range.line}: ${p.message}` : p.message));
    throw new UserError(`${where}invalid configuration (${errors.length} error${errors.length > 1 ? 's' : ''}): ${list.join('; ')}`, 'invalid-config');
  }
  return loaded;
}

/** Validates config text as the engine would load it; the editor and `config validate` use this. */
export function validateConfigText(text: string, o: { fileName?: string; env?: NodeJS.ProcessEnv; set?: string[] } = {}): ConfigProblem[] {
  return loadConfig({ text, file: o.fileName, env: o.env, set: o.set, schema: true }).problems;
}

function parseOverrides(items: string[], problems: ConfigProblem[]): Map<string, Override> {
  const out = new Map<string, Override>();
  for (const item of items) {
    const eq = item.indexOf('=');
    if (eq <= 0) {
      problems.push({ key: '', severity: 'error', code: 'invalid-set', message: `Invalid --set ${JSON.stringify(item)}: want KEY=VALUE (a config key such as milvus.port, or an env name such as MILVUS_PORT).` });
      continue;
    }
    const key = item.slice(0, eq);
    out.set(key.toLowerCase(), { key, value: item.slice(eq + 1) });
  }
  return out;
}

type Version = 'v1' | 'v2' | 'none';

function detectVersion(file: FileSource | undefined, problems: ConfigProblem[]): Version {
  if (!file || file.fatal) return 'none';
  const e = file.entries.get('configversion');
  if (!e) return 'v1';
  const declared = typeof e.value === 'string' ? e.value : String(e.value);
  if (declared.toLowerCase() === 'v2') return 'v2';
  if (declared.toLowerCase() === 'v1') return 'v1';
  problems.push({
    key: e.path, severity: 'error', code: 'invalid-config-version', range: file.range(e.valueRange),
    message: `${e.path} is ${JSON.stringify(declared)}, which is not a schema version milvus-backup knows (want "v1" or "v2").`,
    data: { suggestion: 'v2' },
  });
  // Judge the rest by the keys it uses, so the other problems are still useful.
  for (const k of file.entries.keys()) if (k.startsWith('milvus.grpc.') || k.startsWith('milvus.storage.') || k.startsWith('backup.storage.')) return 'v2';
  return 'v1';
}

function analyze(text: string | undefined, path: string | undefined, env: NodeJS.ProcessEnv, overrides: Map<string, Override>, problems: ConfigProblem[], schema: boolean): LoadedConfig {
  const file = text === undefined ? undefined : readYaml(text);
  if (file) problems.push(...file.problems);
  const version = detectVersion(file, problems);
  const usable = file && !file.fatal ? file : undefined;
  const index = version === 'v1' ? V1_INDEX : V2_INDEX;
  const res = resolveParams(index, { file: usable, env, overrides });
  problems.push(...res.problems);
  const config = version === 'v1' ? buildV1(res.values, path) : buildV2(res.values, usable ? version : 'none', path);
  if (!usable && path) config.file = path;

  const locate = version === 'v1' ? v1Locator(res, usable) : v2Locator(res, usable);
  if (version === 'v1') problems.push(...v1Checks(res, usable));
  problems.push(...checkResolved(config, locate, version));
  problems.push(...rootPathChecks(config, locate));
  const level = config.log.level;
  if (!LOG_LEVELS.includes(level.toLowerCase())) {
    const l = locate('log.level');
    problems.push({ key: l.key, severity: 'warning', code: 'unknown-log-level', message: `log.level ${JSON.stringify(level)} is not one of debug, info, warn, error, panic, fatal.`, ...(l.range ? { range: l.range } : {}) });
  }
  if (usable && version !== 'none') {
    problems.push(...lintKeys(usable, version));
    problems.push(...lintSecrets(usable, index, res));
    if (version === 'v1') {
      problems.push({ key: '', severity: 'information', code: 'v1-schema', message: 'This is a v1 config (no "configVersion: v2"): it is read and translated to v2, which still works but is deprecated. "milvus-backup config migrate" converts it.', range: { line: 1, column: 1, endLine: 1, endColumn: 1 } });
    }
    if (schema) problems.push(...schemaProblems(usable, problems));
  }
  problems.push(...unusedOverrides(overrides, version));
  if (version !== 'v1' && !file?.fatal) problems.push(...v1EnvIgnored(env));
  return { config, problems: sortProblems(dedupe(problems)), sources: res.sources };
}

/** One squiggle per spot: an inherited value that is wrong is reported where it is written, once. */
function dedupe(problems: ConfigProblem[]): ConfigProblem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    if (!p.range) return true;
    const id = `${p.code}@${p.range.line}:${p.range.column}-${p.range.endLine}:${p.range.endColumn}`;
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
}

/** Nearest section of a key that exists in the file (for problems about a key that is absent). */
function sectionRange(file: FileSource | undefined, key: string) {
  if (!file) return undefined;
  const parts = key.toLowerCase().split('.');
  for (let i = parts.length - 1; i > 0; i--) {
    const s = file.sections.get(parts.slice(0, i).join('.'));
    if (s) return file.range(s.keyRange);
  }
  return undefined;
}

function locateParam(res: Resolution, file: FileSource | undefined, index: ParamIndex, spec: ParamSpec | undefined, fallbackKey: string, explicitAllowed: boolean): Located {
  if (!spec) return { key: fallbackKey, explicit: false, inFile: false, env: [], range: sectionRange(file, fallbackKey) };
  let src = res.sources[spec.name];
  let where = spec;
  // a defaulted, inheriting value: point at where the inherited value is (or would be) written, so a problem the
  // backup side inherits lands on the same spot as the Milvus side's and is reported once
  for (let guard = 0; src?.source === 'default' && src.inheritedFrom && guard < 3; guard++) {
    const next = index.byName.get(src.inheritedFrom);
    if (!next || !res.sources[next.name]) break;
    where = next;
    src = res.sources[next.name];
  }
  const entry = src?.source === 'config' ? res.entries.get(where.name) : undefined;
  const range = entry && file ? file.range(entry.valueRange) : where.keys.map((k) => sectionRange(file, k)).find(Boolean);
  return {
    key: spec.name,
    explicit: explicitAllowed && res.sources[spec.name]?.source !== 'default',
    inFile: Boolean(entry),
    env: spec.env,
    source: res.sources[spec.name],
    ...(range ? { range } : {}),
  };
}

function v2Locator(res: Resolution, file: FileSource | undefined) {
  return (v2key: string): Located => locateParam(res, file, V2_INDEX, V2_INDEX.byName.get(v2key), v2key, true);
}

/** v2 key → the v1 parameter it is translated from (azure overloads the access key pair). */
const V2_TO_V1 = new Map<string, string>();
for (const [v1, v2] of Object.entries(V1_TO_V2)) {
  const spec = V1_INDEX.byKey.get(v1);
  if (v2 && spec && !V2_TO_V1.has(v2)) V2_TO_V1.set(v2, spec.name);
}
for (const side of ['milvus', 'backup'] as const) {
  const pre = side === 'milvus' ? 'minio.' : 'minio.backup';
  const cap = (s: string) => (side === 'milvus' ? s : s[0].toUpperCase() + s.slice(1));
  V2_TO_V1.set(`${side}.storage.accountName`, pre + cap('accessKeyID'));
  V2_TO_V1.set(`${side}.storage.auth.accountKey`, pre + cap('secretAccessKey'));
}

function v1Locator(res: Resolution, file: FileSource | undefined) {
  // explicit is always false: the Go tool translates v1 onto a defaulted v2 config, so v2's
  // "set but does not apply" checks never fire for a v1 file.
  return (v2key: string): Located => {
    const name = V2_TO_V1.get(v2key) ?? (V1_INDEX.byName.has(v2key) ? v2key : undefined);
    return locateParam(res, file, V1_INDEX, name ? V1_INDEX.byName.get(name) : undefined, name ?? v2key, false);
  };
}

/** What only a v1 file can get wrong: integer TLS modes, the silent mTLS downgrade, the backup root path quirk. */
function v1Checks(res: Resolution, file: FileSource | undefined): ConfigProblem[] {
  const out: ConfigProblem[] = [];
  const locate = (name: string) => locateParam(res, file, V1_INDEX, V1_INDEX.byName.get(name), name, false);
  const v = res.values;
  const mode = Number(v.get('milvus.tlsMode'));
  if (![0, 1, 2].includes(mode)) {
    const l = locate('milvus.tlsMode');
    out.push({ key: l.key, severity: 'error', code: 'invalid-enum', message: `milvus.tlsMode: invalid value ${mode}, want 0 (plaintext), 1 (verify the server) or 2 (mutual TLS); milvus-backup refuses to connect.`, ...(l.range ? { range: l.range } : {}) });
  } else if (mode === 2 && (v.get('milvus.mtlsCertPath') === '' || v.get('milvus.mtlsKeyPath') === '')) {
    const l = locate('milvus.tlsMode');
    out.push({ key: l.key, severity: 'warning', code: 'mtls-downgraded', message: 'milvus.tlsMode is 2 (mutual TLS) but milvus.mtlsCertPath and milvus.mtlsKeyPath are not both set: milvus-backup silently uses server-only TLS (mode 1). Set the client certificate and key, or write 1.', ...(l.range ? { range: l.range } : {}) });
  }
  const root = res.sources['minio.backupRootPath'];
  if (root?.source === 'default' && root.inheritedFrom) {
    const l = locate('minio.backupRootPath');
    const l2 = locateParam(res, file, V1_INDEX, V1_INDEX.byName.get('minio.rootPath'), 'minio.rootPath', false);
    const range = l2.range ?? l.range;
    out.push({
      key: 'minio.backupRootPath', severity: 'warning', code: 'backup-root-inherited',
      message: `minio.backupRootPath is not set, so a v1 config stores backups under the Milvus root path ${JSON.stringify(String(root.value))} (${JSON.stringify(`${String(root.value)}/<backup name>`)} next to the Milvus data), not under "backup". Set minio.backupRootPath (the samples use "backup").`,
      ...(range ? { range } : {}),
      data: { suggestion: 'backup' },
    });
  }
  return out;
}

/**
 * A leading `/` in a bucket root path (fine for local). Milvus (and the Go milvus-backup, whose `path.Join` keeps
 * it) then writes keys that start with `/`, a different location on S3-like stores; this tool ignores the `/`
 * (src/core/layout/root.ts), so it would not meet either there.
 */
function rootPathChecks(config: ResolvedConfig, locate: (k: string) => Located): ConfigProblem[] {
  const out: ConfigProblem[] = [];
  for (const side of ['milvus', 'backup'] as const) {
    const st = side === 'milvus' ? config.milvus.storage : config.backup.storage;
    if (st.provider === 'local' || !st.rootPath.startsWith('/')) continue;
    const l = locate(`${side}.storage.rootPath`);
    out.push({
      key: l.key, severity: 'warning', code: 'root-path-leading-slash',
      message: side === 'milvus'
        ? `${l.key} ${JSON.stringify(st.rootPath)} starts with "/": on ${st.provider} Milvus's object keys then begin with "/", which is a different location from ${JSON.stringify(st.rootPath.replace(/^\/+/, ''))} and will not match where Milvus writes. Remove the leading "/" unless the data really lives there.`
        : `${l.key} ${JSON.stringify(st.rootPath)} starts with "/": this tool reads and writes backups under ${JSON.stringify(st.rootPath.replace(/^\/+/, ''))} (object keys never start with "/"), but the Go milvus-backup keeps the "/" (keys beginning with "/", a different location on ${st.provider}), so the two tools would not see each other's backups. Remove the leading "/".`,
      ...(l.range ? { range: l.range } : {}),
      data: { suggestion: st.rootPath.replace(/^\/+/, '') },
    });
  }
  return out;
}

function unusedOverrides(overrides: Map<string, Override>, version: Version): ConfigProblem[] {
  const out: ConfigProblem[] = [];
  for (const o of overrides.values()) {
    if (o.used) continue;
    const lower = o.key.toLowerCase();
    const v2 = version !== 'v1';
    let hint = '';
    if (v2 && lower in V1_TO_V2) hint = V1_TO_V2[lower] ? ` It is a v1 key; use ${V1_TO_V2[lower]}.` : ' It is a v1 key that v2 removed.';
    else if (v2 && V1_INDEX.byEnv.has(lower)) hint = ` It is a v1 env name; ${v1EnvReplacement(V1_INDEX.byEnv.get(lower)!)}.`;
    else if (!v2 && (V2_INDEX.byKey.has(lower) || V2_INDEX.byEnv.has(lower))) hint = ' It is a v2 name, but the config is v1.';
    out.push({ key: o.key, severity: 'warning', code: 'unknown-override', message: `--set ${o.key} matches no ${v2 ? 'v2' : 'v1'} config key or env name; it is ignored.${hint}` });
  }
  return out;
}

function v1EnvReplacement(spec: ParamSpec): string {
  const v2key = V1_TO_V2[spec.name.toLowerCase()];
  const v2 = v2key ? V2_INDEX.byName.get(v2key) : undefined;
  if (v2?.env.length) return `set ${v2.env[0]} instead`;
  return v2key ? `set the config key ${v2key} instead` : 'v2 has no replacement';
}

/** v1 env vars are inert under a v2 config (and with no file at all): say so when one is set. */
function v1EnvIgnored(env: NodeJS.ProcessEnv): ConfigProblem[] {
  const out: ConfigProblem[] = [];
  for (const spec of V1_INDEX.params) {
    for (const name of spec.env) {
      if (env[name] === undefined || V2_INDEX.byEnv.has(name.toLowerCase())) continue;
      out.push({ key: name, severity: 'information', code: 'v1-env-ignored', message: `The environment variable ${name} is set but only v1 configs read it; ${v1EnvReplacement(spec)}.`, data: { env: name } });
    }
  }
  return out;
}

