import * as vscode from 'vscode';
import { UserError } from '../../core/errors';
import { describeStorage, withBackupStorage, type MilvusInstance } from '../connections/model';
import { runWizard, type Step } from '../ui/wizard';
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

/** validateInput for a text step: required, a pattern, and checks of its own (a duplicate name), inline. */
function check(o: { required?: boolean; pattern?: RegExp; hint?: string; also?: (v: string) => string | undefined }) {
  return (raw: string): string | undefined => {
    const v = raw.trim();
    if (o.required && !v) return 'required';
    if (v && o.pattern && !o.pattern.test(v)) return o.hint ?? 'invalid value';
    return v ? o.also?.(v) : undefined;
  };
}

function settings() {
  return vscode.workspace.getConfiguration('milvusBackup');
}

async function appendSetting<T extends { name?: string }>(key: 'instances' | 'storageTargets', value: T): Promise<void> {
  const current = settings().inspect<T[]>(key)?.globalValue ?? [];
  if (current.some((c) => c.name === value.name)) throw new UserError(`"${value.name}" already exists in settings (milvusBackup.${key})`, 'duplicate');
  await settings().update(key, [...current, value], vscode.ConfigurationTarget.Global);
}

/** What Add Milvus Instance has been told so far. Kept when the wizard is closed, offered again next time. */
interface InstanceDraft {
  name?: string;
  address?: string;
  user?: string;
  password?: string;
  storageAddress?: string;
  bucket?: string;
  rootPath?: string;
  accessKeyId?: string;
  secret?: string;
  /** name of the storage target backups go to; '' for none (asked at each backup) */
  backupStorage?: string;
}

const NO_DEFAULT_STORAGE = 'Ask at each backup';
const instanceDrafts = new Map<string, InstanceDraft>();

export const addInstance = (d: CommandDeps) => async (): Promise<string | undefined> => instanceWizard(d);

/** *Edit…* a settings instance: the same steps, filled in from its setting; an empty secret keeps the stored one. */
export const editInstance = (d: CommandDeps) => async (node?: InstanceNode): Promise<string | undefined> => {
  if (!node || node.instance.origin !== 'settings') throw new UserError('Edit: select a Milvus instance added in VS Code (a backup.yaml is edited as a file: Open backup.yaml)', 'no-selection');
  const s = (settings().get<InstanceSetting[]>('instances') ?? []).find((i) => i.name === node.instance.name);
  if (!s) throw new UserError(`${node.instance.name} is no longer in your settings`, 'not-found');
  return instanceWizard(d, {
    name: s.name, address: s.address, user: s.user ?? '', storageAddress: s.storage?.address, bucket: s.storage?.bucket,
    rootPath: s.storage?.rootPath, accessKeyId: s.storage?.accessKeyId, backupStorage: s.backupStorage ?? '',
  }, s.name);
};

