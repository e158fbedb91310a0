/**
 * v1 → v2 migration (`milvus-backup config migrate`, Go `internal/cfg/migrate/migrate.go`): renders a complete v2
 * file from a v1 file as the loader resolves it (without --set: overrides are per-run, not part of the file),
 * and a report of what changed meaning. A secret that reached v1 through an environment variable is not written:
 * the v2 file references the v2 variable to set instead.
 */
import { loadConfig, type LoadedConfig } from './load';
import { V1_INDEX, V1_TO_V2, V2_INDEX, V2_PARAMS, type ParamSpec } from './params';
import type { ConfigProblem } from './problem';
import type { ValueSource } from './resolve';
import type { ResolvedConfig, StorageConfig } from './types';

export interface MigrationResult {
  /** the v2 YAML text */
  text: string;
  /** human-readable warnings (stderr) */
  warnings: string[];
  /** v1 env vars set in the environment, and the v2 names that replace them */
  envRenames: { from: string; to: string }[];
  /** problems the migrated file still has as v2 (excluding fields deliberately left to env vars) */
  validation: ConfigProblem[];
}

interface MigrateInput {
  /** the v1 file as loaded (no --set) */
  loaded: LoadedConfig;
  env: NodeJS.ProcessEnv;
}

const SECTION_ORDER = ['log', 'server', 'milvus', 'backup', 'restore', 'transfer', 'zillizCloud'];

/** Which v2 credential keys apply for this storage's provider/auth (render.go inapplicableKeys). */
function applicable(st: StorageConfig): Set<string> {
  const out = new Set<string>();
  if (st.provider === 'azure') out.add('accountName');
  if (st.provider === 'local') out.add('localPath');
  if (st.provider !== 'local') {
    const byType: Record<string, string[]> = {
      static: ['auth.accessKeyID', 'auth.secretAccessKey', 'auth.sessionToken'],
      sharedKey: ['auth.accountKey'],
      serviceAccount: ['auth.credentialsFile'],
      iam: ['auth.endpoint'],
      default: [],
    };
    for (const k of byType[st.auth.type] ?? []) out.add(k);
  }
  return out;
}

const ALWAYS = new Set(['provider', 'address', 'port', 'region', 'useSSL', 'bucketName', 'rootPath', 'milvusAddress', 'milvusPort', 'auth.type']);

function valueAt(cfg: ResolvedConfig, key: string): unknown {
  const path = key.split('.');
  // ResolvedConfig mirrors the v2 key layout, except `zillizCloud` and `server` which are spelled the same too.
  let cur: unknown = cfg;
  for (const p of path) cur = (cur as Record<string, unknown> | undefined)?.[p];
  return cur;
}

