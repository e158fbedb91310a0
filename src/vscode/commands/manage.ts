import * as vscode from 'vscode';
import { deleteBackup, type DeleteResult } from '../../core/catalog';
import { verifyBackup, type VerifyBackupResult } from '../../core/catalog/verifyBackup';
import type { StorageTarget } from '../connections/model';
import { detailsUri } from '../details';
import { formatBytes, plural } from '../format';
import { BackupNode } from '../tree/nodes';
import type { CommandDeps } from './deps';
import { pickBackup, pickTarget } from './pick';

/** *Delete Backup*, *Delete Leftovers*, *Verify Backup*, *Show Backup Details*: from a backup node or the palette. */

/** From this size on, deleting asks for the backup's name to be typed (a click is too cheap). */
const TYPED_CONFIRM_BYTES = 1n << 30n;

async function resolve(d: CommandDeps, node: BackupNode | undefined, title: string, which: 'complete' | 'any') {
  const target: StorageTarget | undefined = node?.target ?? (await pickTarget(d, `${title}: backup storage`));
  if (!target) return undefined;
  const entry = node?.entry ?? (await pickBackup(d, target, `${title}: backup`, which));
  if (!entry) return undefined;
  return { target, entry };
}

export const deleteBackupCommand = (d: CommandDeps) => async (node?: BackupNode, selected?: unknown): Promise<DeleteResult | DeleteResult[] | undefined> => {
  // several backups selected in the tree (VS Code passes the clicked row, then the whole selection)
  const many = Array.isArray(selected) ? selected.filter((n): n is BackupNode => n instanceof BackupNode) : [];
  if (many.length > 1) return deleteSeveral(d, many);
  const r = await resolve(d, node, 'Delete Backup', 'any');
  if (!r) return undefined;
  const { target, entry } = r;
  const what = entry.incomplete ? `the leftovers of the incomplete backup ${entry.name}` : `backup ${entry.name} (${formatBytes(entry.size)})`;
  const button = entry.incomplete ? 'Delete Leftovers' : 'Delete';
  const ok = await d.input.showWarningMessage(`Delete ${what} from ${target.name}? This cannot be undone.`, { modal: true }, button);
  if (ok !== button) return undefined;
  if (entry.size >= TYPED_CONFIRM_BYTES) {
    const typed = await d.input.showInputBox({
      title: `Type the backup name to delete ${formatBytes(entry.size)}`,
      placeHolder: entry.name,
      validateInput: (v) => (v === entry.name ? undefined : `type ${entry.name}`),
    });
    if (typed !== entry.name) return undefined;
  }
  const out = await d.jobs.run(`Deleting ${entry.name}`, async ({ signal }) => deleteBackup(await d.clients.catalog(target), entry.name, { signal }));
  d.explorer.refreshTarget(target.id);
  if (!out.ok) return undefined;
  d.notify(`Deleted ${entry.name}: ${plural(out.value.objects, 'object')}, ${formatBytes(out.value.bytes)}.`);
  return out.value;
};

export const deleteLeftoversCommand = (d: CommandDeps) => async (node?: BackupNode, selected?: unknown) => deleteBackupCommand(d)(node, selected);

/** One confirmation for the whole selection (typed when it holds 1 GiB or more), then one job per backup. */
async function deleteSeveral(d: CommandDeps, nodes: BackupNode[]): Promise<DeleteResult[] | undefined> {
  const total = nodes.reduce((n, b) => n + b.entry.size, 0n);
  const places = [...new Set(nodes.map((n) => n.target.name))].join(', ');
  const names = nodes.map((n) => n.name);
  const shown = names.length > 6 ? `${names.slice(0, 6).join(', ')} and ${names.length - 6} more` : names.join(', ');
  const button = `Delete ${nodes.length} Backups`;
  const ok = await d.input.showWarningMessage(`Delete ${nodes.length} backups (${formatBytes(total)}) from ${places}: ${shown}? This cannot be undone.`, { modal: true }, button);
  if (ok !== button) return undefined;
  if (total >= TYPED_CONFIRM_BYTES) {
    const phrase = `delete ${nodes.length} backups`;
    const typed = await d.input.showInputBox({
      title: `Type "${phrase}" to delete ${formatBytes(total)}`,
      placeHolder: phrase,
      validateInput: (v) => (v === phrase ? undefined : `type ${phrase}`),
    });
    if (typed !== phrase) return undefined;
  }
  const results: DeleteResult[] = [];
  for (const n of nodes) {
    const out = await d.jobs.run(`Deleting ${n.name}`, async ({ signal }) => deleteBackup(await d.clients.catalog(n.target), n.name, { signal }));
    if (out.ok) results.push(out.value);
  }
  for (const id of new Set(nodes.map((n) => n.target.id))) d.explorer.refreshTarget(id);
  d.notify(`Deleted ${plural(results.length, 'backup')} of ${nodes.length}: ${formatBytes(results.reduce((n, r) => n + r.bytes, 0n))}.`);
  return results;
}

export const verifyBackupCommand = (d: CommandDeps) => async (node?: BackupNode): Promise<VerifyBackupResult | undefined> => {
  const r = await resolve(d, node, 'Verify Backup', 'complete');
  if (!r) return undefined;
  const out = await d.jobs.run(`Verifying ${r.entry.name}`, async ({ signal }) => verifyBackup(await d.clients.catalog(r.target), r.entry.name, { signal }));
  if (!out.ok) return undefined;
  const v = out.value;
  const objects = v.collections.reduce((n, c) => n + c.expectedObjects, 0);
  for (const c of v.collections) {
    for (const m of c.missing) d.log.error(`verify ${v.name}: ${c.name}: missing ${m}`);
    for (const w of c.wrongSize) d.log.error(`verify ${v.name}: ${c.name}: size differs ${w}`);
  }
  if (v.ok) {
    d.notify(`Backup ${v.name} verified: ${plural(objects, 'object')} in ${plural(v.collections.length, 'collection')} match the meta.`, {
      title: 'Show Details',
      run: () => openDetails(r.target, r.entry.name, 'md'),
    });
  }
  else {
    const bad = v.collections.filter((c) => c.missing.length || c.wrongSize.length);
    void d.jobs.showError(`Backup ${v.name} is damaged: ${bad.map((c) => `${c.name} (${c.missing.length} missing, ${c.wrongSize.length} wrong size)`).join(', ')}`);
  }
  return v;
};

export const showBackupDetailsCommand = (d: CommandDeps) => async (node?: BackupNode, format?: unknown): Promise<vscode.TextDocument | undefined> => {
  const r = await resolve(d, node, 'Show Backup Details', 'complete');
  if (!r) return undefined;
  // from the tree the second argument is the selection, not a format
  let fmt: 'json' | 'md' | undefined = format === 'json' || format === 'md' ? format : undefined;
  if (!fmt) {
    const pick = await d.input.showQuickPick([{ label: 'Markdown', value: 'md' as const }, { label: 'JSON', value: 'json' as const }], { title: `Details of ${r.entry.name}: format` });
    if (!pick) return undefined;
    fmt = pick.value;
  }
  return openDetails(r.target, r.entry.name, fmt);
};

async function openDetails(target: StorageTarget, name: string, fmt: 'json' | 'md'): Promise<vscode.TextDocument> {
  const doc = await vscode.workspace.openTextDocument(detailsUri(target.id, name, fmt));
  // Markdown is for reading: VS Code's rendered preview (the built-in markdown extension), not its source
  if (fmt === 'md') await vscode.commands.executeCommand('markdown.showPreview', doc.uri);
  else await vscode.window.showTextDocument(doc, { preview: true });
  return doc;
}