async function instanceWizard(d: CommandDeps, initial?: InstanceDraft, editing?: string): Promise<string | undefined> {
  const title = editing ? `Edit ${editing}` : 'Add Milvus Instance';
  const taken = (v: string) => (v !== editing && (d.registry.instances.some((i) => i.name === v) || (settings().get<InstanceSetting[]>('instances') ?? []).some((i) => i.name === v))
    ? `an instance named "${v}" exists already: choose another name` : undefined);
  const text = (key: keyof InstanceDraft, label: string, o: vscode.InputBoxOptions & Parameters<typeof check>[0] = {}): Step<InstanceDraft> => ({
    applies: undefined,
    run: async (s, ask) => {
      s[key] = (await ask.input({ title: `${title}: ${label}`, ...o, value: s[key] ?? o.value, validateInput: check(o) })).trim();
    },
  });
  const steps: Step<InstanceDraft>[] = [
    text('name', 'name', { required: true, pattern: NAME, hint: 'letters, digits, space, . _ -', placeHolder: 'milvus_prod', also: taken }),
    text('address', 'gRPC address (host:port)', { value: '127.0.0.1:19530', required: true, pattern: HOST_PORT, hint: 'host:port' }),
    text('user', 'user (empty when authentication is off)'),
    // counted until the user is known to be empty, so the total only ever shrinks
    { ...text('password', `password (kept in VS Code's secret storage)${editing ? '; empty keeps the stored one' : ''}`, { password: true }), applies: (s) => s.user !== '' },
    text('storageAddress', 'address of the object storage Milvus uses (host:port)', { value: '127.0.0.1:9000', required: true, pattern: HOST_PORT, hint: 'host:port' }),
    text('bucket', "Milvus's bucket (minio.bucketName of its milvus.yaml)", { value: 'a-bucket', required: true }),
    text('rootPath', "Milvus's root path in the bucket (minio.rootPath)", { value: 'files' }),
    text('accessKeyId', "access key id of that storage", { required: true, placeHolder: 'minioadmin' }),
    text('secret', `secret access key (kept in VS Code's secret storage)${editing ? '; empty keeps the stored one' : ''}`, { password: true, required: !editing }),
    {
      // where this instance's backups go by default (a finished backup then says where it went)
      applies: () => d.registry.targets.length > 0,
      run: async (s, ask) => {
        const items = [
          ...d.registry.targets.map((t) => ({ label: t.name, description: describeStorage(t.storage), picked: t.name === s.backupStorage })),
          { label: NO_DEFAULT_STORAGE, description: 'no default storage target' },
        ];
        const picked = await ask.pick(items, { title: `${title}: where backups go`, placeHolder: 'Backup storage' });
        s.backupStorage = picked.label === NO_DEFAULT_STORAGE ? '' : picked.label;
      },
    },
  ];
  const state: InstanceDraft = { ...(initial ?? instanceDrafts.get(title)) };
  const draft = await runWizard(d.input, steps, state);
  if (!draft) {
    // closed half-way: what was typed is offered again next time (secrets aside: they are typed again)
    instanceDrafts.set(title, { ...state, password: undefined, secret: undefined });
    return undefined;
  }
  const { name, address, user, password, secret } = draft as Required<InstanceDraft>;
  const storage: StorageSetting = { provider: 'minio', address: draft.storageAddress, bucket: draft.bucket, rootPath: draft.rootPath, useSSL: false, accessKeyId: draft.accessKeyId };
  const setting: InstanceSetting = { name, address, user: user || undefined, storage, backupStorage: draft.backupStorage || undefined };
  if (editing) {
    // secrets follow a new name; a typed one replaces the stored one
    for (const key of [secretKeys.instancePassword, secretKeys.instanceStorageSecret]) {
      const kept = await d.secrets.get(key(editing));
      if (name !== editing) await d.secrets.delete(key(editing));
      if (kept !== undefined) await d.secrets.store(key(name), kept);
    }
  }
  if (password) await d.secrets.store(secretKeys.instancePassword(name), password);
  if (secret) await d.secrets.store(secretKeys.instanceStorageSecret(name), secret);
  if (editing) {
    const current = settings().inspect<InstanceSetting[]>('instances')?.globalValue ?? [];
    await settings().update('instances', current.map((c) => (c.name === editing ? { ...c, ...setting } : c)), vscode.ConfigurationTarget.Global);
  } else await appendSetting('instances', setting);
  instanceDrafts.delete(title);
  await d.registry.reload();
  d.log.info(`${editing ? 'edited' : 'added'} instance "${name}" at ${address} (user settings; secrets in SecretStorage)`);
  d.notify(`Milvus instance "${name}" ${editing ? 'saved' : 'added'}${draft.backupStorage ? `; its backups go to ${draft.backupStorage}` : ''}.`);
  return name;
}

const PROVIDERS = ['minio', 's3', 'aws', 'gcp', 'gcpnative', 'azure', 'aliyun', 'tencent', 'hwc', 'local'];
/** The public endpoints of the SDK providers (the Go tool's sample configs use these addresses). */
const DEFAULT_ADDRESS: Record<string, string> = { azure: 'core.windows.net:443', gcpnative: 'storage.googleapis.com:443' };

interface TargetDraft {
  name?: string;
  provider?: string;
  dir?: string;
  address?: string;
  bucket?: string;
  rootPath?: string;
  https?: boolean;
  accessKeyId?: string;
  secret?: string;
  credentialsFile?: string;
}

