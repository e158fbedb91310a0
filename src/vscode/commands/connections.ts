import * as vscode from 'vscode';
import { UserError } from '../../core/errors';
import { withBackupStorage, type MilvusInstance } from '../connections/model';
import { secretKeys, type InstanceSetting, type StorageSetting } from '../connections/settingsSource';
import type { InstanceNode } from '../tree/nodes';
import type { CommandDeps } from './deps';
import { pickInstance } from './pick';

/**
 * *Add Milvus Instance* / *Add Storage Target*: step-by-step input; the non-secret fields go to user settings,
 * the password or secret key to SecretStorage (never to settings or the log). *Test Connection*: the `check`
 * probe when the instance has a backup storage, else a connect and a database listing.
 */

const HOST_PORT = /^[^\s:/]+:\d{1,5}$/;
const NAME = /^[\w .-]{1,64}$/;

async function ask(d: CommandDeps, title: string, o: vscode.InputBoxOptions & { required?: boolean; pattern?: RegExp; hint?: string }): Promise<string> {
  const v = await d.input.showInputBox({
    title,
    ignoreFocusOut: true,
    ...o,
    validateInput: (s) => {
      if (o.required && !s.trim()) return 'required';
      if (s && o.pattern && !o.pattern.test(s.trim())) return o.hint ?? 'invalid value';
      return undefined;
    },
  });
  if (v === undefined) throw new CancelledPrompt();
  const t = v.trim();
  if (o.required && !t) throw new UserError(`${title}: a value is required`, 'invalid-input');
  if (t && o.pattern && !o.pattern.test(t)) throw new UserError(`${title}: ${o.hint ?? 'invalid value'}`, 'invalid-input');
  return t;
}

/** The user closed a prompt: the command ends quietly. */
class CancelledPrompt extends Error {
  override readonly name = 'CancelledPrompt';
}

function settings() {
  return vscode.workspace.getConfiguration('milvusBackup');
}

async function appendSetting<T extends { name?: string }>(key: 'instances' | 'storageTargets', value: T): Promise<void> {
  const current = settings().inspect<T[]>(key)?.globalValue ?? [];
  if (current.some((c) => c.name === value.name)) throw new UserError(`"${value.name}" already exists in settings (milvusBackup.${key})`, 'duplicate');
  await settings().update(key, [...current, value], vscode.ConfigurationTarget.Global);
}

export const addInstance = (d: CommandDeps) => async (): Promise<string | undefined> => {
  try {
    const title = 'Add Milvus Instance';
    const name = await ask(d, `${title} (1/8): name`, { required: true, pattern: NAME, hint: 'letters, digits, space, . _ -', placeHolder: 'milvus_prod' });
    if (d.registry.instances.some((i) => i.name === name)) throw new UserError(`an instance named "${name}" exists already`, 'duplicate');
    const address = await ask(d, `${title} (2/8): gRPC address`, { value: '127.0.0.1:19530', required: true, pattern: HOST_PORT, hint: 'host:port' });
    const user = await ask(d, `${title} (3/8): user (empty when authentication is off)`, {});
    const password = user ? await ask(d, `${title} (4/8): password (kept in VS Code's secret storage)`, { password: true }) : '';
    const storageAddress = await ask(d, `${title} (5/8): address of the object storage Milvus uses`, { value: '127.0.0.1:9000', required: true, pattern: HOST_PORT, hint: 'host:port' });
    const bucket = await ask(d, `${title} (6/8): Milvus's bucket`, { value: 'a-bucket', required: true });
    const rootPath = await ask(d, `${title} (7/8): Milvus's root path in the bucket`, { value: 'files' });
    const accessKeyId = await ask(d, `${title} (8/8): access key id for that storage`, {});
    const secret = accessKeyId ? await ask(d, `${title}: secret access key (kept in VS Code's secret storage)`, { password: true }) : '';
    const storage: StorageSetting = { provider: 'minio', address: storageAddress, bucket, rootPath, useSSL: false, accessKeyId };
    const setting: InstanceSetting = { name, address, user: user || undefined, storage };
    if (password) await d.secrets.store(secretKeys.instancePassword(name), password);
    if (secret) await d.secrets.store(secretKeys.instanceStorageSecret(name), secret);
    await appendSetting('instances', setting);
    await d.registry.reload();
    d.log.info(`added instance "${name}" at ${address} (user settings; secrets in SecretStorage)`);
    d.notify(`Milvus instance "${name}" added.`);
    return name;
  } catch (e) {
    if (e instanceof CancelledPrompt) return undefined;
    throw e;
  }
};

