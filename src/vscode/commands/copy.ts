import * as vscode from 'vscode';
import { UserError } from '../../core/errors';
import { BackupNode, CollectionNode, DatabaseNode, InstanceNode, StorageNode } from '../tree/nodes';
import type { ExplorerNode } from '../tree/node';
import type { CommandDeps } from './deps';

/**
 * *Copy Name* and *Copy CLI Command* from the explorer: what a user pastes into a terminal, a ticket or the
 * CLI. The CLI command names the backup.yaml the storage was read from (`--config`), so it runs against the
 * same storage from the workspace folder.
 */

/** The name a row stands for, as the CLI spells it (`db.collection` for collections). */
function nameOf(node: ExplorerNode): string | undefined {
  if (node instanceof BackupNode) return node.name;
  if (node instanceof CollectionNode) return `${node.db}.${node.name}`;
  if (node instanceof DatabaseNode) return node.db;
  if (node instanceof InstanceNode) return node.instance.name;
  if (node instanceof StorageNode) return node.target.name;
  const q = (node as { qualified?: unknown }).qualified; // a collection inside a backup
  return typeof q === 'string' ? q : undefined;
}

export const copyName = (d: CommandDeps) => async (node?: ExplorerNode): Promise<string | undefined> => {
  const name = node && nameOf(node);
  if (!name) throw new UserError('Copy Name: select a row in the Milvus Backup explorer', 'no-selection');
  await vscode.env.clipboard.writeText(name);
  d.log.info(`copied name ${name}`);
  return name;
};

/** A shell word: plain names as they are, anything else single-quoted. */
function shellWord(s: string): string {
  return /^[\w./:@%+=,-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

/** `milvus-backup restore --config milvus_A/backup.yaml -n NAME -s _bak` for a backup row. */
export function restoreCliCommand(node: BackupNode): string {
  const file = node.target.file;
  const config = file ? ` --config ${shellWord(vscode.workspace.asRelativePath(file))}` : '';
  return `milvus-backup restore${config} -n ${shellWord(node.name)} -s _bak`;
}

export const copyCliCommand = (d: CommandDeps) => async (node?: ExplorerNode): Promise<string | undefined> => {
  if (!(node instanceof BackupNode)) throw new UserError('Copy CLI Command: select a backup in the Milvus Backup explorer', 'no-selection');
  const cmd = restoreCliCommand(node);
  await vscode.env.clipboard.writeText(cmd);
  d.log.info(`copied ${cmd}`);
  return cmd;
};
