/**
 * Checks on the resolved, v2-shaped config: the Go tool's v2 `Validate` (which a v1 file also goes through after
 * translation), plus the few things the object store refuses later (bucket names) or does differently from what
 * the author probably meant (a leading `/` in a root path). Problems name the key the author wrote — the v1 key
 * for a v1 file — and point at it when it is in the file.
 */
import { unsupportedAuth } from '../storage/support';
import { bucketNameProblem } from '../storage/bucketName';
import { V1_PROVIDER_ALIASES, V2_PROVIDERS, V2_TLS_MODES, V2_TRANSFER_MODES } from './params';
import type { ConfigProblem, ProblemRange } from './problem';
import type { ValueSource } from './resolve';
import { closest } from './suggest';
import type { ResolvedConfig, StorageConfig } from './types';

/** Where a v2 field came from, in the author's terms. */
export interface Located {
  /** the key to name in messages (v1 key for a v1 file) */
  key: string;
  range?: ProblemRange;
  /** set explicitly (file, env or --set) rather than defaulted; always false for v1 (Go translates onto defaults) */
  explicit: boolean;
  /** the range is the value itself (not a section it is missing from) */
  inFile: boolean;
  /** env vars that can supply it */
  env: string[];
  source?: ValueSource;
}
export type Locate = (v2key: string) => Located;

const S3_AUTH = ['static', 'iam', 'default'];
const AUTH_BY_PROVIDER: Record<string, string[]> = { azure: ['sharedKey', 'default'], gcpnative: ['serviceAccount', 'default'] };

