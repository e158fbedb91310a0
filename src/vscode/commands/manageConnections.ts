import { randomUUID } from 'node:crypto';
import * as vscode from 'vscode';
import { listBackups } from '../../core/catalog';
import { UserError } from '../../core/errors';
import { secretKeys, type InstanceSetting, type StorageSetting } from '../connections/settingsSource';
import { InstanceNode, StorageNode } from '../tree/nodes';
import type { ExplorerNode } from '../tree/node';
import type { CommandDeps } from './deps';

/**
 * Managing connections added in the UI: *Remove* (the setting and its secrets in SecretStorage: nothing else
 * would ever delete them), *Test Connection* on a storage target (list, then write, read back and delete a
 * 1-byte probe), and *Export as backup.yaml* (an instance from settings as a file the CLI can use).
 */

function settings() {
  return vscode.workspace.getConfiguration('milvusBackup');
}

/** Every SecretStorage key a connection of this name may have. */
function secretsOf(kind: 'instance' | 'target', name: string): string[] {
  return kind === 'instance' ? [secretKeys.instancePassword(name), secretKeys.instanceStorageSecret(name)] : [secretKeys.targetSecret(name)];
}

export const removeConnection = (d: CommandDeps) => async (node?: ExplorerNode): Promise<string | undefined> => {
  const kind = node instanceof InstanceNode ? 'instance' : node instanceof StorageNode ? 'target' : undefined;
  const conn = node instanceof InstanceNode ? node.instance : node instanceof StorageNode ? node.target : undefined;
  if (!kind || !conn) throw new UserError('Remove: select a Milvus instance or storage target in the explorer', 'no-selection');
  if (conn.origin !== 'settings') throw new UserError(`${conn.name} comes from a backup.yaml: edit or delete that file instead`, 'not-removable');
  const key = kind === 'instance' ? 'instances' : 'storageTargets';
  const what = kind === 'instance' ? 'Milvus instance' : 'storage target';
  const button = 'Remove';
  const ok = await d.input.showWarningMessage(
    `Remove the ${what} "${conn.name}" from your settings? Its password and secret key are deleted from VS Code's secret storage. ${kind === 'target' ? 'The backups in it stay where they are.' : 'Nothing in Milvus changes.'}`,
    { modal: true },
    button,
  );
  if (ok !== button) return undefined;
  // the name as it is in settings (a target's label may carry an endpoint added to keep labels apart)
  // the name as written in settings (a target's label may carry an endpoint added to keep labels apart)
  const settingName = node instanceof StorageNode ? node.target.settingName ?? conn.name : conn.name;
  for (const target of [vscode.ConfigurationTarget.Global, vscode.ConfigurationTarget.Workspace]) {
    const inspected = settings().inspect<Array<InstanceSetting | StorageSetting>>(key);
    const current = target === vscode.ConfigurationTarget.Global ? inspected?.globalValue : inspected?.workspaceValue;
    if (current?.some((c) => c.name === settingName)) await settings().update(key, current.filter((c) => c.name !== settingName), target);
  }
  for (const k of secretsOf(kind, settingName)) await d.secrets.delete(k);
  await d.registry.reload();
  d.log.info(`removed ${what} "${settingName}" and its secrets`);
  d.notify(`Removed the ${what} "${settingName}".`);
  return settingName;
};

interface StorageTestResult {
  target: string;
  backups: number;
  probe: boolean;
}

