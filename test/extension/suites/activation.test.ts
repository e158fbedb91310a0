import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activate, extension } from '../helpers';

describe('activation', () => {
  it('activates and exports its API', async () => {
    const api = await activate();
    assert.equal(extension().isActive, true);
    assert.ok(api.testing, 'testing hooks are exported in ExtensionMode.Test');
  });

  it('runs in the remote Node extension host it targets (extensionKind workspace)', () => {
    assert.equal(extension().extensionKind, vscode.ExtensionKind.Workspace);
    assert.ok(vscode.env.remoteName, 'a remote (server) host, like a user on Remote-SSH or WSL');
    assert.match(process.version, /^v\d+\./);
  });

  it('opens the fixture workspace', () => {
    const folders = vscode.workspace.workspaceFolders ?? [];
    assert.equal(folders.length, 1);
    assert.ok(vscode.workspace.isTrusted, 'workspace trust is off, so no Restricted Mode');
  });
});
