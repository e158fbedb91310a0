import * as vscode from 'vscode';
import { UserError } from '../../core/errors';
import type { BackupSummary } from '../../core/backup';
import { defaultBackupName, validateBackupName } from '../../core/catalog';
import { withBackupStorage, type MilvusInstance } from '../connections/model';
import { formatBytes, plural } from '../format';
import { errorMessage } from '../log';
import { CollectionNode, DatabaseNode } from '../tree/nodes';
import type { CommandDeps } from './deps';
import { pickInstance, pickTarget, type Item } from './pick';

/**
 * *Back Up Collection* (a collection or database node) and *Back Up…* (palette: instance, then what to back
 * up). Both ask for the storage when the instance has no default, then for a name with the Go tool's default
 * (`backup_<UTC time>_<ns>`), and run `createBackup` as a cancellable job; the storage node refreshes after.
 */
export const backupFromNode = (d: CommandDeps) => async (node?: CollectionNode | DatabaseNode): Promise<BackupSummary | undefined> => {
  if (node instanceof CollectionNode) return runBackup(d, node.instance, `${node.db}.${node.name}`, `${node.db}.${node.name}`);
  if (node instanceof DatabaseNode) return runBackup(d, node.instance, `${node.db}.*`, `database ${node.db}`);
  return backupFromPalette(d)();
};

export const backupFromPalette = (d: CommandDeps) => async (): Promise<BackupSummary | undefined> => {
  const instance = await pickInstance(d, 'Back Up: instance');
  if (!instance) return undefined;
  const gw = await d.clients.gateway(instance);
  const items: Item<{ filter: string; what: string }>[] = [];
  for (const db of await gw.listDatabases()) {
    items.push({ label: `$(database) ${db}`, description: 'the whole database', value: { filter: `${db}.*`, what: `database ${db}` } });
    for (const c of [...(await gw.listCollections(db))].sort()) {
      items.push({ label: `${db}.${c}`, value: { filter: `${db}.${c}`, what: `${db}.${c}` } });
    }
  }
  const picked = await d.input.showQuickPickMany(items, { title: 'Back Up: what to back up', placeHolder: 'check collections and/or whole databases (Space), then Enter' });
  if (!picked) return undefined;
  if (picked.length === 0) {
    // Enter with nothing checked: say so rather than end as if it had worked
    throw new UserError('Back Up: nothing was selected, so nothing was backed up. Check at least one collection or database (Space or a click on its box), then press Enter.', 'nothing-selected');
  }
  const what = picked.length === 1 ? picked[0]!.value.what : `${picked.length} selections on ${instance.name}`;
  return runBackup(d, instance, picked.map((p) => p.value.filter).join(','), what);
};

async function runBackup(d: CommandDeps, instance: MilvusInstance, filter: string, what: string): Promise<BackupSummary | undefined> {
  const target = await pickTarget(d, `Back up ${what} into`, instance.defaultStorageId);
  if (!target) return undefined;
  const name = await d.input.showInputBox({
    title: `Back up ${what}: backup name`,
    value: defaultBackupName(),
    ignoreFocusOut: true,
    validateInput: (v) => {
      try {
        validateBackupName(v);
        return undefined;
      } catch (e) {
        return errorMessage(e);
      }
    },
  });
  if (name === undefined) return undefined;
  validateBackupName(name);
  const gateway = await d.clients.gateway(instance);
  // the engine (and what it pulls in) loads on the first backup, not at activation
  const { createBackup } = await import('../../core/backup/index.js');
  const out = await d.jobs.run(`Backing up ${what} to ${name}`, ({ signal, onProgress }) =>
    createBackup({ config: withBackupStorage(instance.config, target), name, filter, signal, onProgress, gateway }),
  );
  d.explorer.refreshTarget(target.id);
  if (!out.ok) return undefined;
  const s = out.value;
  const node = () => d.explorer.backupNode(target.id, s.name);
  d.notify(
    `Backup ${s.name} created in ${target.name}: ${plural(s.collections.length, 'collection')}, ${formatBytes(s.bytes)}.`,
    { title: 'Reveal', run: async () => { const n = await node(); if (n) await d.reveal(n); } },
    { title: 'Restore…', run: async () => vscode.commands.executeCommand('milvusBackup.restoreBackup', await node()) },
    { title: 'Show Details', run: async () => vscode.commands.executeCommand('milvusBackup.showBackupDetails', await node(), 'md') },
  );
  return s;
}