export const addStorageTarget = (d: CommandDeps) => async (): Promise<string | undefined> => {
  const title = 'Add Storage Target';
  const taken = (v: string) => (d.registry.targets.some((t) => t.name === v) ? `a storage target named "${v}" exists already: choose another name` : undefined);
  const remote = (s: TargetDraft) => s.provider !== 'local';
  const text = (key: 'name' | 'dir' | 'address' | 'bucket' | 'rootPath' | 'accessKeyId' | 'secret' | 'credentialsFile', label: string, o: vscode.InputBoxOptions & Parameters<typeof check>[0] = {}, applies?: (s: TargetDraft) => boolean): Step<TargetDraft> => ({
    applies,
    run: async (s, ask) => {
      s[key] = (await ask.input({ title: `${title}: ${label}`, ...o, value: s[key] ?? o.value, validateInput: check(o) })).trim();
    },
  });
  const steps: Step<TargetDraft>[] = [
    text('name', 'name', { required: true, pattern: NAME, hint: 'letters, digits, space, . _ -', placeHolder: 'backups', also: taken }),
    {
      run: async (s, ask) => {
        s.provider = (await ask.pick(PROVIDERS.map((p) => ({ label: p, picked: p === s.provider })), { title: `${title}: provider` })).label;
      },
    },
    text('dir', 'directory', { required: true }, (s) => !remote(s)),
    {
      applies: remote,
      run: async (st, ask) => {
        const value = st.address ?? DEFAULT_ADDRESS[st.provider!] ?? '127.0.0.1:9000';
        st.address = (await ask.input({ title: `${title}: address (host:port)`, value, validateInput: check({ required: true, pattern: HOST_PORT, hint: 'host:port' }) })).trim();
      },
    },
    text('bucket', 'bucket', { required: true }, remote),
    text('rootPath', 'root path of the backups in the bucket', { value: 'backup' }, remote),
    {
      applies: remote,
      run: async (s, ask) => {
        s.https = (await ask.pick([{ label: 'HTTPS' }, { label: 'HTTP' }], { title: `${title}: protocol` })).label === 'HTTPS';
      },
    },
    // gcpnative: the key file stays where it is, settings hold its path only
    text('credentialsFile', 'path of the service-account JSON key file', { required: true }, (st) => st.provider === 'gcpnative'),
    // azure: the account name and key take the places of the access key pair, as in the Go tool's v1 keys
    {
      applies: (st) => remote(st) && st.provider !== 'gcpnative',
      run: async (st, ask) => {
        const label = st.provider === 'azure' ? 'storage account name' : 'access key id';
        st.accessKeyId = (await ask.input({ title: `${title}: ${label}`, value: st.accessKeyId, validateInput: check({ required: true }) })).trim();
      },
    },
    {
      applies: (st) => remote(st) && st.provider !== 'gcpnative',
      run: async (st, ask) => {
        const label = st.provider === 'azure' ? 'account key' : 'secret access key';
        st.secret = (await ask.input({ title: `${title}: ${label} (kept in VS Code's secret storage)`, password: true, validateInput: check({ required: true }) })).trim();
      },
    },
  ];
  const s = await runWizard(d.input, steps, {} as TargetDraft);
  if (!s) return undefined;
  const name = s.name!;
  const setting: StorageSetting = !remote(s)
    ? { name, provider: s.provider, rootPath: s.dir }
    : s.provider === 'gcpnative'
      ? { name, provider: s.provider, address: s.address, bucket: s.bucket, rootPath: s.rootPath, useSSL: Boolean(s.https), credentialsFile: s.credentialsFile }
      : { name, provider: s.provider, address: s.address, bucket: s.bucket, rootPath: s.rootPath, useSSL: Boolean(s.https), accessKeyId: s.accessKeyId };
  if (s.secret) await d.secrets.store(secretKeys.targetSecret(name), s.secret);
  await appendSetting('storageTargets', setting);
  await d.registry.reload();
  d.log.info(`added storage target "${name}" (${s.provider}; user settings, secret in SecretStorage)`);
  d.notify(`Storage target "${name}" added.`);
  return name;
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

/** *Open backup.yaml*: the file an instance comes from, at its first problem when it has one. */
export const openConfigFile = (d: CommandDeps) => async (node?: InstanceNode): Promise<vscode.TextEditor | undefined> => {
  const instance = node?.instance ?? (await pickFileInstance(d));
  if (!instance?.file) return undefined;
  const line = Math.max(0, (instance.problemLine ?? 1) - 1);
  const editor = await vscode.window.showTextDocument(instance.file, { selection: new vscode.Range(line, 0, line, 0), preview: false });
  return editor;
};

async function pickFileInstance(d: CommandDeps): Promise<MilvusInstance | undefined> {
  await d.registry.ready();
  const files = d.registry.instances.filter((i) => i.file);
  if (files.length === 0) throw new UserError('No instance comes from a backup.yaml in this workspace', 'no-instance');
  const items = files.map((i) => ({ label: i.name, description: vscode.workspace.asRelativePath(i.file!), instance: i }));
  return (await d.input.showQuickPick(items, { title: 'Open backup.yaml', placeHolder: 'Milvus instance' }))?.instance;
}