export function checkResolved(cfg: ResolvedConfig, locate: Locate, version: 'v1' | 'v2' | 'none'): ConfigProblem[] {
  const out: ConfigProblem[] = [];
  /** `anchor`: for a required value that is absent, point at the value that requires it (e.g. the provider). */
  const err = (v2key: string, code: string, message: (key: string) => string, data?: ConfigProblem['data'], anchor?: string) => {
    const l = locate(v2key);
    const a = anchor && !l.inFile ? locate(anchor) : undefined;
    const range = a?.inFile ? a.range : l.range;
    out.push({ key: l.key, severity: 'error', code, message: message(l.key), ...(range ? { range } : {}), ...(data ? { data } : {}) });
  };
  const port = (v2key: string, value: number) => {
    if (value < 1 || value > 65535) err(v2key, 'port-out-of-range', (k) => `${k}: invalid port ${value}, want 1–65535.`);
  };
  const positive = (v2key: string, value: number) => {
    if (!(value > 0)) err(v2key, 'out-of-range', (k) => `${k}: invalid value ${value}, want a positive number.`);
  };
  const enumOf = (v2key: string, value: string, allowed: readonly string[], set: (v: string) => void): boolean => {
    const hit = allowed.find((a) => a.toLowerCase() === value.toLowerCase());
    if (hit !== undefined) {
      set(hit);
      return true;
    }
    const suggestion = closest(value, allowed);
    err(v2key, 'invalid-enum', (k) => `${k}: invalid value ${JSON.stringify(value)}, want one of: ${allowed.join(', ')}.${suggestion ? ` Did you mean "${suggestion}"?` : ''}`, suggestion ? { suggestion } : undefined);
    return false;
  };

  // --- milvus
  const m = cfg.milvus;
  port('milvus.grpc.port', m.grpc.port);
  if (version !== 'v1') {
    const v1Names: Record<string, string> = { '0': 'disabled', '1': 'server', '2': 'mutual' };
    const raw = m.grpc.tlsMode as string;
    if (v1Names[raw]) {
      err('milvus.grpc.tlsMode', 'invalid-enum', (k) => `${k}: ${JSON.stringify(raw)} is the v1 spelling of this mode; write it as "${v1Names[raw]}".`, { suggestion: v1Names[raw] });
    } else {
      enumOf('milvus.grpc.tlsMode', raw, V2_TLS_MODES, (v) => (m.grpc.tlsMode = v as typeof m.grpc.tlsMode));
    }
    if (m.grpc.tlsMode === 'mutual' && (m.grpc.mtlsCertPath === '' || m.grpc.mtlsKeyPath === '')) {
      err('milvus.grpc.tlsMode', 'mtls-incomplete', (k) => `${k} is "mutual", which requires both milvus.grpc.mtlsCertPath and milvus.grpc.mtlsKeyPath (the client certificate and key).`);
    }
  }
  for (const key of ['milvus.rest.endpoint', 'milvus.management.endpoint'] as const) {
    const value = key === 'milvus.rest.endpoint' ? m.rest.endpoint : m.management.endpoint;
    if (value !== '' && !isHttpUrl(value)) {
      err(key, 'invalid-url', (k) => `${k}: invalid URL ${JSON.stringify(value)}, want an absolute http(s) URL such as http://localhost:9091.`);
    }
  }
  if (m.etcd.endpoints.length === 0) err('milvus.etcd.endpoints', 'etcd-endpoints-empty', (k) => `${k}: at least one endpoint is required.`);

  // --- storage, both sides
  checkStorage(cfg.milvus.storage, 'milvus.storage');
  checkStorage(cfg.backup.storage, 'backup.storage');

  // --- concurrency and transfer
  positive('backup.concurrency.collections', cfg.backup.concurrency.collections);
  positive('backup.concurrency.segments', cfg.backup.concurrency.segments);
  positive('restore.concurrency.collections', cfg.restore.concurrency.collections);
  positive('restore.concurrency.importJobs', cfg.restore.concurrency.importJobs);
  positive('restore.maxSegmentsPerImportJob', cfg.restore.maxSegmentsPerImportJob);
  if (version !== 'v1') enumOf('transfer.mode', cfg.transfer.mode, V2_TRANSFER_MODES, (v) => (cfg.transfer.mode = v as typeof cfg.transfer.mode));
  positive('transfer.concurrency', cfg.transfer.concurrency);
  positive('transfer.multipartCopyThresholdMiB', cfg.transfer.multipartCopyThresholdMiB);
  return out;

  function checkStorage(st: StorageConfig, p: string): void {
    const raw = st.provider as string;
    const alias = V1_PROVIDER_ALIASES[raw.toLowerCase()];
    if (version !== 'v1' && alias) {
      err(`${p}.provider`, 'invalid-enum', (k) => `${k}: "${raw}" is a v1 spelling that v2 rejects; write "${alias}".`, { suggestion: alias });
      return;
    }
    if (!enumOf(`${p}.provider`, raw, V2_PROVIDERS, (v) => (st.provider = v as StorageConfig['provider']))) return;
    const provider = st.provider;

    if (provider === 'local') {
      if (st.milvusAddress) err(`${p}.milvusAddress`, 'not-applicable', (k) => `${k} does not apply to the local provider.`);
      return;
    }
    port(`${p}.port`, st.port);
    if (st.milvusAddress?.includes('://')) err(`${p}.milvusAddress`, 'invalid-host', (k) => `${k} must be a host, not a URL: ${JSON.stringify(st.milvusAddress)}.`);
    if (st.milvusPort) {
      if (!st.milvusAddress) err(`${p}.milvusPort`, 'requires-key', (k) => `${k} requires ${p}.milvusAddress to be set.`);
      port(`${p}.milvusPort`, st.milvusPort);
    }
    if (provider === 'azure' && st.accountName === '') {
      err(`${p}.accountName`, 'azure-account-name-required', (k) => version === 'v1'
        ? `${k} is empty, but for azure it is the storage account name, which is required${envHint(`${p}.accountName`)}.`
        : `${k} is required for the azure provider${envHint(`${p}.accountName`)}.`, undefined, `${p}.provider`);
    } else if (provider !== 'azure' && locate(`${p}.accountName`).explicit) {
      err(`${p}.accountName`, 'not-applicable', (k) => `${k} only applies to the azure provider, but ${p}.provider is "${provider}".`);
    }
    if (locate(`${p}.localPath`).explicit) err(`${p}.localPath`, 'not-applicable', (k) => `${k} only applies to the local provider, but ${p}.provider is "${provider}".`);

    // auth
    const allowed = AUTH_BY_PROVIDER[provider] ?? S3_AUTH;
    if (!enumOf(`${p}.auth.type`, st.auth.type, allowed, (v) => (st.auth.type = v as StorageConfig['auth']['type']))) return;
    const a = st.auth;
    const unsupported = unsupportedAuth(provider, a.type);
    if (unsupported) err(`${p}.auth.type`, 'storage-unsupported', (k) => `${k} "${a.type}": ${unsupported}.`, undefined, `${p}.provider`);
    const fields = {
      static: ['accessKeyID', 'secretAccessKey', 'sessionToken'],
      sharedKey: ['accountKey'],
      serviceAccount: ['credentialsFile'],
      iam: ['endpoint'],
      default: [] as string[],
    }[a.type];
    if (a.type === 'static') {
      if (a.accessKeyID === '') err(`${p}.auth.accessKeyID`, 'static-credentials-required', (k) => `${k} is required for static credentials${envHint(`${p}.auth.accessKeyID`)}.`, undefined, `${p}.auth.type`);
      if (a.secretAccessKey === '') err(`${p}.auth.secretAccessKey`, 'static-credentials-required', (k) => `${k} is required for static credentials${envHint(`${p}.auth.secretAccessKey`)}.`, undefined, `${p}.auth.type`);
    } else if (a.type === 'sharedKey' && a.accountKey === '') {
      err(`${p}.auth.accountKey`, 'azure-account-key-required', (k) => `${k} is required for azure shared-key authentication${envHint(`${p}.auth.accountKey`)}.`, undefined, version === 'v1' ? `${p}.provider` : `${p}.auth.type`);
    } else if (a.type === 'serviceAccount' && a.credentialsFile === '') {
      err(`${p}.auth.credentialsFile`, 'gcp-credentials-required', (k) => `${k} (the path of the service-account JSON file) is required for gcpnative${envHint(`${p}.auth.credentialsFile`)}.`, undefined, version === 'v1' ? `${p}.provider` : `${p}.auth.type`);
    }
    for (const f of ['accessKeyID', 'secretAccessKey', 'sessionToken', 'accountKey', 'credentialsFile', 'endpoint']) {
      if (fields.includes(f) || !locate(`${p}.auth.${f}`).explicit) continue;
      err(`${p}.auth.${f}`, 'not-applicable', (k) => `${k} does not apply when ${p}.auth.type is "${a.type}".`);
    }

    if (/^<.*>$/.test(st.bucketName)) {
      // the samples ship `<your-bucket-name>`: a placeholder to fill in, not a mistake in the file's shape
      const l = locate(`${p}.bucketName`);
      out.push({ key: l.key, severity: 'warning', code: 'placeholder-value', message: `${l.key} is the placeholder ${JSON.stringify(st.bucketName)}; replace it with the real bucket name.`, ...(l.range ? { range: l.range } : {}) });
      return;
    }
    const bucketWhy = bucketNameProblem(provider, st.bucketName);
    if (bucketWhy) err(`${p}.bucketName`, 'invalid-bucket-name', (k) => `${k}: ${bucketWhy}.`);
  }

  function envHint(v2key: string): string {
    const env = locate(v2key).env;
    return env.length ? ` (set it in the file or supply it through ${env.join(' or ')})` : '';
  }
}

/** An absolute http(s) URL with a host, as Go's url.Parse + scheme/host check accepts. */
function isHttpUrl(s: string): boolean {
  try {
    const u = new URL(s);
    return (u.protocol === 'http:' || u.protocol === 'https:') && u.host !== '';
  } catch {
    return false;
  }
}
