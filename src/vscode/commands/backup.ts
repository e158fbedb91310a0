import * as vscode from 'vscode';
import { UserError } from '../../core/errors';
import type { BackupSummary } from '../../core/backup';
import { defaultBackupName, validateBackupName } from '../../core/catalog';
import { describeStorage, withBackupStorage, type MilvusInstance, type StorageTarget } from '../connections/model';
import { runWizard, type Step } from '../ui/wizard';
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
  if (node instanceof CollectionNode) return backupWizard(d, { instance: node.instance, filter: `${node.db}.${node.name}`, what: `${node.db}.${node.name}` });
  if (node instanceof DatabaseNode) return backupWizard(d, { instance: node.instance, filter: `${node.db}.*`, what: `database ${node.db}` });
  return backupFromPalette(d)();
};

export const backupFromPalette = (d: CommandDeps) => async (): Promise<BackupSummary | undefined> => backupWizard(d, {});

interface BackupDraft {
  instance?: MilvusInstance;
  filter?: string;
  what?: string;
  target?: StorageTarget;
  name?: string;
}

/** Back Up as numbered steps with Back: instance and what (from the palette), storage (when not known), name. */
async function backupWizard(d: CommandDeps, start: BackupDraft): Promise<BackupSummary | undefined> {
  await d.registry.ready();
  const fromNode = Boolean(start.instance);
  const defaultTarget = (s: BackupDraft) => (s.instance?.defaultStorageId ? d.registry.target(s.instance.defaultStorageId) : undefined);
  const steps: Step<BackupDraft>[] = [
    {
      applies: () => !fromNode,
      run: async (s, ask) => {
        const usable = d.registry.instances.filter((i) => i.problems.length === 0);
        if (usable.length === 0) await pickInstance(d, 'Back Up: instance'); // throws the reason (none, untrusted, all invalid)
        const items = usable.map((i) => ({ label: i.name, description: `${i.config.milvus.grpc.address}:${i.config.milvus.grpc.port}`, value: i, picked: i === s.instance }));
        s.instance = (await ask.pick(items, { title: 'Back Up: instance', placeHolder: 'Milvus instance' })).value;
      },
    },
    {
      applies: () => !fromNode,
      run: async (s, ask) => {
        const gw = await d.clients.gateway(s.instance!);
        const was = new Set((s.filter ?? '').split(','));
        const items: Item<{ filter: string; what: string }>[] = [];
        for (const db of await gw.listDatabases()) {
          items.push({ label: `$(database) ${db}`, description: 'the whole database', value: { filter: `${db}.*`, what: `database ${db}` }, picked: was.has(`${db}.*`) });
          for (const c of [...(await gw.listCollections(db))].sort()) {
            items.push({ label: `${db}.${c}`, value: { filter: `${db}.${c}`, what: `${db}.${c}` }, picked: was.has(`${db}.${c}`) });
          }
        }
        const picked = await ask.pickMany(items, { title: 'Back Up: what to back up', placeHolder: 'check collections and/or whole databases (Space), then Enter' });
        if (picked.length === 0) {
          // Enter with nothing checked: say so rather than end as if it had worked
          throw new UserError('Back Up: nothing was selected, so nothing was backed up. Check at least one collection or database (Space or a click on its box), then press Enter.', 'nothing-selected');
        }
        s.filter = picked.map((p) => p.value.filter).join(',');
        s.what = picked.length === 1 ? picked[0]!.value.what : `${picked.length} selections on ${s.instance!.name}`;
      },
    },
    {
      applies: (s) => !defaultTarget(s) && d.registry.targets.length !== 1,
      run: async (s, ask) => {
        if (d.registry.targets.length === 0) await pickTarget(d, 'Back Up: storage'); // throws the reason
        const items = d.registry.targets.map((t) => ({ label: t.name, description: describeStorage(t.storage), value: t, picked: t === s.target }));
        s.target = (await ask.pick(items, { title: `Back up ${s.what} into`, placeHolder: 'Backup storage' })).value;
      },
    },
    {
      run: async (s, ask) => {
        s.target ??= defaultTarget(s) ?? (d.registry.targets.length === 1 ? d.registry.targets[0] : undefined);
        s.name = await ask.input({
          title: `Back up ${s.what} to ${s.target!.name}: backup name`,
          value: s.name ?? defaultBackupName(),
          validateInput: (v) => {
            try {
              validateBackupName(v);
              return undefined;
            } catch (e) {
              return errorMessage(e);
            }
          },
        });
      },
    },
  ];
  const s = await runWizard(d.input, steps, { ...start });
  if (!s) return undefined;
  return runBackup(d, s.instance!, s.filter!, s.what!, s.target!, s.name!);
}

async function runBackup(d: CommandDeps, instance: MilvusInstance, filter: string, what: string, target: StorageTarget, name: string): Promise<BackupSummary | undefined> {
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

