import * as vscode from 'vscode';
import { stringify } from 'yaml';
import { loadConfig } from '../../core/config';
import type { Logger } from '../log';
import { storageId, type MilvusInstance, type StorageTarget } from './model';

/**
 * Connections declared in settings (`milvusBackup.instances`, `milvusBackup.storageTargets`). Settings hold
 * non-secret fields only; a secret comes from SecretStorage (written by the Add commands) or from an
 * `${env:NAME}` reference in its field. Any other value in a secret field is ignored with a warning, so a
 * password typed into settings.json never reaches a server or the log.
 */
export interface StorageSetting {
  name?: string;
  provider?: string;
  /** host:port */
  address?: string;
  bucket?: string;
  rootPath?: string;
  useSSL?: boolean;
  region?: string;
  /** azure: the storage account name */
  accessKeyId?: string;
  /** only `${env:NAME}` is honoured (azure: the account key) */
  secretAccessKey?: string;
  /** gcpnative: path of the service-account JSON key file */
  credentialsFile?: string;
}

export interface InstanceSetting {
  name: string;
  /** host:port of the gRPC (and REST) endpoint */
  address: string;
  user?: string;
  /** only `${env:NAME}` is honoured */
  password?: string;
  tls?: boolean;
  /** Milvus's management API (GC pause), e.g. http://127.0.0.1:9091 */
  managementAddress?: string;
  /** the bucket Milvus itself stores binlogs in (backups copy from there) */
  storage?: StorageSetting;
  /** name of a storage target this instance backs up into by default */
  backupStorage?: string;
}

export const secretKeys = {
  instancePassword: (name: string) => `milvusBackup/instance/${name}/password`,
  instanceStorageSecret: (name: string) => `milvusBackup/instance/${name}/storageSecretAccessKey`,
  targetSecret: (name: string) => `milvusBackup/storage/${name}/secretAccessKey`,
};

const ENV_REF = /^\$\{env:([A-Za-z_][A-Za-z0-9_]*)\}$/;

/** A secret field's value: `${env:NAME}` resolved, else the stored secret; a literal in settings is refused. */
async function resolveSecret(
  field: string | undefined, stored: string | undefined, what: string, env: NodeJS.ProcessEnv, log: Logger,
): Promise<string> {
  if (field) {
    const m = ENV_REF.exec(field.trim());
    if (m) return env[m[1]!] ?? '';
    log.warn(`${what}: a secret written in settings is ignored; use the Add command (SecretStorage) or \${env:NAME}`);
  }
  return stored ?? '';
}

function hostPort(address: string | undefined, defaultPort: number): { host: string; port: number } {
  const a = (address ?? '').trim().replace(/^[a-z]+:\/\//, '');
  const i = a.lastIndexOf(':');
  if (i > 0 && /^\d+$/.test(a.slice(i + 1))) return { host: a.slice(0, i), port: Number(a.slice(i + 1)) };
  return { host: a || 'localhost', port: defaultPort };
}

/** The v1 `minio.*` keys of one side (prefix '' for Milvus's bucket, 'backup' for the backup side). */
function storageKeys(s: StorageSetting, secret: string, side: '' | 'backup'): Record<string, unknown> {
  const { host, port } = hostPort(s.address, 9000);
  const k = (name: string) => (side ? `backup${name[0]!.toUpperCase()}${name.slice(1)}` : name);
  const out: Record<string, unknown> = {
    [k('storageType')]: s.provider ?? 'minio',
    [k('address')]: host,
    [k('port')]: port,
    [k('useSSL')]: Boolean(s.useSSL),
    [k('bucketName')]: s.bucket ?? '',
    [k('rootPath')]: s.rootPath ?? (side ? 'backup' : 'files'),
    [side ? 'backupAccessKeyID' : 'accessKeyID']: s.accessKeyId ?? '',
    [side ? 'backupSecretAccessKey' : 'secretAccessKey']: secret,
  };
  if (s.region) out[k('region')] = s.region;
  if (s.credentialsFile) out[k('gcpCredentialJSON')] = s.credentialsFile;
  return out;
}

/** Loads a config from generated YAML (in memory only; it may hold secrets and is never written or logged). */
function configFrom(doc: Record<string, unknown>, label: string) {
  return loadConfig({ text: stringify(doc), file: label, env: {} });
}

export async function readSettings(
  secrets: vscode.SecretStorage, log: Logger, env: NodeJS.ProcessEnv = process.env,
): Promise<{ instances: MilvusInstance[]; targets: StorageTarget[] }> {
  const cfg = vscode.workspace.getConfiguration('milvusBackup');
  const instanceSettings = cfg.get<InstanceSetting[]>('instances', []) ?? [];
  const targetSettings = cfg.get<StorageSetting[]>('storageTargets', []) ?? [];
  const targets: StorageTarget[] = [];
  for (const t of targetSettings) {
    if (!t?.name) continue;
    const secret = await resolveSecret(t.secretAccessKey, await secrets.get(secretKeys.targetSecret(t.name)), `storage target "${t.name}"`, env, log);
    const loaded = configFrom({ minio: storageKeys(t, secret, 'backup') }, `settings:storage:${t.name}`);
    for (const p of loaded.problems) if (p.severity === 'error') log.warn(`storage target "${t.name}": ${p.message}`);
    targets.push({ id: storageId(loaded.config.backup.storage), name: t.name, settingName: t.name, origin: 'settings', storage: loaded.config.backup.storage, config: loaded.config });
  }
  const instances: MilvusInstance[] = [];
  for (const s of instanceSettings) {
    if (!s?.name) continue;
    const password = await resolveSecret(s.password, await secrets.get(secretKeys.instancePassword(s.name)), `instance "${s.name}"`, env, log);
    const storageSecret = await resolveSecret(s.storage?.secretAccessKey, await secrets.get(secretKeys.instanceStorageSecret(s.name)), `instance "${s.name}" storage`, env, log);
    const { host, port } = hostPort(s.address, 19530);
    const milvus: Record<string, unknown> = { address: host, port, user: s.user ?? '', password, tlsMode: s.tls ? 1 : 0 };
    const doc: Record<string, unknown> = { milvus, minio: storageKeys(s.storage ?? {}, storageSecret, '') };
    if (s.managementAddress) doc.backup = { gcPause: { enable: true, address: s.managementAddress } };
    const loaded = configFrom(doc, `settings:instance:${s.name}`);
    const problems = loaded.problems.filter((p) => p.severity === 'error').map((p) => p.message);
    const target = s.backupStorage ? targets.find((t) => t.name === s.backupStorage) : undefined;
    instances.push({ id: `settings:${s.name}`, name: s.name, origin: 'settings', config: loaded.config, problems, defaultStorageId: target?.id, backupStorageName: s.backupStorage });
  }
  return { instances, targets };
}
