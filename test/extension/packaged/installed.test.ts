import * as assert from 'node:assert/strict';
import { sep } from 'node:path';
import * as vscode from 'vscode';
import type { MilvusBackupApi } from '../../../src/extension';
import { extensionId } from '../helpers';

// Runs in a server whose extensions dir holds only the .vsix `npm run package` built, installed with
// `--install-extension`: the artifact users get, not the dev build.
describe('packaged .vsix', () => {
  const installedIn = process.env.MILVUS_BACKUP_EXPECT_EXTENSIONS_DIR ?? '';

  it('is installed from the extensions dir, not loaded from the repo', () => {
    const ext = vscode.extensions.getExtension<MilvusBackupApi>(extensionId);
    assert.ok(ext, `${extensionId} is not installed`);
    assert.ok(installedIn, 'MILVUS_BACKUP_EXPECT_EXTENSIONS_DIR is set by the launcher');
    assert.ok(ext.extensionPath.startsWith(installedIn + sep), `${ext.extensionPath} is not under ${installedIn}`);
  });

  it('activates, without test hooks', async () => {
    const ext = vscode.extensions.getExtension<MilvusBackupApi>(extensionId)!;
    const api = await ext.activate();
    assert.equal(ext.isActive, true);
    assert.equal(api.testing, undefined, 'an installed extension lets nobody script its prompts');
  });

  it('registers every contributed command', async () => {
    const ext = vscode.extensions.getExtension(extensionId)!;
    const contributed = (ext.packageJSON.contributes.commands as { command: string }[]).map((c) => c.command);
    const registered = await vscode.commands.getCommands(true);
    assert.deepEqual(contributed.filter((id) => !registered.includes(id)), []);
  });
});