export const testStorage = (d: CommandDeps) => async (node?: StorageNode): Promise<StorageTestResult | undefined> => {
  if (!(node instanceof StorageNode)) throw new UserError('Test Connection: select a storage target in the explorer', 'no-selection');
  const t = node.target;
  const out = await d.jobs.run(`Testing ${t.name}`, async ({ signal }) => {
    const cat = await d.clients.catalog(t);
    if (!(await cat.store.bucketExists(cat.bucket, { signal }))) throw new UserError(`${t.name}: the bucket "${cat.bucket}" does not exist (a backup creates it; check the bucket name)`, 'no-bucket');
    const backups = (await listBackups(cat, { signal })).length;
    // the same probe `check` writes on the backup side: proves write, read and delete permissions
    const root = cat.rootPath ? `${cat.rootPath.replace(/\/+$/, '')}/` : '';
    const key = `${root}milvus_backup_check_dst_${randomUUID()}`;
    await cat.store.put(cat.bucket, key, Buffer.from([1]), 1, { signal });
    try {
      const st = await cat.store.stat(cat.bucket, key, { signal });
      if (!st || st.size !== 1) throw new UserError(`${t.name}: the probe ${key} was written but reads back ${st ? `${st.size} bytes` : 'missing'}`, 'probe-failed');
    } finally {
      await cat.store.deleteObjects(cat.bucket, [key]);
    }
    return { target: t.name, backups, probe: true };
  });
  if (!out.ok) return undefined;
  d.notify(`${t.name}: reachable, ${out.value.backups} backup(s); a probe object was written, read back and deleted.`);
  return out.value;
};

/** A v1 backup.yaml for a settings instance; secrets are left to the env vars the CLI reads. */
function instanceYaml(s: InstanceSetting, target: StorageSetting | undefined): string {
  const [host, port] = splitHostPort(s.address, 19530);
  const st = s.storage ?? {};
  const [sh, sp] = splitHostPort(st.address ?? '127.0.0.1:9000', 9000);
  const lines = [
    `# name: ${s.name}`,
    '# Exported from VS Code (Milvus Backup). Secrets are not in this file: set MILVUS_PASSWORD, MINIO_SECRET_KEY',
    `# ${target ? 'and MINIO_BACKUP_SECRET_KEY ' : ''}in the environment (the CLI reads them), or add them here.`,
    'milvus:',
    `  address: ${host}`,
    `  port: ${port}`,
    ...(s.user ? [`  user: ${s.user}`] : []),
    ...(s.tls ? ['  tlsMode: 1'] : []),
    'minio:',
    `  storageType: ${st.provider ?? 'minio'}`,
    `  address: ${sh}`,
    `  port: ${sp}`,
    `  useSSL: ${Boolean(st.useSSL)}`,
    `  bucketName: ${st.bucket ?? ''}`,
    `  rootPath: ${st.rootPath ?? 'files'}`,
    ...(st.accessKeyId ? [`  accessKeyID: ${st.accessKeyId}`] : []),
  ];
  if (target) {
    const [th, tp] = splitHostPort(target.address ?? '127.0.0.1:9000', 9000);
    lines.push(
      `  backupStorageType: ${target.provider ?? 'minio'}`,
      `  backupAddress: ${th}`,
      `  backupPort: ${tp}`,
      `  backupUseSSL: ${Boolean(target.useSSL)}`,
      `  backupBucketName: ${target.bucket ?? ''}`,
      `  backupRootPath: ${target.rootPath ?? 'backup'}`,
      ...(target.accessKeyId ? [`  backupAccessKeyID: ${target.accessKeyId}`] : []),
    );
  }
  if (s.managementAddress) lines.push('backup:', '  gcPause:', '    enable: true', `    address: ${s.managementAddress}`);
  return lines.join('\n') + '\n';
}

function splitHostPort(a: string, def: number): [string, number] {
  const m = /^(?:[a-z]+:\/\/)?(.+?)(?::(\d+))?$/.exec(a.trim());
  return [m?.[1] || 'localhost', m?.[2] ? Number(m[2]) : def];
}

export const exportInstance = (d: CommandDeps) => async (node?: InstanceNode): Promise<vscode.TextDocument | undefined> => {
  if (!(node instanceof InstanceNode) || node.instance.origin !== 'settings') throw new UserError('Export as backup.yaml: select a Milvus instance added in VS Code', 'no-selection');
  const s = (settings().get<InstanceSetting[]>('instances') ?? []).find((i) => i.name === node.instance.name);
  if (!s) throw new UserError(`${node.instance.name} is no longer in settings`, 'not-found');
  const target = s.backupStorage ? (settings().get<StorageSetting[]>('storageTargets') ?? []).find((t) => t.name === s.backupStorage) : undefined;
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  // an untitled file named backup.yaml: saving it (where the user chooses) makes it a connection and CLI config
  const uri = folder ? vscode.Uri.joinPath(folder, s.name, 'backup.yaml').with({ scheme: 'untitled' }) : vscode.Uri.parse(`untitled:backup.yaml`);
  const doc = await vscode.workspace.openTextDocument(uri);
  const editor = await vscode.window.showTextDocument(doc);
  await editor.edit((e) => e.replace(new vscode.Range(0, 0, doc.lineCount, 0), instanceYaml(s, target)));
  d.log.info(`exported instance "${s.name}" as an unsaved backup.yaml (no secrets in it)`);
  return doc;
};