/** Quotes a string when YAML (1.1 or 1.2) could read it as something else. */
function yamlScalar(v: unknown): string {
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  const s = String(v);
  if (s === '' || /^(true|false|yes|no|on|off|y|n|null|~)$/i.test(s) || /^[-+]?(\d|\.\d)/.test(s) || /^[\s!&*?|>'"%@`#,[\]{}-]|[:#]\s|:$|\s$/.test(s) || s.includes('\n')) {
    return JSON.stringify(s);
  }
  return s;
}

interface Node { children: Map<string, Node>; value?: unknown; comment?: string; leaf: boolean }

export function migrateV1ToV2(input: MigrateInput): MigrationResult {
  const { loaded, env } = input;
  const src = loaded.sources;
  const cfg = loaded.config;
  const warnings: string[] = [];
  const comments = new Map<string, string>();
  const deferred = new Set<string>();

  // A v1 secret from an env var is referenced, not copied (mapSecret); the backup side's unset secrets inherit the
  // Milvus side, so their origin is the Milvus side's.
  const effective = (name: string, primary?: string): ValueSource | undefined => {
    const s = src[name];
    return s && s.source === 'default' && primary ? src[primary] : s;
  };
  const deferIfEnv = (v2key: string, vs: ValueSource | undefined) => {
    if (vs?.source !== 'env') return;
    const v2env = V2_INDEX.byName.get(v2key)?.env[0] ?? '';
    deferred.add(v2key);
    comments.set(v2key, `set via env ${v2env}`);
    warnings.push(`${v2key} is supplied via environment variable ${vs.sourceKey} in v1; set ${v2env} in your v2 deployment (its value was not written to the file).`);
  };
  deferIfEnv('milvus.password', src['milvus.password']);
  deferIfEnv('zillizCloud.apiKey', src['cloud.apikey']);
  for (const side of ['milvus', 'backup'] as const) {
    const st = side === 'milvus' ? cfg.milvus.storage : cfg.backup.storage;
    const v1 = (f: string) => (side === 'milvus' ? `minio.${f}` : `minio.backup${f[0].toUpperCase()}${f.slice(1)}`);
    const eff = (f: string) => effective(v1(f), side === 'backup' && f !== 'gcpCredentialJSON' ? `minio.${f}` : undefined);
    if (st.provider === 'azure' && st.auth.type === 'sharedKey') deferIfEnv(`${side}.storage.auth.accountKey`, eff('secretAccessKey'));
    else if (st.provider === 'gcpnative') {
      deferIfEnv(`${side}.storage.auth.credentialsFile`, eff('gcpCredentialJSON'));
      warnings.push(`${side}.storage.auth.credentialsFile expects a path to the service account JSON file; verify it is not inline JSON.`);
    } else if (st.auth.type === 'static') {
      deferIfEnv(`${side}.storage.auth.secretAccessKey`, eff('secretAccessKey'));
      deferIfEnv(`${side}.storage.auth.sessionToken`, eff('token'));
    }
  }

  if (src['http.enabled']?.value === false) warnings.push('http.enabled=false was dropped in v2; the API server is always enabled.');
  const mode = Number(src['milvus.tlsMode']?.value ?? 0);
  if (mode === 2 && cfg.milvus.grpc.tlsMode === 'server') {
    warnings.push('milvus.tlsMode=2 (mutual) but no client certificate/key is set; v1 used server TLS, migrated as "server".');
    comments.set('milvus.grpc.tlsMode', 'v1 tlsMode 2 without an mTLS key pair; downgraded to server (v1 behavior)');
  }
  const root = src['minio.backupRootPath'];
  if (root?.source === 'default' && src['minio.rootPath']?.source !== 'default') {
    warnings.push(`backup root path ${JSON.stringify(String(root.value))} was inherited from the milvus storage root path in v1; v2 keeps them independent and now sets it explicitly.`);
  }
  if (cfg.transfer.mode === 'auto') {
    comments.set('transfer.mode', 'v1 minio.crossStorage=false mapped to auto');
    const a = cfg.milvus.storage;
    const b = cfg.backup.storage;
    const same = a.provider === b.provider && a.address === b.address && a.port === b.port && a.region === b.region && a.useSSL === b.useSSL && a.accountName === b.accountName;
    if (!same) warnings.push('minio.crossStorage=false mapped to transfer.mode=auto, but milvus and backup storage differ; auto streams between them where v1 could attempt direct copy — verify this is intended.');
  }

  // Render in schema order, skipping credential keys that do not apply (v2 would reject them even empty).
  const tree: Node = { children: new Map(), leaf: false };
  const apply = { milvus: applicable(cfg.milvus.storage), backup: applicable(cfg.backup.storage) };
  const params = [...V2_PARAMS].sort((x, y) => SECTION_ORDER.indexOf(x.name.split('.')[0]) - SECTION_ORDER.indexOf(y.name.split('.')[0]));
  for (const p of params) {
    const m = /^(milvus|backup)\.storage\.(.+)$/.exec(p.name);
    if (m && !ALWAYS.has(m[2]) && !apply[m[1] as 'milvus' | 'backup'].has(m[2])) continue;
    let value = deferred.has(p.name) ? '' : valueAt(cfg, p.name);
    if (m && m[2] === 'localPath') value = valueAt(cfg, p.name) === valueAt(cfg, `${m[1]}.storage.rootPath`) ? '' : value;
    insert(tree, p.name.split('.'), value, comments.get(p.name));
  }
  const lines = ['# Migrated from a v1 config by milvus-backup config migrate.', 'configVersion: v2'];
  render(tree, 0, lines);
  const text = lines.join('\n') + '\n';

  // Env renames: v1 variables set now are inert under v2.
  const envRenames: { from: string; to: string }[] = [];
  for (const spec of V1_INDEX.params) {
    for (const name of spec.env) {
      if (env[name] === undefined) continue;
      envRenames.push({ from: name, to: v2EnvOrKey(spec) });
    }
  }

  // What the migrated file still gets wrong as v2 (an env-deferred secret is empty on purpose).
  const check = loadConfig({ text, env: {} });
  const validation = check.problems.filter((p) => p.severity === 'error' && !deferred.has(p.key));
  return { text, warnings, envRenames, validation };
}

function v2EnvOrKey(spec: ParamSpec): string {
  const v2key = V1_TO_V2[spec.name.toLowerCase()];
  const v2 = v2key ? V2_INDEX.byName.get(v2key) : undefined;
  if (v2?.env.length) {
    if (spec.name.endsWith('ccessKeyID')) return `${v2.env[0]}, or ${v2.env[0].replace('AUTH_ACCESS_KEY_ID', 'ACCOUNT_NAME')} for azure`;
    if (spec.name.endsWith('ecretAccessKey')) return `${v2.env[0]}, or ${v2.env[0].replace('SECRET_ACCESS_KEY', 'ACCOUNT_KEY')} for azure`;
    return v2.env[0];
  }
  return v2key ? `the ${v2key} config key` : '(removed in v2)';
}

function insert(tree: Node, path: string[], value: unknown, comment?: string): void {
  let cur = tree;
  for (const part of path) {
    let next = cur.children.get(part);
    if (!next) {
      next = { children: new Map(), leaf: false };
      cur.children.set(part, next);
    }
    cur = next;
  }
  cur.leaf = true;
  cur.value = value;
  if (comment) cur.comment = comment;
}

function render(node: Node, depth: number, lines: string[]): void {
  const pad = '  '.repeat(depth);
  for (const [key, child] of node.children) {
    if (child.comment) lines.push(`${pad}# ${child.comment}`);
    if (!child.leaf) {
      if (depth === 0) lines.push('');
      lines.push(`${pad}${key}:`);
      render(child, depth + 1, lines);
    } else if (Array.isArray(child.value)) {
      lines.push(`${pad}${key}:`);
      for (const item of child.value) lines.push(`${pad}  - ${yamlScalar(item)}`);
    } else {
      lines.push(`${pad}${key}: ${yamlScalar(child.value)}`);
    }
  }
}