const PROVIDERS = ['minio', 's3', 'aws', 'gcp', 'gcpnative', 'azure', 'aliyun', 'tencent', 'hwc', 'local'];
/** The public endpoints of the SDK providers (the Go tool's sample configs use these addresses). */
const DEFAULT_ADDRESS: Record<string, string> = { azure: 'core.windows.net:443', gcpnative: 'storage.googleapis.com:443' };

export const addStorageTarget = (d: CommandDeps) => async (): Promise<string | undefined> => {
  try {
    const title = 'Add Storage Target';
    const name = await ask(d, `${title} (1/7): name`, { required: true, pattern: NAME, hint: 'letters, digits, space, . _ -', placeHolder: 'backups' });
    if (d.registry.targets.some((t) => t.name === name)) throw new UserError(`a storage target named "${name}" exists already`, 'duplicate');
    const provider = (await d.input.showQuickPick(PROVIDERS.map((p) => ({ label: p })), { title: `${title} (2/7): provider` }))?.label;
    if (!provider) return undefined;
    let setting: StorageSetting;
    let secret = '';
    if (provider === 'local') {
      const dir = await ask(d, `${title} (3/7): directory`, { required: true });
      setting = { name, provider, rootPath: dir };
    } else {
      const address = await ask(d, `${title} (3/7): address`, { value: DEFAULT_ADDRESS[provider] ?? '127.0.0.1:9000', required: true, pattern: HOST_PORT, hint: 'host:port' });
      const bucket = await ask(d, `${title} (4/7): bucket`, { required: true });
      const rootPath = await ask(d, `${title} (5/7): root path of the backups in the bucket`, { value: 'backup' });
      const tls = await d.input.showQuickPick([{ label: 'HTTPS' }, { label: 'HTTP' }], { title: `${title} (6/7): protocol` });
      if (!tls) return undefined;
      if (provider === 'gcpnative') {
        // the key file stays where it is: settings hold its path only
        const credentialsFile = await ask(d, `${title} (7/7): path of the service-account JSON key file`, { required: true });
        setting = { name, provider, address, bucket, rootPath, useSSL: tls.label === 'HTTPS', credentialsFile };
      } else {
        // azure: the account name and key take the places of the access key pair, as in the Go tool's v1 keys
        const azure = provider === 'azure';
        const accessKeyId = await ask(d, `${title} (7/7): ${azure ? 'storage account name' : 'access key id'}`, { required: azure });
        secret = accessKeyId ? await ask(d, `${title}: ${azure ? 'account key' : 'secret access key'} (kept in VS Code's secret storage)`, { password: true }) : '';
        setting = { name, provider, address, bucket, rootPath, useSSL: tls.label === 'HTTPS', accessKeyId };
      }
    }
    if (secret) await d.secrets.store(secretKeys.targetSecret(name), secret);
    await appendSetting('storageTargets', setting);
    await d.registry.reload();
    d.log.info(`added storage target "${name}" (${provider}; user settings, secret in SecretStorage)`);
    d.notify(`Storage target "${name}" added.`);
    return name;
  } catch (e) {
    if (e instanceof CancelledPrompt) return undefined;
    throw e;
  }
};

interface TestConnectionResult {
  instance: string;
  milvusVersion: string;
  databases?: string[];
  probe?: boolean;
  warnings: string[];
}

export const testConnection = (d: CommandDeps) => async (node?: InstanceNode): Promise<TestConnectionResult | undefined> => {
  const instance: MilvusInstance | undefined = node?.instance ?? (await pickInstance(d, 'Test Connection'));
  if (!instance) return undefined;
  const target = instance.defaultStorageId ? d.registry.target(instance.defaultStorageId) : undefined;
  const out = await d.jobs.run(`Testing ${instance.name}`, async ({ signal }) => {
    if (instance.problems.length) throw new UserError(`invalid configuration: ${instance.problems.join('; ')}`, 'invalid-config');
    if (target) {
      const { checkSetup } = await import('../../core/backup/index.js');
      const report = await checkSetup({ config: withBackupStorage(instance.config, target) });
      return { instance: instance.name, milvusVersion: report.milvusVersion, probe: report.probe.verified, warnings: report.warnings };
    }
    const gw = await d.clients.gateway(instance);
    const databases = await gw.listDatabases(signal);
    return { instance: instance.name, milvusVersion: gw.version.raw, databases, warnings: [] };
  });
  if (!out.ok) return undefined;
  const r = out.value;
  d.log.info(`test connection ${instance.name}: Milvus ${r.milvusVersion}${r.probe !== undefined ? `, copy probe ${r.probe ? 'ok' : 'failed'}` : ''}`);
  for (const w of r.warnings) d.log.warn(`test connection ${instance.name}: ${w}`);
  d.notify(`${instance.name}: connected to Milvus ${r.milvusVersion}${r.probe ? '; storage probe copy ok' : ''}.`);
  return r;
};
