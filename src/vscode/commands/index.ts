import * as vscode from 'vscode';
import { UserError } from '../../core/errors';
import { errorMessage } from '../log';
import { addInstance, addStorageTarget, editInstance, openConfigFile, testConnection } from './connections';
import { backupFromNode, backupFromPalette } from './backup';
import type { CommandDeps, CommandFactory } from './deps';
import { deleteBackupCommand, deleteLeftoversCommand, showBackupDetailsCommand, verifyBackupCommand } from './manage';
import { restoreBackupCommand } from './restore';
import { copyCliCommand, copyName } from './copy';
import { exportInstance, filterBackups, removeConnection, renameConnection, testStorage } from './manageConnections';
import { StorageNode } from '../tree/nodes';

/** Command id → factory. Tree-only ones are hidden from the palette in package.json. */
export const COMMANDS: Record<string, CommandFactory> = {
  'milvusBackup.addInstance': addInstance,
  'milvusBackup.addStorageTarget': addStorageTarget,
  'milvusBackup.testConnection': testConnection,
  'milvusBackup.openConfigFile': openConfigFile,
  'milvusBackup.editInstance': editInstance,
  'milvusBackup.backupCollection': backupFromNode,
  'milvusBackup.backup': backupFromPalette,
  'milvusBackup.restoreBackup': restoreBackupCommand,
  'milvusBackup.deleteBackup': deleteBackupCommand,
  'milvusBackup.deleteLeftovers': deleteLeftoversCommand,
  'milvusBackup.verifyBackup': verifyBackupCommand,
  'milvusBackup.showBackupDetails': showBackupDetailsCommand,
  'milvusBackup.removeConnection': removeConnection,
  'milvusBackup.testStorage': testStorage,
  'milvusBackup.exportInstance': exportInstance,
  'milvusBackup.filterBackups': filterBackups,
  'milvusBackup.clearFilter': (d) => async (node) => node instanceof StorageNode && d.explorer.setFilter(node, ''),
  'milvusBackup.renameConnection': renameConnection,
  'milvusBackup.copyName': copyName,
  'milvusBackup.copyCliCommand': copyCliCommand,
  'milvusBackup.refresh': (d) => async (node?) => d.explorer.refresh(node),
  'milvusBackup.retry': (d) => async (node) => d.explorer.retry(node),
  'milvusBackup.loadMore': (d) => async (node) => d.explorer.loadMore(node),
};

/**
 * Registers every command. A command's failure ends here as one clear message with *Show Log* (the stack
 * goes to the log only). It is not rethrown for people: VS Code would show a second toast for the same failure
 * ("Error running command …", blaming the extension). Extension-host tests (`rethrow`) get it rethrown, so
 * `executeCommand` callers see why a command failed.
 */
export function registerCommands(deps: CommandDeps, rethrow: boolean): vscode.Disposable[] {
  return Object.entries(COMMANDS).map(([id, factory]) => {
    const handler = factory(deps);
    return vscode.commands.registerCommand(id, async (...args: unknown[]) => {
      try {
        return await handler(...args);
      } catch (e) {
        const msg = errorMessage(e);
        deps.log.error(`${id}: ${msg}`);
        if (!(e instanceof UserError) && e instanceof Error && e.stack) deps.log.debug(e.stack);
        void deps.jobs.showError(msg);
        if (rethrow) throw e;
        return undefined;
      }
    });
  });
}