/** *Filter Backups…* on a storage row: only backups whose name contains the text; empty shows all again. */
export const filterBackups = (d: CommandDeps) => async (node?: StorageNode, text?: unknown): Promise<string | undefined> => {
  if (!(node instanceof StorageNode)) throw new UserError('Filter Backups: select a storage target in the explorer', 'no-selection');
  const value = typeof text === 'string' ? text : await d.input.showInputBox({
    title: `Filter the backups in ${node.target.name}`,
    prompt: 'Show backups whose name contains (empty: show all)',
    value: d.explorer.filterOf(node) ?? '',
  });
  if (value === undefined) return undefined;
  d.explorer.setFilter(node, value.trim());
  return value.trim();
};

/**
 * *Rename* a connection added in VS Code: the setting's name, the instances that back up into a renamed
 * target, and its secrets (SecretStorage keys carry the name) move to the new name.
 */
export const renameConnection = (d: CommandDeps) => async (node?: ExplorerNode, newName?: unknown): Promise<string | undefined> => {
  const kind = node instanceof InstanceNode ? 'instance' : node instanceof StorageNode ? 'target' : undefined;
  const conn = node instanceof InstanceNode ? node.instance : node instanceof StorageNode ? node.target : undefined;
  if (!kind || !conn) throw new UserError('Rename: select a Milvus instance or storage target in the explorer', 'no-selection');
  if (conn.origin !== 'settings') throw new UserError(`${conn.name} comes from a backup.yaml: its name is its folder or a "# name:" comment there`, 'not-renamable');
  const key = kind === 'instance' ? 'instances' : 'storageTargets';
  const old = node instanceof StorageNode ? node.target.settingName ?? conn.name : conn.name;
  const names = kind === 'instance' ? d.registry.instances.map((i) => i.name) : d.registry.targets.map((t) => t.name);
  const to = typeof newName === 'string' ? newName : await d.input.showInputBox({
    title: `Rename ${old}`,
    value: old,
    validateInput: (v) => (!/^[\w .-]{1,64}$/.test(v.trim()) ? 'letters, digits, space, . _ -' : v.trim() !== old && names.includes(v.trim()) ? `"${v.trim()}" exists already` : undefined),
  });
  if (to === undefined || to.trim() === old) return undefined;
  const name = to.trim();
  const current = settings().inspect<Array<InstanceSetting | StorageSetting>>(key)?.globalValue ?? [];
  if (!current.some((c) => c.name === old)) throw new UserError(`${old} is not in your user settings (milvusBackup.${key})`, 'not-found');
  await settings().update(key, current.map((c) => (c.name === old ? { ...c, name } : c)), vscode.ConfigurationTarget.Global);
  if (kind === 'target') {
    const insts = settings().inspect<InstanceSetting[]>('instances')?.globalValue ?? [];
    if (insts.some((i) => i.backupStorage === old)) {
      await settings().update('instances', insts.map((i) => (i.backupStorage === old ? { ...i, backupStorage: name } : i)), vscode.ConfigurationTarget.Global);
    }
  }
  const [from, into] = [secretsOf(kind, old), secretsOf(kind, name)];
  for (let i = 0; i < from.length; i++) {
    const v = await d.secrets.get(from[i]!);
    if (v !== undefined) await d.secrets.store(into[i]!, v);
    await d.secrets.delete(from[i]!);
  }
  await d.registry.reload();
  d.log.info(`renamed ${kind} "${old}" to "${name}" (settings and secrets)`);
  return name;
};
