import * as vscode from 'vscode';
import { listBackups, type BackupListEntry } from '../../core/catalog';
import { UserError } from '../../core/errors';
import { describeStorage, type MilvusInstance, type StorageTarget } from '../connections/model';
import { describeBackupEntry } from '../format';
import type { CommandDeps } from './deps';

/** The prompts several commands share. Each returns undefined when the user dismissed it. */

/** In Restricted Mode the registry ignores backup.yaml files and workspace settings: an empty list says so. */
export function untrustedNote(): string {
  return vscode.workspace.isTrusted ? '' : '; backup.yaml files and workspace settings are ignored until the workspace is trusted';
}

export async function pickInstance(d: CommandDeps, title: string): Promise<MilvusInstance | undefined> {
  await d.registry.ready();
  const all = d.registry.instances;
  if (all.length === 0) throw new UserError(`No Milvus instance is configured: add one (Add Milvus Instance) or a backup.yaml${untrustedNote()}`, 'no-instance');
  // an invalid configuration cannot be connected to: it is not offered (the tree shows why)
  const usable = all.filter((i) => i.problems.length === 0);
  if (usable.length === 0) {
    throw new UserError(`No usable Milvus instance: ${all.map((i) => `${i.name} is invalid (${i.problems[0]})`).join('; ')}`, 'invalid-config');
  }
  const items = usable.map((i) => ({ label: i.name, description: `${i.config.milvus.grpc.address}:${i.config.milvus.grpc.port}`, instance: i }));
  return (await d.input.showQuickPick(items, { title, placeHolder: 'Milvus instance' }))?.instance;
}

export async function pickTarget(d: CommandDeps, title: string, preferred?: string): Promise<StorageTarget | undefined> {
  await d.registry.ready();
  const all = d.registry.targets;
  if (all.length === 0) throw new UserError(`No backup storage is configured: add one (Add Storage Target) or a backup.yaml${untrustedNote()}`, 'no-storage');
  const pre = preferred ? d.registry.target(preferred) : undefined;
  if (pre) return pre;
  if (all.length === 1) return all[0];
  const items = all.map((t) => ({ label: t.name, description: describeStorage(t.storage), target: t }));
  return (await d.input.showQuickPick(items, { title, placeHolder: 'Backup storage' }))?.target;
}

export async function pickBackup(
  d: CommandDeps, target: StorageTarget, title: string, which: 'complete' | 'any' = 'complete',
): Promise<BackupListEntry | undefined> {
  const entries = (await listBackups(await d.clients.catalog(target))).filter((e) => which === 'any' || !e.incomplete);
  if (entries.length === 0) throw new UserError(`No backups in ${target.name}`, 'no-backups');
  const items = entries.map((e) => ({
    label: e.name,
    description: describeBackupEntry(e),
    entry: e,
  }));
  return (await d.input.showQuickPick(items, { title, placeHolder: 'Backup' }))?.entry;
}

export type Item<T> = vscode.QuickPickItem & { value: T };
