/**
 * Resolves one parameter table against the three sources with the Go tool's precedence:
 * `--set` override > environment variable > config file > default (the default of an inheriting parameter
 * being the resolved value of the parameter it inherits). Parse failures become error problems and the value
 * falls back to the next source, so one bad value does not hide the others.
 */
import { coerceString, coerceYaml } from './coerce';
import type { ParamIndex, ParamSpec, ParamValue } from './params';
import type { ConfigProblem } from './problem';
import type { FileEntry, FileSource } from './yamlSource';

export type SourceKind = 'override' | 'env' | 'config' | 'default';

export interface ValueSource {
  value: unknown;
  source: SourceKind;
  /** The key that supplied the value: the config key as written, the env var name, or the `--set` key. '' for defaults. */
  sourceKey: string;
  secret: boolean;
  /** For a defaulted parameter that inherits: the parameter whose value it took. */
  inheritedFrom?: string;
  /** Set when an env var or `--set` hides a value the file gives: the file key it hides. */
  shadowsFileKey?: string;
}

export interface Override {
  /** as typed */
  key: string;
  value: string;
  /** set once a parameter consumed it */
  used?: boolean;
}

export interface Sources {
  file?: FileSource;
  env: NodeJS.ProcessEnv;
  /** lower-cased key → override (last `--set` of a key wins, like the Go map) */
  overrides: Map<string, Override>;
}

export interface Resolution {
  values: Map<string, ParamValue>;
  sources: Record<string, ValueSource>;
  /** the file entry each parameter's value (or shadowed value) came from */
  entries: Map<string, FileEntry>;
  problems: ConfigProblem[];
}

export function resolveParams(index: ParamIndex, src: Sources): Resolution {
  const res: Resolution = { values: new Map(), sources: {}, entries: new Map(), problems: [] };
  for (const p of index.params) resolveOne(p, src, res);
  return res;
}

function fileEntry(p: ParamSpec, file: FileSource | undefined): { entry: FileEntry; key: string } | undefined {
  if (!file) return undefined;
  for (const k of p.keys) {
    const e = file.entries.get(k.toLowerCase());
    if (e) return { entry: e, key: k };
  }
  return undefined;
}

function resolveOne(p: ParamSpec, src: Sources, res: Resolution): void {
  const secret = Boolean(p.secret);
  const inFile = fileEntry(p, src.file);
  if (inFile) res.entries.set(p.name, inFile.entry);
  const set = (value: ParamValue, vs: Omit<ValueSource, 'value' | 'secret'>) => {
    res.values.set(p.name, value);
    res.sources[p.name] = { value, secret, ...vs };
  };

  // 1. --set: the config key (any spelling) or the env name, case-insensitively.
  for (const k of [...p.keys, ...p.env]) {
    const o = src.overrides.get(k.toLowerCase());
    if (!o) continue;
    o.used = true;
    const c = coerceString(p.type, o.value);
    if (c.ok) {
      set(c.value, { source: 'override', sourceKey: o.key, ...(inFile ? { shadowsFileKey: inFile.entry.path } : {}) });
      return;
    }
    res.problems.push({ key: p.name, severity: 'error', code: 'invalid-override', message: `--set ${o.key}=${secret ? '****' : o.value}: ${secret ? 'the value' : c.reason} is not a valid ${p.type} for ${p.name}.` });
    break;
  }

  // 2. environment: presence counts, even when empty (Go's os.LookupEnv).
  for (const name of p.env) {
    const raw = src.env[name];
    if (raw === undefined) continue;
    const c = coerceString(p.type, raw);
    if (c.ok) {
      set(c.value, { source: 'env', sourceKey: name, ...(inFile ? { shadowsFileKey: inFile.entry.path } : {}) });
      if (inFile) {
        res.problems.push({
          key: p.name, severity: 'information', code: 'env-shadows-file',
          message: `The environment variable ${name} overrides this value (env beats the file)${secret ? '' : `: ${JSON.stringify(String(c.value))} is used`}.`,
          range: src.file!.range(inFile.entry.valueRange),
          data: { env: name },
        });
      }
      return;
    }
    res.problems.push({
      key: p.name, severity: 'error', code: 'invalid-env',
      message: `Environment variable ${name}=${secret ? '****' : JSON.stringify(raw)}: ${secret ? 'the value' : c.reason}, so ${p.name} cannot be read (the Go tool refuses to start).${kubernetesHint(name, raw)}`,
      ...(inFile ? { range: src.file!.range(inFile.entry.valueRange) } : {}),
      data: { env: name },
    });
    break;
  }

  // 3. config file.
  if (inFile) {
    const c = coerceYaml(p.type, inFile.entry.value);
    if (c.ok) {
      set(c.value, { source: 'config', sourceKey: inFile.entry.path });
      if (c.note) {
        const note = secret ? 'is a YAML list, but the Go tool reads it as one string' : c.note;
        res.problems.push({ key: p.name, severity: 'warning', code: 'list-as-string', message: `${inFile.entry.path} ${note}. Write a single string${p.name.endsWith('endpoints') ? ' (comma-separated in v1)' : ''}.`, range: src.file!.range(inFile.entry.valueRange) });
      }
      return;
    }
    res.problems.push({
      key: p.name, severity: 'error', code: typeCode(p),
      message: `${inFile.entry.path}: ${c.reason}; the Go tool refuses the file.`,
      range: src.file!.range(inFile.entry.valueRange),
      ...(p.type === 'bool' && typeof inFile.entry.value === 'string' ? { data: { suggestion: boolSuggestion(inFile.entry.value) } } : {}),
    });
  }

  // 4. default, or the inherited value.
  if (p.inherit) {
    const inherited = res.values.get(p.inherit);
    const v = inherited === '' && p.inheritFallback !== undefined ? p.inheritFallback : (inherited ?? p.default);
    set(v, { source: 'default', sourceKey: '', inheritedFrom: inherited === '' && p.inheritFallback !== undefined ? undefined : p.inherit });
    return;
  }
  set(Array.isArray(p.default) ? [...p.default] : p.default, { source: 'default', sourceKey: '' });
}

function typeCode(p: ParamSpec): string {
  if (p.type === 'bool') return 'invalid-bool';
  if (p.type === 'list') return 'invalid-list';
  return 'invalid-int';
}

/** yes/no/on/off and friends: what the author most likely meant. */
function boolSuggestion(s: string): string | undefined {
  const l = s.trim().toLowerCase();
  if (['yes', 'y', 'on', 'enable', 'enabled'].includes(l)) return 'true';
  if (['no', 'n', 'off', 'disable', 'disabled'].includes(l)) return 'false';
  return undefined;
}

/** Kubernetes service links inject `<SERVICE>_PORT=tcp://ip:port`, which v1 read as a config value (#197, #617). */
function kubernetesHint(name: string, raw: string): string {
  if (/^(tcp|udp):\/\//.test(raw)) {
    return ` This looks like a Kubernetes service-link variable (a Service named after the prefix): unset it, set enableServiceLinks: false on the pod, or use a v2 config, which has no env var for ${name.toLowerCase().includes('port') ? 'ports' : 'this key'} (milvus-backup issues #197, #617).`;
  }
  return '';
}
